//! The page the shopper is on, as the server renders it.

use crate::ConsentContext;

/// The page the server renders (`/path?query`), already a same-origin target (the layer
/// made it with `local_target`). In the browser, the page's runtime writes the page shown
/// into the forms it posts or sees submitted, and into the change link as it is followed.
pub(crate) fn current_page(consent: ConsentContext) -> String {
    consent.rendered_state(|state| state.page.clone())
}
