//! The consent model, shared by the server and the browser halves: the categories, the
//! modes, a shopper's decision and the consent state a page renders with.

mod category;
mod mode;
mod service;
mod state;
mod submission;

pub use category::{Category, CategorySet, UnknownCategory};
pub use mode::ConsentMode;
pub use service::{Service, ServiceSet};
#[cfg(feature = "ssr")]
pub(crate) use service::{added_to, ticked_services};
pub use state::{ConsentAction, ConsentDecision, ConsentState, InvalidChoice, UnknownAction};
pub use submission::{DecideError, Submission};
