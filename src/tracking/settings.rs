//! What the page's plain-JS tracker (`components/tracker.js`) is told about the shop's
//! tracking, written by the server into the runtime's script element.

use crate::Category;

/// What the page's plain-JS tracker knows about the shop's tracking: the script element's
/// `data-tracking` (see `components/tracker.js`), written by the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TrackerSettings {
    /// The category events need.
    pub(crate) category: Category,
    /// Whether events wait in the page for the shopper's opt-in.
    pub(crate) require_opt_in: bool,
    /// Whether the server emitted this page's render-time events (then the browser does not
    /// emit them again when it hydrates).
    pub(crate) server_emits: bool,
}

impl TrackerSettings {
    /// The compact form the page's tracker reads: category initial, opt-in and server-emits
    /// flags (`t10`).
    pub(crate) fn encode(self) -> String {
        let category = match self.category {
            Category::Statistics => 's',
            _ => 't',
        };
        let flag = |on: bool| if on { '1' } else { '0' };
        [category, flag(self.require_opt_in), flag(self.server_emits)]
            .into_iter()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tracking_settings_read_as_the_page_s_tracker_expects() {
        let settings = |category, require_opt_in, server_emits| {
            TrackerSettings {
                category,
                require_opt_in,
                server_emits,
            }
            .encode()
        };
        assert_eq!(settings(Category::Statistics, true, false), "s10");
        assert_eq!(settings(Category::Tracking, false, true), "t01");
    }
}
