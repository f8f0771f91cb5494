//! Matching cookie names against the registry's names, where `*` stands for a random part
//! (`_ga_*` matches `_ga_K4Z2Q`).

use std::collections::HashMap;

/// A registry name with at least one `*`, split at its stars.
#[derive(Clone, Debug)]
struct Wildcard {
    /// The literal pieces between the stars: `["_ga_", ""]` for `_ga_*`.
    pieces: Vec<Box<str>>,
    /// How many literal characters the pattern has: the more, the more specific.
    literal_len: usize,
}

impl Wildcard {
    fn new(pattern: &str) -> Self {
        let pieces: Vec<Box<str>> = pattern.split('*').map(Into::into).collect();
        let literal_len = pieces.iter().map(|p| p.len()).sum();
        Wildcard {
            pieces,
            literal_len,
        }
    }

    /// Whether `name` is the pattern with each `*` replaced by any run of characters.
    fn matches(&self, name: &str) -> bool {
        let (first, rest) = match self.pieces.split_first() {
            Some(split) => split,
            None => return false,
        };
        let Some((last, middle)) = rest.split_last() else {
            return &**first == name;
        };
        if name.len() < self.literal_len || !name.starts_with(&**first) || !name.ends_with(&**last)
        {
            return false;
        }
        let mut remaining = &name[first.len()..name.len() - last.len()];
        for piece in middle {
            match remaining.find(&**piece) {
                Some(at) => remaining = &remaining[at + piece.len()..],
                None => return false,
            }
        }
        true
    }
}

/// The entries a cookie name matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Matched<'m> {
    /// Entries with exactly this name (several when the shop registered duplicates).
    Exact(&'m [usize]),
    /// The most specific wildcard entry (the one with the most literal characters).
    Wildcard(usize),
    /// Nothing: an unknown cookie.
    Nothing,
}

/// An index of registry names for matching many cookie names quickly: a hash lookup for
/// exact names, then the wildcard patterns from the most to the least specific.
#[derive(Clone, Debug, Default)]
pub(crate) struct NameIndex {
    exact: HashMap<Box<str>, Vec<usize>>,
    /// Sorted by `literal_len`, longest first.
    wildcards: Vec<(Wildcard, usize)>,
}

impl NameIndex {
    /// Indexes `names`; a match answers with positions in that list.
    pub(crate) fn new<'n>(names: impl IntoIterator<Item = &'n str>) -> Self {
        let mut index = NameIndex::default();
        for (position, name) in names.into_iter().enumerate() {
            if name.contains('*') {
                index.wildcards.push((Wildcard::new(name), position));
            } else {
                index.exact.entry(name.into()).or_default().push(position);
            }
        }
        index
            .wildcards
            .sort_by_key(|(pattern, _)| std::cmp::Reverse(pattern.literal_len));
        index
    }

    /// The entries `cookie` matches: exact names win over patterns.
    pub(crate) fn find(&self, cookie: &str) -> Matched<'_> {
        if let Some(positions) = self.exact.get(cookie) {
            return Matched::Exact(positions);
        }
        self.wildcards
            .iter()
            .find(|(pattern, _)| pattern.matches(cookie))
            .map_or(Matched::Nothing, |(_, position)| {
                Matched::Wildcard(*position)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_match_any_run_of_characters() {
        let w = Wildcard::new("_ga_*");
        assert!(w.matches("_ga_K4Z2Q"));
        assert!(w.matches("_ga_"));
        assert!(!w.matches("_ga"));
        assert!(!w.matches("x_ga_1"));
        let w = Wildcard::new("dw*_id_*");
        assert!(w.matches("dwX_id_9"));
        assert!(w.matches("dw_id_"));
        assert!(!w.matches("dw_i_d"));
        let w = Wildcard::new("*_session");
        assert!(w.matches("shop_session"));
        assert!(!w.matches("shop_sessions"));
        // The prefix and suffix may not overlap.
        assert!(!Wildcard::new("ab*ba").matches("aba"));
        assert!(Wildcard::new("ab*ba").matches("abba"));
    }

    #[test]
    fn exact_names_win_then_the_most_specific_pattern() {
        let index = NameIndex::new(["_ga", "_ga_*", "_*", "_ga", "_gat_*", "lc_consent"]);
        assert_eq!(index.find("_ga"), Matched::Exact(&[0, 3]));
        assert_eq!(index.find("_gat_UA1"), Matched::Wildcard(4));
        assert_eq!(index.find("_ga_K4Z"), Matched::Wildcard(1));
        assert_eq!(index.find("_other"), Matched::Wildcard(2));
        assert_eq!(index.find("lc_consent"), Matched::Exact(&[5]));
        assert_eq!(index.find("session"), Matched::Nothing);
    }
}
