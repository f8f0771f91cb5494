//! `/search?q=…`: the shop's search. Its server call asks the shop's search provider (the
//! demo's stand-in) with the same visitor and session ids as tracking, so that the provider
//! can join a search to the clicks after it (`leptos_consent::tracking::TrackingIds`).

use crate::consent_ui::use_tracker;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::ProductCard;
use crate::{app::SHOP_NAME, catalog};

/// The products whose name or description holds `query`, by id. On the server it also
/// tells the search provider, with tracking's ids where consent allows them.
#[server]
pub async fn search_products(query: String) -> Result<Vec<u32>, ServerFnError> {
    Ok(crate::server::search(&query).await)
}

/// The search form, for the front page and the search page: a plain GET form, so it
/// works without JavaScript.
#[component]
pub fn SearchForm(#[prop(optional, into)] query: String) -> impl IntoView {
    view! {
        <form class="search" action="/search" method="get" role="search">
            <label class="search__label" for="search-query">"Search the shop"</label>
            <input class="search__input" id="search-query" name="q" type="search" value=query/>
            <button class="search__button" type="submit">"Search"</button>
        </form>
    }
}

/// The results for `?q=`.
#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let query = move || query.read().get("q").unwrap_or_default();
    use_tracker().page_view();
    let results = Resource::new(query, search_products);
    view! {
        <Title text=format!("Search · {SHOP_NAME}")/>
        <h1 class="section-title">"Search"</h1>
        <SearchForm query=query()/>
        <Suspense fallback=|| view! { <p>"Searching…"</p> }>
            {move || {
                results
                    .get()
                    .map(|found| match found {
                        Ok(ids) if ids.is_empty() => {
                            view! { <p class="search__none">"Nothing found."</p> }.into_any()
                        }
                        Ok(ids) => {
                            view! {
                                <ul class="product-grid search__results">
                                    {ids
                                        .into_iter()
                                        .filter_map(catalog::product)
                                        .map(|product| view! { <ProductCard product/> })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(_) => view! { <p>"The search failed; please try again."</p> }.into_any(),
                    })
            }}
        </Suspense>
    }
}
