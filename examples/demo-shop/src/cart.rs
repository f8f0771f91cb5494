//! The cart: client-side state that proves the page hydrated (its buttons respond).

use leptos::prelude::*;

/// The number of items in the cart, shared by the header and the product pages.
#[derive(Clone, Copy)]
pub struct Cart(RwSignal<u32>);

impl Cart {
    /// Provides an empty cart for the app.
    pub fn provide() {
        provide_context(Cart(RwSignal::new(0)));
    }

    /// The app's cart.
    pub fn use_cart() -> Self {
        expect_context()
    }

    /// Adds `quantity` items.
    pub fn add(self, quantity: u32) {
        self.0
            .update(|count| *count = count.saturating_add(quantity));
    }

    /// How many items the cart holds. Reactive.
    pub fn count(self) -> u32 {
        self.0.get()
    }
}

/// The header's cart link with its live count.
#[component]
pub fn CartLink() -> impl IntoView {
    let cart = Cart::use_cart();
    view! {
        <span class="shop__cart" data-testid="cart-count" aria-live="polite">
            "Cart (" {move || cart.count()} ")"
        </span>
    }
}
