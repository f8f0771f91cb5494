//! The consent context: provided once at the app's root, read by every component.

use std::sync::Arc;

use leptos::prelude::*;

use crate::{
    Category, CategorySet, ConsentAction, ConsentDecision, ConsentState, ConsentTexts,
    bootstrap::ConsentBootstrap,
    consent::{DecideError, Submission},
};

#[cfg(feature = "ssr")]
use crate::server::bootstrap;

/// The shopper's consent on this page, reactive. `Copy`; get it with [`use_consent`].
///
/// The server decides the initial state from the request (the consent cookie, Global
/// Privacy Control, `?HideCookieDialog=1`), so the first HTML is already right; the browser
/// takes that state over at hydration and updates it in place when the shopper decides.
///
/// ```
/// # use leptos::prelude::*;
/// use leptos_consent::{ConsentAction, ConsentContext, Submission, use_consent};
///
/// /// A shop's own "Accept all" button, for a page that is not the banner.
/// #[component]
/// fn AcceptAll() -> impl IntoView {
///     let consent: ConsentContext = use_consent();
///     let accept = move |_| {
///         leptos::task::spawn_local(async move {
///             let _ = consent.decide(ConsentAction::AcceptAll, Default::default()).await;
///         })
///     };
///     view! {
///         <button on:click=accept disabled=move || consent.submission() == Submission::Pending>
///             "Accept all cookies"
///         </button>
///     }
/// }
/// ```
#[derive(Clone, Copy)]
pub struct ConsentContext {
    #[cfg(feature = "ssr")]
    reactive: Reactive,
    /// The site's texts.
    #[cfg(feature = "ssr")]
    texts: StoredValue<Arc<ConsentTexts>>,
    /// In the browser: the page's consent as the server handed it over, its reactive parts
    /// made when first asked for (a shop whose browser half reads nothing of it, one with
    /// only the banner and the link, carries no code for them).
    #[cfg(not(feature = "ssr"))]
    page: &'static PageConsent,
}

/// The context's reactive parts.
#[derive(Clone, Copy)]
struct Reactive {
    state: RwSignal<ConsentState>,
    submission: RwSignal<Submission>,
}

/// The browser's context: the page's hydration string, read when first asked.
#[cfg(not(feature = "ssr"))]
struct PageConsent {
    /// [`ConsentBootstrap`]'s form, as the server rendered it.
    bootstrap: String,
    /// The app's root owner, which the reactive parts belong to whenever they are made.
    root: Option<Owner>,
    reactive: std::sync::OnceLock<Reactive>,
}

#[cfg(not(feature = "ssr"))]
impl PageConsent {
    fn reactive(&'static self) -> Reactive {
        *self.reactive.get_or_init(|| {
            // Only a page the server did not render (or another version of the crate did)
            // has no readable state: then no decision, nothing allowed.
            let ConsentBootstrap { state, .. } = self.bootstrap.parse().unwrap_or_default();
            let make = move || Reactive {
                state: RwSignal::new(state),
                submission: RwSignal::new(Submission::Idle),
            };
            let reactive = match &self.root {
                Some(root) => root.with(make),
                None => make(),
            };
            follow_the_page(reactive);
            reactive
        })
    }

    /// The texts' part of the hydration string.
    fn texts(&self) -> &str {
        crate::bootstrap::texts_part(&self.bootstrap)
    }
}

/// Follows the decisions the page's runtime records (the banner's, posted by the runtime
/// before or after the WASM loaded): from the script element's `data-decision` into the
/// state, once the page has hydrated (a decision taken before must not change what
/// hydration adopts) and on every `cookiepolicychange`.
#[cfg(not(feature = "ssr"))]
fn follow_the_page(reactive: Reactive) {
    let follow = move || {
        let Some(decision) = crate::client::cookie_policy::recorded() else {
            return;
        };
        if reactive
            .state
            .with_untracked(|state| state.decision.as_ref() != Some(&decision))
        {
            reactive
                .state
                .update(|state| state.decision = Some(decision));
            reactive.submission.set(Submission::Saved);
        }
    };
    if crate::client::hydrating() {
        leptos::task::spawn_local(async move { follow() });
    } else {
        follow();
    }
    let _ = window_event_listener_untyped("cookiepolicychange", move |_| follow());
}

impl ConsentContext {
    /// The whole consent state, reactive.
    pub fn state(&self) -> ReadSignal<ConsentState> {
        self.reactive().state.read_only()
    }

    /// Whether `category` may be used now. Reactive: re-runs when the shopper decides.
    ///
    /// ```
    /// # use leptos::prelude::*;
    /// use leptos_consent::{Category, use_consent};
    ///
    /// #[component]
    /// fn ReviewsWidget() -> impl IntoView {
    ///     let consent = use_consent();
    ///     move || consent.allows(Category::Functional).then(|| view! { <iframe src="/reviews"></iframe> })
    /// }
    /// ```
    pub fn allows(&self, category: Category) -> bool {
        self.reactive().state.with(|state| state.allows(category))
    }

    /// Whether the shopper still has to decide. Reactive.
    pub fn needs_decision(&self) -> bool {
        self.reactive().state.with(ConsentState::needs_decision)
    }

    /// The shopper's valid decision, if any. Reactive.
    pub fn decision(&self) -> Option<ConsentDecision> {
        self.reactive().state.with(|state| state.decision.clone())
    }

    /// The texts of the site's locale.
    pub fn texts(&self) -> Arc<ConsentTexts> {
        #[cfg(feature = "ssr")]
        return self.texts.get_value();
        #[cfg(not(feature = "ssr"))]
        return Arc::new(crate::bootstrap::texts_of(self.page.texts()));
    }

    /// Where the last decision taken in this page stands. Reactive.
    pub fn submission(&self) -> Submission {
        self.reactive().submission.get()
    }

    /// Records a decision from the page: posts it to [`decide_consent`](crate::endpoints::decide_consent)
    /// (which sets the consent cookie) and, once the server has recorded it, updates the
    /// state, so everything that reads [`allows`](Self::allows) follows at once. Resolves to
    /// the recorded decision. `ticked` only matters for [`ConsentAction::Custom`].
    ///
    /// It runs in the browser; on the server (where nothing has been clicked) it fails with
    /// [`DecideError::NotInBrowser`]. Pages that must work without JavaScript post a form to
    /// the endpoint instead, as [`ConsentBanner`](crate::ConsentBanner) does.
    pub async fn decide(
        &self,
        action: ConsentAction,
        ticked: CategorySet,
    ) -> Result<ConsentDecision, DecideError> {
        #[cfg(not(feature = "ssr"))]
        {
            self.post_decision(&crate::client::decision_fields(action, ticked))
                .await
        }
        #[cfg(feature = "ssr")]
        {
            let _ = (action, ticked);
            Err(DecideError::NotInBrowser)
        }
    }

    /// Posts a decision's url-encoded form fields (a form of ours, or
    /// [`decide`](Self::decide)'s) and, once the server has recorded it, updates the state
    /// and `window.CookiePolicy`.
    #[cfg(not(feature = "ssr"))]
    pub(crate) async fn post_decision(&self, fields: &str) -> Result<ConsentDecision, DecideError> {
        let Reactive {
            state, submission, ..
        } = self.reactive();
        submission.set(Submission::Pending);
        match crate::client::post_decision(fields).await {
            Ok(decision) => {
                state.update(|state| state.decision = Some(decision.clone()));
                crate::client::cookie_policy::announce();
                submission.set(Submission::Saved);
                Ok(decision)
            }
            Err(error) => {
                leptos::logging::warn!("leptos-consent: the decision was not saved: {error}");
                submission.set(Submission::Failed);
                Err(error)
            }
        }
    }

    /// The reactive parts (in the browser, made when first asked for).
    fn reactive(&self) -> Reactive {
        #[cfg(feature = "ssr")]
        return self.reactive;
        #[cfg(not(feature = "ssr"))]
        return self.page.reactive();
    }

    /// The text of the site's locale at `index` of [`ConsentTexts::fields`]
    /// ([`ConsentTexts::CHANGE_CONSENT`], …).
    pub(crate) fn text(&self, index: usize) -> String {
        #[cfg(feature = "ssr")]
        return self
            .texts
            .with_value(|texts| texts.fields()[index].to_string());
        #[cfg(not(feature = "ssr"))]
        return crate::bootstrap::text_at(self.page.texts(), index);
    }
}

/// Provides the [`ConsentContext`] for the app and returns it. Call it once at the root of
/// your app, before the router; calling it again returns the same context.
///
/// On the server it reads the request the [`ConsentLayer`](crate::ConsentLayer) prepared;
/// in the browser it picks up the state the server rendered.
///
/// ```
/// # use leptos::prelude::*;
/// use leptos_consent::{ConsentBanner, provide_consent};
///
/// #[component]
/// fn App() -> impl IntoView {
///     provide_consent();
///     view! { <ConsentBanner/> <main>"…"</main> }
/// }
/// ```
pub fn provide_consent() -> ConsentContext {
    if let Some(existing) = use_context::<ConsentContext>() {
        return existing;
    }
    #[cfg(feature = "ssr")]
    let context = {
        let bootstrap = bootstrap();
        // Into the page, for the browser to take over at hydration.
        let _ = SharedValue::new_str(|| bootstrap.to_string());
        let ConsentBootstrap { state, texts } = bootstrap;
        ConsentContext {
            reactive: Reactive {
                state: RwSignal::new(state),
                submission: RwSignal::new(Submission::Idle),
            },
            texts: StoredValue::new(texts),
        }
    };
    #[cfg(not(feature = "ssr"))]
    let context = {
        // Read as the page carried it; none (a page the server did not render) reads as the
        // default state.
        let bootstrap = SharedValue::new_str(String::new);
        crate::client::watch_hydration();
        // One context a page, kept for the page's life.
        let page = Box::leak(Box::new(PageConsent {
            bootstrap: bootstrap.into_inner(),
            root: Owner::current(),
            reactive: std::sync::OnceLock::new(),
        }));
        ConsentContext { page }
    };
    provide_context(context);
    context
}

/// The [`ConsentContext`] provided by [`provide_consent`].
///
/// ```
/// # use leptos::prelude::*;
/// use leptos_consent::{Category, use_consent};
///
/// #[component]
/// fn MapEmbed() -> impl IntoView {
///     let consent = use_consent();
///     move || consent.allows(Category::Functional).then(|| view! { <iframe src="/map"></iframe> })
/// }
/// ```
///
/// # Panics
///
/// When no [`provide_consent`] ran above the caller: every component of the crate and
/// [`use_tracker`](crate::use_tracker) in the browser need the one context of the app, and a
/// second one made silently would disagree with it after the shopper decides.
#[track_caller]
pub fn use_consent() -> ConsentContext {
    use_context().unwrap_or_else(|| {
        panic!(
            "leptos-consent: no ConsentContext here. Call `leptos_consent::provide_consent()` \
             once at the root of your app, before the <Router> and before any consent \
             component (ConsentBanner, CookieDetails, ConsentGate, ...)."
        )
    })
}
