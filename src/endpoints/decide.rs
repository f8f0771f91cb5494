//! `POST /_consent/decide`: the server function the banner's form posts to.
//!
//! Without JavaScript the browser posts the form to it, gets the consent cookie and a
//! `303 See Other` back to the page. With JavaScript, [`ConsentContext::decide`] posts the
//! same fields in place and the page updates without a reload.
//!
//! [`ConsentContext::decide`]: crate::ConsentContext::decide

pub use endpoint::{DecideConsent, decide_consent};

/// The server function lives in its own module: the struct the macro generates
/// ([`DecideConsent`], one field per form field) carries no field docs.
#[allow(missing_docs, unreachable_pub)]
mod endpoint {
    use leptos::prelude::*;

    use crate::ConsentDecision;

    /// Records the shopper's decision in the consent cookie (set by the server, `HttpOnly`) and
    /// returns it.
    ///
    /// The form fields: `choice` (`accept_all`, `reject_all`, `custom`, `acknowledge`), the
    /// ticked categories `functional`, `statistics`, `tracking` (`true` or `on` when ticked,
    /// absent or `false` when not), `services[]`, the ids of the shop's
    /// [`Service`](crate::Service)s ticked on their own (a ticked category allows all of its
    /// services; services ticked without it allow it with only them), `add` (`true` with
    /// `custom`: the ticked categories join the shopper's current decision, which keeps the
    /// rest of what it allowed and refused; what a [`ConsentGate`](crate::ConsentGate)
    /// posts), and `return_to`, the page a form post without JavaScript is sent back to (made
    /// same-origin with a same-origin path check). Cross-site posts are refused with 403.
    #[server(prefix = "/_consent", endpoint = "decide")]
    pub async fn decide_consent(
        #[server(default)] choice: String,
        #[server(default)] functional: Option<String>,
        #[server(default)] statistics: Option<String>,
        #[server(default)] tracking: Option<String>,
        #[server(default)] services: Vec<String>,
        #[server(default)] add: Option<String>,
        #[server(default)] return_to: String,
    ) -> Result<ConsentDecision, ServerFnError> {
        // Plain strings: the framework would answer undeserializable input with a 500; the
        // endpoint checks them itself and answers 400 with a clear message.
        crate::server::endpoints::record_decision(
            &choice,
            [
                functional.as_deref(),
                statistics.as_deref(),
                tracking.as_deref(),
            ],
            &services,
            add.as_deref(),
            &return_to,
        )
        .await
    }
}
