//! Keeping the cookie details grid true to `document.cookie`.
//!
//! The server renders the grid from the cookies the request carried. Scripts may have set
//! more since (or on a path the request did not cover), so the browser compares the names in
//! `document.cookie` with the ones the grid was rendered for and, when one is new (or the grid
//! was never rendered, after client-side navigation), asks the server for the grid again with
//! those names. The registry, its matching and all escaping stay on the server.

use leptos::prelude::window;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, HtmlDocument, Response, UrlSearchParams};

use crate::protocol::{CHECKED_ATTRIBUTE, COOKIE_DETAILS_PATH};

/// Refreshes `container` when it is a grid, else every grid inside it.
pub(crate) fn refresh_all(container: &Element) {
    if container.class_list().contains("lc-cookie-details") {
        refresh(container.clone());
    } else if let Ok(grids) = container.query_selector_all(".lc-cookie-details") {
        for grid in (0..grids.length()).filter_map(|i| grids.item(i)) {
            if let Ok(grid) = grid.dyn_into::<Element>() {
                refresh(grid);
            }
        }
    }
}

/// Refreshes `grid` (a `.lc-cookie-details` element) when `document.cookie` holds names it was
/// not rendered for.
pub(crate) fn refresh(grid: Element) {
    let present = document_cookie_names();
    let checked = grid
        .query_selector(&format!("[{CHECKED_ATTRIBUTE}]"))
        .ok()
        .flatten()
        .and_then(|content| content.get_attribute(CHECKED_ATTRIBUTE));
    let up_to_date = checked.is_some_and(|checked| {
        let checked: Vec<&str> = checked.split(';').collect();
        present.iter().all(|name| checked.contains(&name.as_str()))
    });
    if up_to_date {
        return;
    }
    leptos::task::spawn_local(async move {
        match fetch_grid(&present).await {
            Ok(html) => grid.set_inner_html(&html),
            Err(error) => {
                leptos::logging::warn!("leptos-consent: cookie details not refreshed: {error:?}")
            }
        }
    });
}

/// The names in `document.cookie`, each once.
fn document_cookie_names() -> Vec<String> {
    let cookies = leptos::prelude::document()
        .dyn_into::<HtmlDocument>()
        .ok()
        .and_then(|document| document.cookie().ok())
        .unwrap_or_default();
    let mut names: Vec<String> = Vec::new();
    for pair in cookies.split(';') {
        let name = pair.split_once('=').map_or(pair, |(name, _)| name).trim();
        if !name.is_empty() && !names.iter().any(|n| n == name) {
            names.push(name.to_owned());
        }
    }
    names
}

/// The grid's markup from the server, for the request's cookies and `present`.
async fn fetch_grid(present: &[String]) -> Result<String, JsValue> {
    let query = UrlSearchParams::new()?;
    query.append("present", &present.join(";"));
    let url = format!(
        "{}?{}",
        COOKIE_DETAILS_PATH,
        String::from(query.to_string())
    );
    let response: Response = JsFuture::from(window().fetch_with_str(&url))
        .await?
        .unchecked_into();
    if !response.ok() {
        return Err(JsValue::from(response.status()));
    }
    // The server function answers with a JSON string.
    JsFuture::from(response.json()?)
        .await?
        .as_string()
        .ok_or_else(|| JsValue::from_str("not a string"))
}
