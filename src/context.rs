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
    /// In the browser the page's consent is [`BOOTSTRAP`]'s and [`PAGE`]'s: one app a page.
    #[cfg(not(feature = "ssr"))]
    _page: (),
}

/// The server's reactive parts (nothing changes them while a page renders, but the context's
/// readers are the same in both halves).
#[cfg(feature = "ssr")]
#[derive(Clone, Copy)]
struct Reactive {
    state: RwSignal<ConsentState>,
    submission: RwSignal<Submission>,
}

#[cfg(not(feature = "ssr"))]
thread_local! {
    /// The page's hydration string in the browser ([`ConsentBootstrap`]'s form, as the
    /// server rendered it), kept by [`provide_consent`] for the page's life: one app a page.
    /// `None` until then, which is how [`use_consent`] knows the context was not provided
    /// (the browser's context is these thread-locals, not a Leptos context to look up).
    static BOOTSTRAP: std::cell::Cell<Option<&'static str>> = const { std::cell::Cell::new(None) };
    /// The page's consent in the browser, read from [`BOOTSTRAP`] when first asked for (a
    /// shop whose browser half reads nothing of it, one with only the banner and the link,
    /// carries no code for reading it).
    static PAGE: PageConsent = PageConsent::default();
}

/// The browser's consent for the page: the state, where the last decision taken in the
/// page stands, and one trigger for whatever read them. Plain data and one non-generic
/// trigger rather than signals: each signal's type costs the browser bundle its own copy of
/// the signal code.
#[cfg(not(feature = "ssr"))]
#[derive(Default)]
struct PageConsent {
    /// The state, and where the last decision taken in the page stands.
    now: std::cell::RefCell<Option<(ConsentState, Submission)>>,
    /// Notified when `now` changes: what read it runs again.
    changed: ArcTrigger,
}

/// Reads the page's state from [`BOOTSTRAP`] the first time it is asked for, and from then
/// on follows the page (not tracked).
#[cfg(not(feature = "ssr"))]
fn read_once() {
    let first = PAGE.with(|page| {
        let mut now = page.now.borrow_mut();
        let first = now.is_none();
        if first {
            // Only a page the server did not render (or another version of the crate did)
            // has no readable state: then no decision, nothing allowed.
            let bootstrap: ConsentBootstrap = page_bootstrap().parse().unwrap_or_default();
            *now = Some((bootstrap.state, Submission::Idle));
        }
        first
    });
    if first {
        follow_the_page();
    }
}

/// Reads the page's consent in the browser, reactively: what reads it runs again when it
/// changes.
#[cfg(not(feature = "ssr"))]
fn read_page<R>(read: impl FnOnce(&ConsentState, Submission) -> R) -> R {
    read_once();
    PAGE.with(|page| {
        page.changed.track();
        match page.now.borrow().as_ref() {
            Some((state, submission)) => read(state, *submission),
            None => read(&ConsentState::default(), Submission::Idle),
        }
    })
}

/// Changes the page's consent in the browser, and runs what read it again.
#[cfg(not(feature = "ssr"))]
fn write_page(write: impl FnOnce(&mut ConsentState, &mut Submission)) {
    read_once();
    PAGE.with(|page| {
        if let Some((state, submission)) = page.now.borrow_mut().as_mut() {
            write(state, submission);
        }
        page.changed.notify();
    });
}

/// Follows the decisions the page's runtime records (the banner's, posted by the runtime
/// before or after the WASM loaded): from the script element's `data-decision` into the
/// state, once the page has hydrated (a decision taken before must not change what
/// hydration adopts) and on every `cookiepolicychange`.
#[cfg(not(feature = "ssr"))]
fn follow_the_page() {
    fn follow() {
        let Some(decision) = crate::client::cookie_policy::recorded() else {
            return;
        };
        let known = PAGE.with(|page| {
            page.now
                .borrow()
                .as_ref()
                .is_some_and(|(state, _)| state.decision.as_ref() == Some(&decision))
        });
        if !known {
            write_page(|state, submission| {
                state.decision = Some(decision);
                *submission = Submission::Saved;
            });
        }
    }
    if crate::client::hydrating() {
        leptos::task::spawn_local(async { follow() });
    } else {
        follow();
    }
    // For the page's life, like the context.
    let _ = window_event_listener_untyped("cookiepolicychange", |_| follow());
}

impl ConsentContext {
    /// The whole consent state. Reactive: re-runs when the shopper decides.
    pub fn state(&self) -> ConsentState {
        self.read(|state, _| state.clone())
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
        self.read(|state, _| state.allows(category))
    }

    /// Whether the shopper still has to decide. Reactive.
    pub fn needs_decision(&self) -> bool {
        self.read(|state, _| state.needs_decision())
    }

    /// The shopper's valid decision, if any. Reactive.
    pub fn decision(&self) -> Option<ConsentDecision> {
        self.read(|state, _| state.decision.clone())
    }

    /// The texts of the site's locale.
    pub fn texts(&self) -> Arc<ConsentTexts> {
        #[cfg(feature = "ssr")]
        return self.texts.get_value();
        #[cfg(not(feature = "ssr"))]
        return Arc::new(crate::bootstrap::texts_of(crate::bootstrap::texts_part(
            page_bootstrap(),
        )));
    }

    /// Where the last decision taken in this page stands. Reactive.
    pub fn submission(&self) -> Submission {
        self.read(|_, submission| submission)
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
        write_page(|_, submission| *submission = Submission::Pending);
        match crate::client::post_decision(fields).await {
            Ok(decision) => {
                let recorded = decision.clone();
                write_page(|state, submission| {
                    state.decision = Some(recorded);
                    *submission = Submission::Saved;
                });
                crate::client::cookie_policy::announce();
                Ok(decision)
            }
            Err(error) => {
                leptos::logging::warn!("leptos-consent: the decision was not saved: {error}");
                write_page(|_, submission| *submission = Submission::Failed);
                Err(error)
            }
        }
    }

    /// Reads the state and the submission, reactively.
    fn read<R>(&self, read: impl FnOnce(&ConsentState, Submission) -> R) -> R {
        #[cfg(feature = "ssr")]
        return self.reactive.state.with(|state| {
            let submission = self.reactive.submission.get();
            read(state, submission)
        });
        #[cfg(not(feature = "ssr"))]
        return read_page(read);
    }

    /// The state as the server renders the page with (not tracked).
    #[cfg(feature = "ssr")]
    pub(crate) fn rendered_state<R>(&self, read: impl FnOnce(&ConsentState) -> R) -> R {
        self.reactive.state.with_untracked(read)
    }

    /// The text of the site's locale at `index` of [`ConsentTexts::fields`]
    /// ([`ConsentTexts::CHANGE_CONSENT`], …).
    pub(crate) fn text(&self, index: usize) -> String {
        #[cfg(feature = "ssr")]
        return self
            .texts
            .with_value(|texts| texts.fields()[index].to_string());
        #[cfg(not(feature = "ssr"))]
        return crate::bootstrap::text_at(crate::bootstrap::texts_part(page_bootstrap()), index);
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
    #[cfg(feature = "ssr")]
    return provide_on_the_server();
    #[cfg(not(feature = "ssr"))]
    return take_over_in_the_browser();
}

/// The server's context: the request's state and texts, provided to the app's owner tree,
/// and into the page for the browser to take over at hydration.
#[cfg(feature = "ssr")]
fn provide_on_the_server() -> ConsentContext {
    if let Some(existing) = use_context::<ConsentContext>() {
        return existing;
    }
    let bootstrap = bootstrap();
    let _ = SharedValue::new_str(|| bootstrap.to_string());
    let ConsentBootstrap { state, texts } = bootstrap;
    let context = ConsentContext {
        reactive: Reactive {
            state: RwSignal::new(state),
            submission: RwSignal::new(Submission::Idle),
        },
        texts: StoredValue::new(texts),
    };
    provide_context(context);
    context
}

/// The browser's context: the page's hydration string kept in [`BOOTSTRAP`] (read as the
/// page carried it; none, a page the server did not render, reads as the default state).
/// No Leptos context: the thread-locals are the page's one context.
#[cfg(not(feature = "ssr"))]
fn take_over_in_the_browser() -> ConsentContext {
    if BOOTSTRAP.get().is_none() {
        let bootstrap = SharedValue::new_str(String::new);
        crate::client::watch_hydration();
        BOOTSTRAP.set(Some(bootstrap.into_inner().leak()));
    }
    ConsentContext { _page: () }
}

/// The page's hydration string, as [`provide_consent`] kept it (empty before).
#[cfg(not(feature = "ssr"))]
fn page_bootstrap() -> &'static str {
    BOOTSTRAP.get().unwrap_or_default()
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
    #[cfg(feature = "ssr")]
    let provided = use_context();
    #[cfg(not(feature = "ssr"))]
    let provided = BOOTSTRAP.get().map(|_| ConsentContext { _page: () });
    provided.unwrap_or_else(|| {
        panic!(
            "leptos-consent: no ConsentContext here. Call `leptos_consent::provide_consent()` \
             once at the root of your app, before the <Router> and before any consent \
             component (ConsentBanner, CookieDetails, ConsentGate, ...)."
        )
    })
}
