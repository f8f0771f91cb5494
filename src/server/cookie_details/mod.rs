//! The cookie details grid: the registry entries whose cookies a request carries, every
//! shop-local entry, and every present cookie nothing matches, by category.
//!
//! The server renders it (into the banner's toggle, into `<CookieDetails/>`, and for the
//! browser's refresh through [`cookie_details`](crate::cookie_details)); the browser only
//! asks for it again when `document.cookie` holds names the server did not see.

mod grid;
mod markup;

use http::request::Parts;

use super::{
    ConsentConfig, RequestConsent,
    request::{self, request_cookie_names},
};

/// The most cookie names a browser may report for one grid.
pub(crate) const MAX_REPORTED_COOKIES: usize = request::MAX_COOKIE_NAMES;
/// The longest cookie name a browser may report.
pub(crate) const MAX_REPORTED_NAME_LEN: usize = 256;

impl ConsentConfig {
    /// The cookie details grid's HTML for a shopper whose browser holds the cookies
    /// `cookie_names`: what `<CookieDetails/>` renders, for shops that need it elsewhere.
    /// Every text is escaped.
    ///
    /// ```
    /// use leptos_consent::ConsentConfig;
    ///
    /// let config = ConsentConfig::builder().secret([7; 32]).build()?;
    /// let html = config.cookie_details_html(&["_ga", "lc_consent", "<b>odd</b>"]);
    /// assert!(html.contains("Google LLC"));
    /// assert!(html.contains("&lt;b&gt;odd&lt;/b&gt;"));
    /// # Ok::<(), leptos_consent::ConfigError>(())
    /// ```
    pub fn cookie_details_html(&self, cookie_names: &[&str]) -> String {
        self.cookie_details_html_in(self.locale(), cookie_names)
    }

    /// [`cookie_details_html`](Self::cookie_details_html) in `locale` (one of the shop's
    /// [`locales`](Self::locales)).
    pub fn cookie_details_html_in(&self, locale: &str, cookie_names: &[&str]) -> String {
        let snapshot = self.cookie_registry().snapshot();
        let rows = grid::select(&snapshot, cookie_names);
        markup::grid_html(
            &rows,
            cookie_names,
            &markup::GridLanguage {
                site_id: self.site_id(),
                locale,
                consent: self.texts_for(locale),
                details: self.cookie_details_texts_for(locale),
            },
        )
    }
}

impl RequestConsent {
    /// The grid in the request's locale.
    pub(crate) fn cookie_details_html(&self, cookie_names: &[&str]) -> String {
        self.config
            .cookie_details_html_in(&self.locale, cookie_names)
    }
}

/// Cookie names a browser reported (`;`-separated, as `document.cookie` holds them), checked.
pub(crate) fn reported_cookie_names(reported: &str) -> Result<Vec<&str>, String> {
    let names: Vec<&str> = reported
        .split(';')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .collect();
    if names.len() > MAX_REPORTED_COOKIES {
        return Err(format!(
            "{} cookie names reported; at most {MAX_REPORTED_COOKIES}",
            names.len()
        ));
    }
    if let Some(long) = names.iter().find(|n| n.len() > MAX_REPORTED_NAME_LEN) {
        return Err(format!(
            "a cookie name of {} bytes reported; at most {MAX_REPORTED_NAME_LEN}",
            long.len()
        ));
    }
    if names.iter().any(|n| n.chars().any(char::is_control)) {
        return Err("a reported cookie name holds a control character".to_owned());
    }
    Ok(names)
}

/// The grid as it would show `entry` alone, on `site_id` in `locale`: the privacy
/// console's preview of an entry being written.
#[cfg(feature = "console")]
pub(crate) fn preview_html(
    entry: crate::registry::CookieEntry,
    site_id: i32,
    locale: &str,
) -> String {
    let snapshot = crate::registry::RegistrySnapshot::merge(&[entry], &[], Default::default());
    let rows = grid::select(&snapshot, &[]);
    markup::grid_html(
        &rows,
        &[],
        &markup::GridLanguage {
            site_id,
            locale,
            consent: &crate::texts::ConsentTexts::for_locale(locale),
            details: &crate::texts::CookieDetailsTexts::for_locale(locale),
        },
    )
}

/// The grid for the page being rendered, from the request's cookies (empty without the
/// consent layer).
pub(crate) fn cookie_details_for_page() -> String {
    leptos::reactive::owner::with_context::<Parts, _>(|parts| {
        let consent = RequestConsent::of_parts(parts)?;
        Some(consent.cookie_details_html(&request_cookie_names(&parts.headers)))
    })
    .flatten()
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{markup::GridLanguage, *};
    use crate::{
        Category,
        registry::{
            CookieEntry, CookieText, EntrySource, Lifetime, Reask, RegistrySnapshot,
            consent_cookie_entry,
        },
        texts::{ConsentTexts, CookieDetailsTexts},
    };

    fn local(
        id: i64,
        name: &str,
        category: Category,
        author: &str,
        description: &str,
    ) -> CookieEntry {
        CookieEntry {
            source: EntrySource::Local { id },
            name: name.into(),
            category,
            lifetime: Lifetime::days(30),
            is_third_party: !author.is_empty(),
            third_party_author: author.into(),
            texts: vec![CookieText {
                site_id: Some(1),
                locale: "en".into(),
                description: description.into(),
                ..CookieText::default()
            }],
        }
    }

    fn snapshot(local: &[CookieEntry]) -> RegistrySnapshot {
        RegistrySnapshot::merge(
            local,
            &[consent_cookie_entry("lc_consent", 365)],
            Reask::default(),
        )
    }

    fn render(snapshot: &RegistrySnapshot, present: &[&str]) -> String {
        let rows = grid::select(snapshot, present);
        markup::grid_html(
            &rows,
            present,
            &GridLanguage {
                site_id: 1,
                locale: "en",
                consent: &ConsentTexts::english(),
                details: &CookieDetailsTexts::english(),
            },
        )
    }

    fn names(entries: &[&CookieEntry]) -> Vec<String> {
        entries.iter().map(|e| e.name.clone()).collect()
    }

    #[test]
    fn shows_present_native_cookies_all_local_ones_and_the_unknown() {
        let snapshot = snapshot(&[local(
            1,
            "_demo_stats",
            Category::Statistics,
            "",
            "Demo statistics",
        )]);
        let rows = grid::select(
            &snapshot,
            &["lc_consent", "_ga_K4Z", "mystery", "mystery", "_ga_K4Z"],
        );
        assert_eq!(names(&rows.known[0]), ["lc_consent"]);
        assert!(rows.known[1].is_empty());
        assert_eq!(names(&rows.known[2]), ["_demo_stats", "_ga_*"]);
        assert!(
            rows.known[3].is_empty(),
            "absent native cookies are not shown"
        );
        assert_eq!(rows.unknown, ["mystery"]);

        let empty = grid::select(&snapshot, &[]);
        assert_eq!(
            names(&empty.known[2]),
            ["_demo_stats"],
            "local entries always show"
        );
    }

    #[test]
    fn a_local_entry_replaces_the_native_one_of_its_name_and_always_shows() {
        let snapshot = snapshot(&[local(
            7,
            "_ga",
            Category::Tracking,
            "Our agency",
            "Agency analytics",
        )]);
        let ga: Vec<_> = snapshot.lookup("_ga").collect();
        assert_eq!(ga.len(), 1);
        assert_eq!(ga[0].source, EntrySource::Local { id: 7 });
        let rows = grid::select(&snapshot, &[]);
        assert_eq!(names(&rows.known[3]), ["_ga"]);
        assert!(
            rows.known[2].is_empty(),
            "the native _ga (statistics) is gone"
        );
        let html = render(&snapshot, &[]);
        assert!(
            html.contains("Agency analytics") && html.contains("Our agency"),
            "{html}"
        );
    }

    #[test]
    fn duplicate_local_names_all_show() {
        let snapshot = snapshot(&[
            local(1, "uid", Category::Tracking, "Partner A", "A's id"),
            local(2, "uid", Category::Tracking, "Partner B", "B's id"),
        ]);
        assert_eq!(snapshot.lookup("uid").count(), 2);
        let html = render(&snapshot, &["uid"]);
        assert!(html.contains("Partner A") && html.contains("Partner B"));
    }

    /// By default only what matters to a consent asks again (issue: one renamed functional
    /// cookie used to re-ask every shopper); `Reask::AnyChange` keeps the strict rule.
    #[test]
    fn the_registry_feeds_the_fingerprint() {
        let fp = |entries: &[CookieEntry]| snapshot(entries).fingerprint();
        let functional = |name: &str, author: &str, words: &str| {
            local(1, name, Category::Functional, author, words)
        };
        let base = fp(&[]);
        let added = fp(&[functional("_x", "", "")]);
        assert_ne!(base, added, "a cookie more asks again");
        let tracking = fp(&[local(1, "_t", Category::Tracking, "", "")]);
        assert_ne!(base, tracking, "a new tracking cookie asks again");
        assert_ne!(
            added,
            fp(&[local(1, "_x", Category::Tracking, "", "")]),
            "a changed category asks again"
        );
        assert_ne!(
            added,
            fp(&[functional("_x", "Partner Ltd", "")]),
            "a new third party asks again"
        );
        let mut longer = functional("_x", "", "");
        longer.lifetime = Lifetime::days(10 * 365);
        assert_ne!(added, fp(&[longer]), "a longer longest lifetime asks again");

        assert_eq!(
            added,
            fp(&[functional("_x", "", "New words")]),
            "rewording does not"
        );
        assert_eq!(
            added,
            fp(&[functional("_renamed", "", "")]),
            "renaming does not"
        );
        assert_eq!(
            base,
            fp(&[local(1, "sid", Category::System, "", "")]),
            "an essential cookie does not"
        );
        let essential_longer = RegistrySnapshot::merge(
            &[],
            &[consent_cookie_entry("lc_consent", 180)],
            Reask::default(),
        );
        assert_eq!(base, essential_longer.fingerprint(), "nor its lifetime");

        let strict = |entries: &[CookieEntry], days| {
            RegistrySnapshot::merge(
                entries,
                &[consent_cookie_entry("lc_consent", days)],
                Reask::AnyChange,
            )
            .fingerprint()
        };
        let strict_added = strict(&[functional("_x", "", "")], 365);
        assert_ne!(strict_added, strict(&[functional("_renamed", "", "")], 365));
        assert_ne!(strict_added, strict(&[functional("_x", "", "")], 180));
        assert_eq!(
            strict_added,
            strict(&[functional("_x", "", "New words")], 365),
            "texts never count"
        );
    }

    #[test]
    fn everything_a_shop_types_renders_as_text() {
        let payloads = [
            r#""><script>alert(1)</script>"#,
            "javascript:alert(document.cookie)",
            // CVE-2023-3388 style: break out of a quoted attribute, add a handler.
            r#"x" autofocus onfocus="alert(document.domain)" x=""#,
            "x' onmouseover='alert(1)' x='",
            "<img src=x onerror=alert(1)>",
        ];
        for payload in payloads {
            let mut entry = local(1, "evil", Category::Functional, payload, payload);
            entry.texts[0].third_party_author_description = payload.into();
            entry.texts[0].expire_text = payload.into();
            let snapshot = snapshot(&[entry]);
            let html = render(&snapshot, &[payload, "lc_consent"]);
            assert_only_our_markup(&html);
            assert!(html.contains(&*html_escape::encode_text(payload)), "{html}");
        }
    }

    /// Every tag in `html` is one the grid writes, with only the grid's attributes: text is
    /// escaped, so each `<` opens a real tag, and attribute values are double-quoted with
    /// their quotes escaped.
    fn assert_only_our_markup(html: &str) {
        const TAGS: [&str; 13] = [
            "div", "section", "h3", "span", "table", "thead", "tbody", "tr", "th", "td", "p",
            "code", "br",
        ];
        const ATTRIBUTES: [&str; 6] = [
            "class",
            "data-lc-checked",
            "data-category",
            "data-source",
            "data-label",
            "scope",
        ];
        for tag in html.split('<').skip(1) {
            let tag = &tag[..tag.find('>').expect("every tag closes")];
            if let Some(closing) = tag.strip_prefix('/') {
                assert!(TAGS.contains(&closing), "</{closing}>");
                continue;
            }
            let (name, mut rest) = tag.split_once(' ').unwrap_or((tag, ""));
            assert!(TAGS.contains(&name), "<{tag}>");
            while !rest.is_empty() {
                let (attribute, value) = rest.split_once("=\"").expect("name=\"value\"");
                assert!(
                    ATTRIBUTES.contains(&attribute.trim()),
                    "{attribute} in <{tag}>"
                );
                let end = value.find('"').expect("closing quote");
                rest = value[end + 1..].trim_start();
            }
        }
    }

    #[test]
    fn lifetimes_and_unknown_rows_read_well() {
        let snapshot = snapshot(&[]);
        let html = render(&snapshot, &["_ga", "lc_consent", "odd"]);
        assert!(html.contains(">2 years<"), "{html}");
        assert!(html.contains(">1 year<"), "{html}");
        assert!(html.contains(r#"data-category="unknown""#), "{html}");
        assert!(
            html.contains(r#"data-lc-checked="_ga;lc_consent;odd""#),
            "{html}"
        );
        let empty = RegistrySnapshot::merge(&[], &[], Reask::default());
        assert!(render(&empty, &[]).contains("No cookies are in use."));
    }

    #[test]
    fn reported_names_are_bounded() {
        assert_eq!(reported_cookie_names(" a; b ;;c").unwrap(), ["a", "b", "c"]);
        assert!(reported_cookie_names(&"x;".repeat(MAX_REPORTED_COOKIES + 1)).is_err());
        assert!(reported_cookie_names(&"x".repeat(MAX_REPORTED_NAME_LEN + 1)).is_err());
        assert!(reported_cookie_names("a\u{1}b").is_err());
        assert!(reported_cookie_names("").unwrap().is_empty());
    }
}
