//! The Leptos components: one file each.

#[cfg(feature = "ssr")]
mod banner_markup;
mod change_consent_link;
mod consent_banner;
mod consent_gate;
mod consent_styles;
mod cookie_details;
mod cookie_policy_script;
mod cookie_policy_text;
#[cfg(feature = "ssr")]
mod current_page;
mod delete_cookies_button;
mod gated_script;
mod tags;

pub use change_consent_link::*;
pub use consent_banner::*;
pub use consent_gate::*;
pub use consent_styles::*;
pub use cookie_details::*;
pub use cookie_policy_script::*;
pub use cookie_policy_text::*;
pub use delete_cookies_button::*;
pub use gated_script::*;
pub use tags::*;

use leptos::tachys::html::InertElement;

/// A component's element as one piece of markup: on the server, the response's HTML; in the
/// browser, the server's element adopted at hydration as it is (the WASM claims the node and
/// never walks what is inside it, so its attributes and content cost the bundle no view
/// code), or built in one go from `html` when a route renders it after client-side
/// navigation.
fn adopted(html: String) -> InertElement {
    InertElement::new(html)
}

/// One element written as HTML, for [`adopted`]: attribute values and texts escaped;
/// [`Markup::html`] takes content that is markup already.
struct Markup {
    tag: &'static str,
    html: String,
}

impl Markup {
    /// `<tag`: the start of an element.
    fn element(tag: &'static str) -> Self {
        let mut html = String::from("<");
        html.push_str(tag);
        Self { tag, html }
    }

    /// The attribute `name="value"`, escaped.
    fn attr(mut self, name: &str, value: &str) -> Self {
        self.html.push(' ');
        self.html.push_str(name);
        self.html.push_str("=\"");
        self.push_escaped(value);
        self.html.push('"');
        self
    }

    /// The attribute `name="value"` when there is a value.
    fn attr_if(self, name: &str, value: Option<&str>) -> Self {
        match value {
            Some(value) => self.attr(name, value),
            None => self,
        }
    }

    /// The element as a void element (`<input>`): no content, no end tag.
    fn void(mut self) -> String {
        self.html.push('>');
        self.html
    }

    /// The element with `text` (escaped) as its content.
    fn text(mut self, text: &str) -> String {
        self.html.push('>');
        self.push_escaped(text);
        self.end()
    }

    /// The element with `html` (markup, not escaped) as its content.
    fn html(mut self, html: &str) -> String {
        self.html.push('>');
        self.html.push_str(html);
        self.end()
    }

    fn end(mut self) -> String {
        self.html.push_str("</");
        self.html.push_str(self.tag);
        self.html.push('>');
        self.html
    }

    /// `text` escaped for an element's content and for a double-quoted attribute alike: the
    /// browser half's one escaper (a few bytes of WASM, where a crate's generic encoders are
    /// hundreds for each use).
    fn push_escaped(&mut self, text: &str) {
        let mut plain = 0;
        for (i, byte) in text.bytes().enumerate() {
            let entity = match byte {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                _ => continue,
            };
            self.html.push_str(&text[plain..i]);
            self.html.push_str(entity);
            plain = i + 1;
        }
        self.html.push_str(&text[plain..]);
    }
}

/// A form's hidden field, `<input type="hidden" name="…" value="…">`, escaped.
fn hidden_field(name: &str, value: &str) -> String {
    Markup::element("input")
        .attr("type", "hidden")
        .attr("name", name)
        .attr("value", value)
        .void()
}

/// A component's class attribute: its own class, then the shop's extra classes. Set once,
/// when it renders: a reactive class would cost every shop's bundle its bindings.
fn classes(own: &'static str, extra: Option<String>) -> String {
    match extra {
        Some(extra) => format!("{own} {extra}"),
        None => own.to_owned(),
    }
}

/// The page's CSP nonce for gated markup: the server's for this response; in the browser (a
/// client-side navigation) the one the page was served with, which the activator asks for.
fn page_nonce() -> Option<String> {
    #[cfg(feature = "ssr")]
    return leptos::nonce::use_nonce().map(|nonce| nonce.to_string());
    #[cfg(not(feature = "ssr"))]
    return crate::client::cookie_policy::page_nonce();
}

#[cfg(test)]
mod tests {
    use super::Markup;

    #[test]
    fn markup_escapes_attribute_values_and_texts() {
        let link = Markup::element("a")
            .attr("href", "/?a=1&b=\"2\"")
            .attr_if("title", None)
            .attr_if("rel", Some("external"))
            .text("<Cookies & co>");
        assert_eq!(
            link,
            r#"<a href="/?a=1&amp;b=&quot;2&quot;" rel="external">&lt;Cookies &amp; co&gt;</a>"#
        );
        let input = Markup::element("input").attr("value", "é<ü").void();
        assert_eq!(input, r#"<input value="é&lt;ü">"#);
        assert_eq!(
            Markup::element("div").html("<p>x</p>"),
            "<div><p>x</p></div>"
        );
    }
}
