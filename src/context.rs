//! The consent context: provided once at the app's root, read by every component.

use std::sync::Arc;

use leptos::prelude::*;

use crate::{
    Category, CategorySet, ConsentAction, ConsentDecision, ConsentState, ConsentTexts,
    bootstrap::{ConsentBootstrap, TrackingBootstrap},
    consent::{DecideError, Submission},
};

#[cfg(feature = "ssr")]
use crate::server::bootstrap;

/// In the browser the state always comes from the server's HTML; this default (no decision,
/// nothing allowed) is only used when a page was not server-rendered.
#[cfg(not(feature = "ssr"))]
fn bootstrap() -> ConsentBootstrap {
    ConsentBootstrap::default()
}

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
    state: RwSignal<ConsentState>,
    texts: StoredValue<Arc<ConsentTexts>>,
    submission: RwSignal<Submission>,
    /// Read by the browser's tracker only.
    #[cfg_attr(feature = "ssr", allow(dead_code))]
    tracking: Option<TrackingBootstrap>,
}

impl ConsentContext {
    /// The whole consent state, reactive.
    pub fn state(&self) -> ReadSignal<ConsentState> {
        self.state.read_only()
    }

    /// The state's signal itself, owned where the context was provided. (A handle from
    /// [`state`](Self::state) belongs to the caller's owner and goes with it: the browser's
    /// tracker, which outlives the route that tracked first, reads this one.)
    #[cfg(not(feature = "ssr"))]
    pub(crate) fn root_state(&self) -> RwSignal<ConsentState> {
        self.state
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
        self.state.with(|state| state.allows(category))
    }

    /// Whether the shopper still has to decide. Reactive.
    pub fn needs_decision(&self) -> bool {
        self.state.with(ConsentState::needs_decision)
    }

    /// The shopper's valid decision, if any. Reactive.
    pub fn decision(&self) -> Option<ConsentDecision> {
        self.state.with(|state| state.decision.clone())
    }

    /// The texts of the site's locale.
    pub fn texts(&self) -> Arc<ConsentTexts> {
        self.texts.get_value()
    }

    /// Where the last decision taken in this page stands. Reactive.
    pub fn submission(&self) -> Submission {
        self.submission.get()
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
        self.submission.set(Submission::Pending);
        match crate::client::post_decision(fields).await {
            Ok(decision) => {
                self.state
                    .update(|state| state.decision = Some(decision.clone()));
                crate::client::cookie_policy::announce();
                self.submission.set(Submission::Saved);
                Ok(decision)
            }
            Err(error) => {
                leptos::logging::warn!("leptos-consent: the decision was not saved: {error}");
                self.submission.set(Submission::Failed);
                Err(error)
            }
        }
    }

    /// Follows the decisions the page's runtime records (the banner's, posted by the
    /// runtime before or after the WASM loaded): from the script element's `data-decision`
    /// into the state, once the page has hydrated (a decision taken before must not change
    /// what hydration adopts) and on every `cookiepolicychange`.
    #[cfg(not(feature = "ssr"))]
    fn follow_the_page(self) {
        let follow = move || {
            let Some(decision) = crate::client::cookie_policy::recorded() else {
                return;
            };
            if self
                .state
                .with_untracked(|state| state.decision.as_ref() != Some(&decision))
            {
                self.state.update(|state| state.decision = Some(decision));
                self.submission.set(Submission::Saved);
            }
        };
        leptos::task::spawn_local(async move { follow() });
        let _ = window_event_listener_untyped("cookiepolicychange", move |_| follow());
    }

    /// The shop's tracking settings, when it tracks.
    #[cfg(not(feature = "ssr"))]
    pub(crate) fn tracking(&self) -> Option<TrackingBootstrap> {
        self.tracking
    }

    /// A text of the site's locale.
    pub(crate) fn text(&self, pick: impl FnOnce(&ConsentTexts) -> &crate::Text) -> String {
        pick(&self.texts()).to_string()
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
    let ConsentBootstrap {
        state,
        texts,
        tracking,
    } = SharedValue::new_str(bootstrap).into_inner();
    let context = ConsentContext {
        state: RwSignal::new(state),
        texts: StoredValue::new(texts),
        submission: RwSignal::new(Submission::Idle),
        tracking,
    };
    provide_context(context);
    #[cfg(not(feature = "ssr"))]
    crate::client::watch_hydration();
    #[cfg(not(feature = "ssr"))]
    context.follow_the_page();
    #[cfg(not(feature = "ssr"))]
    if tracking.is_some() {
        crate::client::tracking::remember_root();
    }
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
