//! `<CookiePolicyText/>`: the shop's cookie policy text, with the grid where it says
//! `[[CookieDetails]]`.

use leptos::prelude::*;

use super::CookieDetails;

/// The placeholder in a policy text that [`CookiePolicyText`] replaces with the grid.
pub const COOKIE_DETAILS_PLACEHOLDER: &str = "[[CookieDetails]]";

/// The shop's cookie policy (terms page) text, with [`CookieDetails`] in place of every
/// `[[CookieDetails]]`.
///
/// The text is plain text, rendered escaped: paragraphs are separated by blank lines.
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
    /// Extra classes for the wrapping `<div>`.
    #[prop(optional, into)]
    class: Option<String>,
) -> impl IntoView {
    let parts: Vec<Vec<String>> = text
        .split(COOKIE_DETAILS_PLACEHOLDER)
        .map(paragraphs)
        .collect();
    let class = match class {
        Some(extra) => format!("lc-policy-text {extra}"),
        None => "lc-policy-text".to_owned(),
    };
    let content = parts
        .into_iter()
        .enumerate()
        .map(|(i, paragraphs)| {
            view! {
                {(i > 0).then(|| view! { <CookieDetails/> })}
                {paragraphs.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
            }
        })
        .collect_view();
    view! { <div class=class>{content}</div> }
}

/// The paragraphs of a plain text: runs of lines separated by blank lines.
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

#[cfg(test)]
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
}
