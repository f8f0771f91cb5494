//! The hand-off: events this instance has just committed, passed to its own dispatcher in
//! memory, so that it delivers them without claiming them back from the table and reading
//! their JSON again.
//!
//! The writer commits them already claimed by this instance (the claim's lease starts at the
//! commit), so no other instance takes them, and a crash before their delivery leaves them
//! as any crashed claim: due again when the lease ends (so do the few a commit hands over
//! while the dispatcher is stopping, after it put the rest back). Bounded: when the
//! dispatcher is behind (the provider is slow or down), new events are committed unclaimed
//! and claimed from the table as before: in the dispatcher's next round, not at its next
//! poll (a hand-off that is never empty under load would otherwise leave them a whole poll
//! interval).

use std::{
    collections::VecDeque,
    sync::{
        Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use super::{TrackedShopper, table::Claimed};
use crate::tracking::TrackedEvent;

/// A committed event waiting for this instance's dispatcher.
pub(super) struct Handed {
    pub(super) row: Claimed,
    pub(super) event: TrackedEvent,
    /// The end of the claim's lease, in Unix milliseconds.
    pub(super) lease_until: i64,
}

/// The queue between the outbox's writer and its dispatcher.
#[derive(Default)]
pub(super) struct HandOff {
    queue: Mutex<VecDeque<Handed>>,
    /// Set while the dispatcher runs: a stopped one takes nothing.
    open: AtomicBool,
    /// Set when events did not fit while it was open: they wait in the table.
    overflowed: AtomicBool,
    capacity: usize,
}

impl HandOff {
    /// A closed hand-off holding at most `capacity` events.
    pub(super) fn new(capacity: usize) -> Self {
        HandOff {
            capacity,
            ..HandOff::default()
        }
    }

    /// Opens (the dispatcher is starting) or closes (it stopped) the hand-off.
    pub(super) fn set_open(&self, open: bool) {
        self.open.store(open, Ordering::SeqCst);
    }

    /// Whether `events` more fit: the writer commits them claimed only then. When the
    /// dispatcher runs but they do not fit, it is told (see [`take_overflowed`](Self::take_overflowed)).
    pub(super) fn has_room(&self, events: usize) -> bool {
        if !self.open.load(Ordering::SeqCst) {
            return false;
        }
        let room = self
            .queue
            .lock()
            .map(|queue| queue.len() + events <= self.capacity)
            .unwrap_or(false);
        if !room {
            self.overflowed.store(true, Ordering::SeqCst);
        }
        room
    }

    /// Whether events were committed unclaimed for want of room since the last call: the
    /// dispatcher then claims from the table in its next round.
    pub(super) fn take_overflowed(&self) -> bool {
        self.overflowed.swap(false, Ordering::SeqCst)
    }

    /// Queues events the writer committed claimed, in commit order.
    pub(super) fn push(&self, handed: impl IntoIterator<Item = Handed>) {
        if let Ok(mut queue) = self.queue.lock() {
            queue.extend(handed);
        }
    }

    /// How long the dispatcher should wait for a full batch of `limit` events at `now`:
    /// `None` when a batch should go now (there are `limit`, or the oldest was accepted
    /// `linger` ago) or there is nothing to wait for.
    pub(super) fn wait_for_batch(
        &self,
        limit: usize,
        linger: Duration,
        now: i64,
    ) -> Option<Duration> {
        let queue = self.queue.lock().ok()?;
        let oldest = queue.front()?;
        if queue.len() >= limit {
            return None;
        }
        let waited = u64::try_from(now.saturating_sub(oldest.row.accepted_at_ms)).unwrap_or(0);
        linger
            .checked_sub(Duration::from_millis(waited))
            .filter(|left| !left.is_zero())
    }

    /// Takes up to `limit` events, oldest first, leaving out (for the table's claims after
    /// their lease) the ones whose lease has less than `min_lease_left` to run at `now`.
    pub(super) fn take(&self, limit: usize, now: i64, min_lease_left: Duration) -> Vec<Handed> {
        let min_left = i64::try_from(min_lease_left.as_millis()).unwrap_or(i64::MAX);
        let Ok(mut queue) = self.queue.lock() else {
            return Vec::new();
        };
        let mut taken = Vec::with_capacity(limit.min(queue.len()));
        while taken.len() < limit {
            let Some(handed) = queue.pop_front() else {
                break;
            };
            if handed.lease_until.saturating_sub(now) >= min_left {
                taken.push(handed);
            }
        }
        taken
    }

    /// Takes every event (the dispatcher is stopping: they go back to the table).
    pub(super) fn drain(&self) -> Vec<Handed> {
        self.queue
            .lock()
            .map(|mut queue| queue.drain(..).collect())
            .unwrap_or_default()
    }

    /// Drops `shopper`'s events (an erasure): they are not delivered from here.
    pub(super) fn erase(&self, shopper: &TrackedShopper) {
        if let Ok(mut queue) = self.queue.lock() {
            queue.retain(|handed| !shopper.is_of(&handed.event));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Event, EventKind};

    fn handed(visitor: &str, lease_until: i64) -> Handed {
        let mut event = TrackedEvent::for_test(Event::new(EventKind::PageView));
        event.ids.visitor = visitor.parse().expect("a valid id");
        Handed {
            row: Claimed {
                seq: lease_until,
                event_id: event.event_id.to_string(),
                occurred_at_ms: 0,
                accepted_at_ms: 0,
                payload: String::new(),
                attempts: 1,
            },
            event,
            lease_until,
        }
    }

    #[test]
    fn takes_in_order_and_leaves_a_claim_about_to_end_to_the_table() {
        let hand_off = HandOff::new(3);
        assert!(!hand_off.has_room(1), "closed until the dispatcher runs");
        assert!(!hand_off.take_overflowed(), "closed is not behind");
        hand_off.set_open(true);
        assert!(hand_off.has_room(3));
        assert!(!hand_off.take_overflowed());
        hand_off.push([handed("a", 1_000), handed("b", 50), handed("c", 2_000)]);
        assert!(!hand_off.has_room(1), "full");
        assert!(hand_off.take_overflowed(), "the dispatcher hears of it");
        assert!(!hand_off.take_overflowed(), "once");

        let taken = hand_off.take(2, 0, Duration::from_millis(100));
        // "b"'s lease ends too soon: it is left for the table, and the next one comes.
        let seqs: Vec<i64> = taken.iter().map(|h| h.row.seq).collect();
        assert_eq!(seqs, [1_000, 2_000]);
        assert!(hand_off.take(5, 0, Duration::ZERO).is_empty());
    }

    #[test]
    fn a_small_batch_waits_for_more_until_its_oldest_event_has_lingered() {
        let linger = Duration::from_millis(100);
        let hand_off = HandOff::new(10);
        hand_off.set_open(true);
        assert_eq!(
            hand_off.wait_for_batch(3, linger, 0),
            None,
            "nothing to wait for"
        );
        let committed_at = |accepted_at_ms, seq| {
            let mut handed = handed("a", seq);
            handed.row.accepted_at_ms = accepted_at_ms;
            handed
        };
        hand_off.push([committed_at(1_000, 1), committed_at(1_040, 2)]);
        assert_eq!(
            hand_off.wait_for_batch(3, linger, 1_050),
            Some(Duration::from_millis(50)),
            "the oldest's linger decides"
        );
        assert_eq!(
            hand_off.wait_for_batch(3, linger, 1_100),
            None,
            "lingered enough"
        );
        assert_eq!(
            hand_off.wait_for_batch(3, Duration::ZERO, 1_000),
            None,
            "no linger"
        );
        hand_off.push([committed_at(1_060, 3)]);
        assert_eq!(
            hand_off.wait_for_batch(3, linger, 1_060),
            None,
            "a full batch goes"
        );
    }

    #[test]
    fn an_erasure_and_a_stop_empty_it() {
        let hand_off = HandOff::new(10);
        hand_off.set_open(true);
        hand_off.push([handed("a", 1), handed("b", 2), handed("a", 3)]);
        hand_off.erase(&TrackedShopper::Visitor("a".parse().expect("a valid id")));
        let left: Vec<i64> = hand_off.drain().iter().map(|h| h.row.seq).collect();
        assert_eq!(left, [2]);
        assert!(hand_off.drain().is_empty());
    }
}
