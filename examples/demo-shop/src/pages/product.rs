//! `/products/{id}`: one product, with a quantity stepper and recommendations.

use crate::consent_ui::use_tracker;
use leptos::{either::Either, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{NotFound, ProductArt, ProductCard};
use crate::{
    app::SHOP_NAME,
    cart::Cart,
    catalog::{Product, product, recommended_for},
    consent_ui::{RoasteryVideo, remember_last_product},
};

/// The recommendation module's name, as item clicks report it.
pub const RECOMMENDATION_MODULE: &str = "GetSimilarItems";

/// The shop's own event when a shopper saves a product for later (declared in the tracking
/// configuration; the provider calls it `wishlist`).
pub const WISHLIST_EVENT: &str = "wishlist_add";

/// The product page, or "not found" for an unknown id.
#[component]
pub fn ProductPage() -> impl IntoView {
    let params = use_params_map();
    let found = move || {
        params.with(|p| {
            p.get_str("id")
                .and_then(|id| id.parse().ok())
                .and_then(product)
        })
    };
    move || match found() {
        Some(product) => Either::Left(view! { <ProductDetail product/> }),
        None => Either::Right(view! { <NotFound/> }),
    }
}

#[component]
fn ProductDetail(product: Product) -> impl IntoView {
    let cart = Cart::use_cart();
    let quantity = RwSignal::new(1u32);
    let added = RwSignal::new(false);
    let saved = RwSignal::new(false);
    remember_last_product(product.id);
    let tracker = use_tracker();
    tracker.page_view();
    tracker.product_view(product.id.to_string());
    view! {
        <Title text=format!("{} · {SHOP_NAME}", product.name)/>
        <article class="product">
            <div class="product__art"><ProductArt product/></div>
            <div class="product__info">
                <p class="product__department">{product.department}</p>
                <h1 class="product__name">{product.name}</h1>
                <p class="product__price">{product.price()}</p>
                <p class="product__description">{product.description}</p>
                <div class="product__buy">
                    <div class="stepper" role="group" aria-label="Quantity">
                        <button
                            type="button"
                            class="stepper__button"
                            aria-label="One less"
                            on:click=move |_| quantity.update(|q| *q = (*q - 1).max(1))
                        >
                            "−"
                        </button>
                        <output class="stepper__value" data-testid="quantity" aria-live="polite">
                            {move || quantity.get()}
                        </output>
                        <button
                            type="button"
                            class="stepper__button"
                            aria-label="One more"
                            on:click=move |_| quantity.update(|q| *q = (*q + 1).min(99))
                        >
                            "+"
                        </button>
                    </div>
                    <button
                        type="button"
                        class="button button--primary"
                        on:click=move |_| {
                            cart.add(quantity.get());
                            added.set(true);
                            tracker.track(
                                crate::consent_ui::Event::new(crate::consent_ui::EventKind::AddToCart)
                                    .product(product.id.to_string())
                                    .property("quantity", quantity.get().to_string()),
                            );
                        }
                    >
                        "Add to cart"
                    </button>
                    <button
                        type="button"
                        class="button"
                        aria-pressed=move || saved.get().to_string()
                        on:click=move |_| {
                            saved.set(true);
                            if let Ok(event) = crate::consent_ui::Event::custom(WISHLIST_EVENT) {
                                tracker.track(event.product(product.id.to_string()));
                            }
                        }
                    >
                        "Save for later"
                    </button>
                </div>
                <p class="product__added" role="status">
                    {move || added.get().then_some("Added to your cart.")}
                    {move || saved.get().then_some(" Saved for later.")}
                </p>
            </div>
        </article>
        <section class="product__story" aria-labelledby="story-title">
            <h2 id="story-title" class="section-title">"From our roastery"</h2>
            <RoasteryVideo/>
        </section>
        <section class="recommended" aria-labelledby="recommended-title">
            <h2 id="recommended-title" class="section-title">"Recommended for you"</h2>
            <ul class="product-grid product-grid--small">
                {recommended_for(product.id)
                    .map(|product| view! { <ProductCard product module=RECOMMENDATION_MODULE/> })
                    .collect_view()}
            </ul>
        </section>
    }
}
