//! `/checkout`: the order form. Placing an order identifies the shopper to the tracker
//! (the `ruid` cookie holds a hash of the address, never the address) and tracks a purchase.

use crate::consent_ui::use_tracker;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::{app::SHOP_NAME, cart::Cart};

/// The checkout page: the cart's size and an e-mail address to send the receipt to.
#[component]
pub fn CheckoutPage() -> impl IntoView {
    use_tracker().page_view();
    let cart = Cart::use_cart();
    let place_order = ServerAction::<PlaceOrder>::new();
    let placed = move || matches!(place_order.value().get(), Some(Ok(())));
    let error = move || match place_order.value().get() {
        Some(Err(error)) => Some(error.to_string()),
        _ => None,
    };
    view! {
        <Title text=format!("Checkout · {SHOP_NAME}")/>
        <article class="checkout">
            <h1>"Checkout"</h1>
            <Show
                when=placed
                fallback=move || view! {
                    <ActionForm action=place_order attr:class="checkout__form">
                        <input type="hidden" name="items" value=move || cart.count().to_string()/>
                        <label class="checkout__label" for="checkout-email">"E-mail for the receipt"</label>
                        <input
                            id="checkout-email"
                            class="checkout__input"
                            type="email"
                            name="email"
                            required
                            autocomplete="email"
                        />
                        <button type="submit" class="button button--primary">"Place order"</button>
                        <p class="checkout__error" role="alert">{error}</p>
                    </ActionForm>
                }
            >
                <p class="checkout__done" role="status">"Thank you! Your order is on its way."</p>
            </Show>
        </article>
    }
}

/// Places the order: checks the address, then identifies the shopper and tracks the
/// purchase (both only with the shopper's consent; the crate decides).
#[server(prefix = "/api", endpoint = "place-order")]
pub async fn place_order(
    email: String,
    #[server(default)] items: String,
) -> Result<(), ServerFnError> {
    let email = email.trim();
    if !(3..=254).contains(&email.len())
        || !email.contains('@')
        || email.contains(char::is_whitespace)
    {
        return Err(ServerFnError::new("Please enter your e-mail address."));
    }
    let items: u32 = items.parse().unwrap_or(0);
    let tracker = use_tracker();
    tracker.identify(email);
    tracker.track(
        crate::consent_ui::Event::new(crate::consent_ui::EventKind::Purchase)
            .property("items", items.to_string()),
    );
    Ok(())
}
