//! The consent context: provided once at the app's root, read by every component.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{Category, ConsentDecision, ConsentState, ConsentTexts, DecideConsent};

/// What the server hands the browser for hydration: the page's consent state and texts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct ConsentBootstrap {
    pub(crate) state: ConsentState,
    pub(crate) texts: ConsentTexts,
}

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
#[derive(Clone, Copy)]
pub struct ConsentContext {
    state: RwSignal<ConsentState>,
    texts: StoredValue<ConsentTexts>,
    decide: ServerAction<DecideConsent>,
}

impl ConsentContext {
    /// The whole consent state, reactive.
    pub fn state(&self) -> ReadSignal<ConsentState> {
        self.state.read_only()
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
    pub fn texts(&self) -> ConsentTexts {
        self.texts.get_value()
    }

    /// The action that posts a decision to [`decide_consent`](crate::decide_consent); its
    /// value, pending state and errors are reactive.
    pub fn decide_action(&self) -> ServerAction<DecideConsent> {
        self.decide
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
    let ConsentBootstrap { state, texts } = SharedValue::new(bootstrap).into_inner();
    let context = ConsentContext {
        state: RwSignal::new(state),
        texts: StoredValue::new(texts),
        decide: ServerAction::new(),
    };
    let ConsentContext { state, decide, .. } = context;
    // A decision taken in the page (JavaScript) applies at once, without a reload.
    Effect::new(move |_| {
        if let Some(Ok(decision)) = decide.value().get() {
            state.update(|state| state.decision = Some(decision));
        }
    });
    provide_context(context);
    context
}

/// The [`ConsentContext`] provided by [`provide_consent`].
///
/// Where none was provided it provides one itself, for this component and its children
/// only; call [`provide_consent`] at the root so the whole app shares one.
pub fn use_consent() -> ConsentContext {
    use_context().unwrap_or_else(provide_consent)
}
