//! `<CookiePolicyText/>`: the shop's cookie policy text, with the grid where it says
//! `[[CookieDetails]]`.

#[cfg(feature = "ssr")]
use std::fmt::Write;

use leptos::prelude::*;

/// The placeholder in a policy text that [`CookiePolicyText`] replaces with the grid.
///
/// See [`CookiePolicyText`](crate::CookiePolicyText), whose example places the grid with it.
pub const COOKIE_DETAILS_PLACEHOLDER: &str = "[[CookieDetails]]";

/// The shop's cookie policy (terms page) text, with the
/// [`CookieDetails`](crate::CookieDetails) grid in place of every `[[CookieDetails]]`.
///
/// The text is plain text, rendered escaped: paragraphs are separated by blank lines. The
/// server renders it; rendered by the browser (after client-side navigation) it carries the
/// text, and the page's runtime ([`CookiePolicyScript`](crate::CookiePolicyScript)) builds
/// the same paragraphs and asks the server for the grid.
///
/// ```
/// # use leptos::prelude::*;
/// use leptos_consent::CookiePolicyText;
///
/// #[component]
/// fn Terms() -> impl IntoView {
///     view! {
///         <CookiePolicyText text="We use cookies as listed below.\n\n[[CookieDetails]]\n\nQuestions? Write to us."/>
///     }
/// }
/// ```
#[component]
pub fn CookiePolicyText(
    /// The policy text.
    #[prop(into)]
    text: String,
    /// Extra classes for the wrapping `<div>`, taken when it renders.
    #[prop(optional, into)]
    class: Option<String>,
) -> impl IntoView {
    // Static markup, like the banner's form: one element for the browser bundle to hydrate,
    // however long the text. The server writes it; in the browser (a route rendered after
    // client-side navigation) the page's runtime builds it from the text the element
    // carries, and asks the server for its grids.
    #[cfg(feature = "ssr")]
    let (markup, text) = (
        policy_markup(&text, &crate::server::cookie_details_for_page()),
        None::<String>,
    );
    #[cfg(not(feature = "ssr"))]
    let (markup, text) = (String::new(), Some(text));
    super::adopted(
        super::Markup::element("div")
            .attr("class", &super::classes("lc-policy-text", class))
            .attr_if("data-lc-policy", text.as_deref())
            .html(&markup),
    )
}

/// The text's paragraphs, escaped, with a grid container holding `grid` (server-rendered,
/// escaped markup) at each placeholder.
#[cfg(feature = "ssr")]
fn policy_markup(text: &str, grid: &str) -> String {
    let mut html = String::with_capacity(text.len() + grid.len() + 64);
    for (i, part) in text.split(COOKIE_DETAILS_PLACEHOLDER).enumerate() {
        if i > 0 {
            let _ = write!(html, r#"<div class="lc-cookie-details">{grid}</div>"#);
        }
        for paragraph in paragraphs(part) {
            let _ = write!(html, "<p>{}</p>", html_escape::encode_text(&paragraph));
        }
    }
    html
}

/// The paragraphs of a plain text: runs of lines separated by blank lines.
#[cfg(feature = "ssr")]
fn paragraphs(text: &str) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            if !current.is_empty() {
                paragraphs.push(current.join(" "));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        paragraphs.push(current.join(" "));
    }
    paragraphs
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_separate_paragraphs() {
        assert_eq!(
            paragraphs("  One\nline.\n\n\nTwo.\n  \nThree "),
            ["One line.", "Two.", "Three"]
        );
        assert!(paragraphs("\n \n").is_empty());
    }

    #[test]
    fn the_text_is_escaped_and_the_grid_goes_in_place() {
        let html = policy_markup(
            "<b>Hi</b>\n\n[[CookieDetails]]\n\nBye [[CookieDetails]]",
            "GRID",
        );
        assert_eq!(
            html,
            r#"<p>&lt;b&gt;Hi&lt;/b&gt;</p><div class="lc-cookie-details">GRID</div><p>Bye</p><div class="lc-cookie-details">GRID</div>"#
        );
    }
}
