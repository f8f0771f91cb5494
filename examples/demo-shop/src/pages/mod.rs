//! The shop's pages, one file each.

mod checkout;
mod home;
mod not_found;
mod privacy;
mod product;
mod search;
mod terms;

pub use checkout::CheckoutPage;
pub use home::HomePage;
pub use not_found::NotFound;
pub use privacy::PrivacyPage;
pub use product::{ProductPage, WISHLIST_EVENT};
pub use search::{SearchForm, SearchPage};
pub use terms::TermsPage;

use crate::consent_ui::use_tracker;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::catalog::Product;

/// A product's illustration: a bag, cup or tool drawn in the product's colour.
#[component]
pub fn ProductArt(product: Product) -> impl IntoView {
    let hue = product.hue;
    let body = format!("hsl({hue} 45% 42%)");
    let light = format!("hsl({hue} 55% 78%)");
    let shape = match product.department {
        "Cups" => view! {
            <rect x="34" y="38" width="44" height="44" rx="8" fill=body.clone()/>
            <path d="M78 48 q16 0 16 14 t-16 14" fill="none" stroke=body.clone() stroke-width="6"/>
            <rect x="38" y="42" width="36" height="6" rx="3" fill=light.clone()/>
        }
        .into_any(),
        "Brewing" => view! {
            <path d="M30 84 L40 36 H80 L90 84 Z" fill=body.clone()/>
            <rect x="52" y="22" width="16" height="14" rx="3" fill=light.clone()/>
            <rect x="36" y="60" width="48" height="6" fill=light.clone()/>
        }
        .into_any(),
        _ => view! {
            <path d="M36 30 H84 L90 88 H30 Z" fill=body.clone()/>
            <path d="M36 30 L46 20 H74 L84 30" fill=light.clone()/>
            <circle cx="60" cy="58" r="12" fill=light.clone()/>
        }
        .into_any(),
    };
    view! {
        <svg class="product-art" viewBox="0 0 120 104" role="img" aria-label=product.name>
            <rect width="120" height="104" rx="14" fill=format!("hsl({hue} 60% 94%)")/>
            {shape}
        </svg>
    }
}

/// A product in a grid: picture, name, price, link. In a recommendation module (`module`),
/// a click on it is tracked as an item click of that module.
#[component]
pub fn ProductCard(
    product: Product,
    #[prop(optional)] module: Option<&'static str>,
) -> impl IntoView {
    let tracker = use_tracker();
    let clicked = move |_| {
        if let Some(module) = module {
            tracker.item_click(product.id.to_string(), module);
        }
    };
    view! {
        <li class="product-card">
            <A href=product.href() attr:class="product-card__link" on:click=clicked>
                <ProductArt product/>
                <span class="product-card__name">{product.name}</span>
            </A>
            <span class="product-card__price">{product.price()}</span>
        </li>
    }
}
