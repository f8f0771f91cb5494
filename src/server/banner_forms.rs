//! The banner's form, rendered once for the many requests it fits.
//!
//! Every page an undecided shopper sees renders the banner: its texts, every category and
//! service, how long a choice is kept and the cookie details grid (the registry matched
//! against the request's cookies), each text escaped. All of it is the same for requests in
//! one locale, with or without Global Privacy Control, carrying the same cookie names, under
//! one registry snapshot; only the page to come back to differs, and it is written in front
//! of the form's shared part. So the config keeps the shared parts it rendered, for as long
//! as the registry snapshot they were rendered under is current.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

/// The most forms kept: the keys come from requests (their cookie names), so a flood of
/// odd names empties the cache rather than growing it.
const MAX_FORMS: usize = 256;

/// What the shared part of a banner form depends on, beyond the config: the request's
/// locale, whether it sends Global Privacy Control, and its cookie names in their order
/// (the grid lists them so).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct FormKey {
    pub(crate) locale: Arc<str>,
    pub(crate) gpc: bool,
    pub(crate) cookie_names: String,
}

/// The forms rendered under one registry snapshot (its generation).
#[derive(Debug, Default)]
pub(crate) struct BannerForms(Mutex<(u64, HashMap<FormKey, Arc<str>>)>);

impl BannerForms {
    /// The form for `key` under the registry snapshot of `generation`: kept, or made by
    /// `render` (outside the lock) and kept.
    pub(crate) fn get_or_render(
        &self,
        generation: u64,
        key: FormKey,
        render: impl FnOnce() -> String,
    ) -> Arc<str> {
        if let Some(form) = self.with_kept(generation, |kept| kept.get(&key).cloned()) {
            return form;
        }
        let form: Arc<str> = render().into();
        self.with_kept(generation, |kept| {
            if kept.len() >= MAX_FORMS {
                kept.clear();
            }
            kept.insert(key, form.clone());
        });
        form
    }

    /// Runs `f` on the forms of `generation`, emptied first when the registry has a newer
    /// snapshot than the one they were rendered under.
    fn with_kept<R>(
        &self,
        generation: u64,
        f: impl FnOnce(&mut HashMap<FormKey, Arc<str>>) -> R,
    ) -> R {
        let mut kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if kept.0 != generation {
            *kept = (generation, HashMap::new());
        }
        f(&mut kept.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(cookie_names: &str) -> FormKey {
        FormKey {
            locale: "en".into(),
            gpc: false,
            cookie_names: cookie_names.to_owned(),
        }
    }

    #[test]
    fn a_form_is_rendered_once_per_key_and_snapshot() {
        let forms = BannerForms::default();
        let mut renders = 0;
        let mut render = |html: &str| {
            renders += 1;
            html.to_owned()
        };
        assert_eq!(&*forms.get_or_render(1, key(""), || render("a")), "a");
        assert_eq!(&*forms.get_or_render(1, key(""), || render("x")), "a");
        assert_eq!(&*forms.get_or_render(1, key("cart"), || render("b")), "b");
        // A new registry snapshot: everything is rendered again.
        assert_eq!(&*forms.get_or_render(2, key(""), || render("c")), "c");
        assert_eq!(renders, 3);
    }

    #[test]
    fn odd_cookie_names_cannot_grow_it() {
        let forms = BannerForms::default();
        for i in 0..MAX_FORMS * 3 {
            forms.get_or_render(1, key(&format!("n{i}")), String::new);
        }
        assert!(forms.0.lock().unwrap().1.len() <= MAX_FORMS);
    }
}
