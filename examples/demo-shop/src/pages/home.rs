//! `/`: the shop's front page.

use crate::consent_ui::use_tracker;
use leptos::prelude::*;
use leptos_meta::Title;

use super::{ProductCard, SearchForm};
use crate::{app::SHOP_NAME, catalog::PRODUCTS};

/// The front page: a welcome and every product.
#[component]
pub fn HomePage() -> impl IntoView {
    use_tracker().page_view();
    view! {
        <Title text=format!("{SHOP_NAME} · Coffee roasted in Copenhagen")/>
        <section class="hero">
            <h1 class="hero__title">"Coffee for slow mornings"</h1>
            <p class="hero__text">
                "Small-batch roasts, honest brewing gear and something to dunk. "
                "Free delivery in Denmark on orders over 400 kr."
            </p>
            <SearchForm/>
        </section>
        <section aria-labelledby="products-title">
            <h2 id="products-title" class="section-title">"Our products"</h2>
            <ul class="product-grid">
                {PRODUCTS.into_iter().map(|product| view! { <ProductCard product/> }).collect_view()}
            </ul>
        </section>
    }
}
