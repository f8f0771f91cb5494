//! The dispatcher task: claims due events, hands them to the provider, and records what
//! became of each (delivered, due again later, dead letter).

use std::{sync::Arc, time::Duration};

use tokio::{
    sync::{Notify, watch},
    time::Instant,
};

use super::hand_off::HandOff;
use super::{OutboxCounters, OutboxStatus, Settings, table, table::Claimed};
use crate::dispatch::{DeliveryFailure, Provider};
use crate::store::{Store, StoreError};
use crate::tracking::TrackedEvent;
use crate::tracking::now_ms;

/// What the dispatcher task owns.
pub(super) struct Dispatcher {
    pub(super) store: Store,
    pub(super) provider: Arc<dyn Provider>,
    pub(super) settings: Settings,
    pub(super) counters: Arc<OutboxCounters>,
    pub(super) wake: Arc<Notify>,
    pub(super) hand_off: Arc<HandOff>,
    pub(super) stopped: watch::Receiver<bool>,
}

/// Delivers until stopped: the events this instance committed, from the hand-off (in full
/// batches, or once the oldest has lingered), and the table's due events (retries, other
/// instances' events, events the hand-off had no room for), claimed whenever the hand-off
/// is empty, after the hand-off had no room, and at least every poll interval.
pub(super) async fn run(mut dispatcher: Dispatcher) {
    let settings = dispatcher.settings.clone();
    tracing::info!(
        instance = %settings.instance,
        provider = dispatcher.provider.name(),
        "tracking outbox dispatcher started"
    );
    // Consecutive failed rounds (the provider refusing the first event of a batch, or the
    // database): the pause before the next one.
    let mut failures = 0u32;
    let mut next_report = Instant::now();
    let mut next_claim = Instant::now();
    while !*dispatcher.stopped.borrow() {
        if Instant::now() >= next_report {
            next_report += settings.report_every;
            dispatcher.housekeeping().await;
        }
        if let Some(wait) =
            dispatcher
                .hand_off
                .wait_for_batch(settings.batch_size, settings.linger, now_ms())
        {
            // A small batch lingers for more (the writer wakes us at each commit).
            tokio::select! {
                () = dispatcher.wake.notified() => {}
                () = tokio::time::sleep(wait) => {}
                _ = dispatcher.stopped.changed() => {}
            }
            continue;
        }
        let handed = dispatcher
            .hand_off
            .take(settings.batch_size, now_ms(), settings.lease / 2);
        let from_hand_off = !handed.is_empty();
        let mut pause = None;
        if from_hand_off {
            let lease_until = handed.iter().map(|h| h.lease_until).min().unwrap_or(0);
            let batch = handed.into_iter().map(|h| (h.row, h.event)).collect();
            let round = dispatcher.deliver(batch, lease_until).await;
            pause = round.pause(&mut failures, &settings);
        }
        if pause.is_none()
            && (!from_hand_off
                || Instant::now() >= next_claim
                || dispatcher.hand_off.take_overflowed())
        {
            next_claim = Instant::now() + settings.poll_interval;
            let round = dispatcher.claim_and_deliver().await;
            if !matches!(round, Round::Idle) {
                // A backlog in the table: claimed again in the next round.
                next_claim = Instant::now();
            }
            if !(from_hand_off && matches!(round, Round::Idle)) {
                pause = round.pause(&mut failures, &settings);
            }
        }
        if let Some(pause) = pause {
            tokio::select! {
                () = dispatcher.wake.notified(), if failures == 0 => {}
                () = tokio::time::sleep(pause) => {}
                _ = dispatcher.stopped.changed() => {}
            }
        }
    }
    dispatcher.hand_off.set_open(false);
    let left: Vec<Claimed> = dispatcher
        .hand_off
        .drain()
        .into_iter()
        .map(|h| h.row)
        .collect();
    dispatcher.release(&left).await;
    tracing::info!(instance = %settings.instance, "tracking outbox dispatcher stopped");
}

/// How a round went.
enum Round {
    /// Nothing was due.
    Idle,
    /// Delivered, or the provider took some of it (it works).
    Delivered,
    /// The provider refused the first event for a reason that may pass.
    Failed,
    /// The store failed.
    StoreFailed,
}

impl Round {
    /// The pause before the next round, counting `failures` in a row.
    fn pause(&self, failures: &mut u32, settings: &Settings) -> Option<Duration> {
        match self {
            Round::Idle => Some(settings.poll_interval),
            Round::Delivered => {
                *failures = 0;
                None
            }
            // One failed round may be one event's: its own backoff keeps it away, and the
            // next round goes on with the others. A second one in a row means the provider
            // is failing: then the whole dispatcher waits.
            Round::Failed => {
                *failures += 1;
                (*failures > 1).then(|| settings.retry.wait(*failures - 1))
            }
            Round::StoreFailed => {
                *failures += 1;
                Some(settings.retry.wait(*failures))
            }
        }
    }
}

impl Dispatcher {
    /// Claims due events from the table and delivers them.
    async fn claim_and_deliver(&self) -> Round {
        let now = now_ms();
        let lease_until = now.saturating_add(millis(self.settings.lease));
        let claimed = table::claim(
            &self.store,
            &self.settings.instance,
            now,
            lease_until,
            self.settings.batch_size,
        )
        .await;
        match claimed {
            Err(error) => {
                tracing::warn!(%error, "claiming tracking events failed; retrying");
                Round::StoreFailed
            }
            Ok(claimed) if claimed.is_empty() => Round::Idle,
            Ok(claimed) => {
                let mut batch = Vec::with_capacity(claimed.len());
                for row in claimed {
                    match serde_json::from_str::<TrackedEvent>(&row.payload) {
                        Ok(event) => batch.push((row, event)),
                        Err(error) => {
                            self.dead_letter(&row, &format!("unreadable event: {error}"))
                                .await;
                        }
                    }
                }
                self.deliver(batch, lease_until).await
            }
        }
    }

    /// Delivers a claimed batch (claimed until `lease_until`) and records the outcome of
    /// every event.
    async fn deliver(&self, batch: Vec<(Claimed, TrackedEvent)>, lease_until: i64) -> Round {
        let now = now_ms();
        let max_age = millis(self.settings.max_event_age);
        let mut rows = Vec::with_capacity(batch.len());
        let mut events = Vec::with_capacity(batch.len());
        for (row, event) in batch {
            if now.saturating_sub(event.occurred_at_ms) > max_age {
                let reason = format!(
                    "older than the maximum event age ({} s) when it was due",
                    self.settings.max_event_age.as_secs()
                );
                self.dead_letter(&row, &reason).await;
            } else if row.attempts > i64::from(self.settings.max_attempts) {
                let reason = format!("not delivered in {} attempts", self.settings.max_attempts);
                self.dead_letter(&row, &reason).await;
            } else {
                rows.push(row);
                events.push(event);
            }
        }
        if rows.is_empty() {
            return Round::Delivered;
        }
        let failure = self.attempt(events, lease_until).await.err();
        let delivered = failure
            .as_ref()
            .map_or(rows.len(), |f| f.delivered.min(rows.len()));
        let (done, rest) = rows.split_at(delivered);
        let seqs: Vec<i64> = done.iter().map(|r| r.seq).collect();
        self.record("marking events delivered", {
            table::mark_delivered(&self.store, &seqs, now_ms()).await
        });
        OutboxCounters::add(&self.counters.delivered, done.len());
        let Some(failure) = failure else {
            tracing::debug!(events = done.len(), "tracking events delivered");
            return Round::Delivered;
        };
        let Some((first, after)) = rest.split_first() else {
            return Round::Delivered;
        };
        if failure.permanent {
            self.dead_letter(first, &failure.reason).await;
            // Not attempted.
            self.release(after).await;
            return Round::Delivered;
        }
        tracing::warn!(
            provider = self.provider.name(),
            reason = %failure.reason,
            events = rest.len(),
            "tracking delivery failed; the events are retried later"
        );
        OutboxCounters::add(&self.counters.retried, rest.len());
        // The event that failed waits by its own attempt count (jittered), so a backlog
        // comes back spread, and its attempt counts towards its limit. The ones after it
        // were not all attempted, and a failing event must not use up theirs: their attempt
        // is not counted; when the provider took part of the batch they are due again at
        // once, when it took none (it may be down) they wait by their own counts too.
        let now = now_ms();
        let backoff = |row: &Claimed| {
            let attempt = u32::try_from(row.attempts).unwrap_or(u32::MAX);
            now.saturating_add(millis(self.settings.retry.wait(attempt)))
        };
        self.record("rescheduling an event", {
            table::reschedule(
                &self.store,
                &[(first.seq, backoff(first))],
                Some(&failure.reason),
                true,
            )
            .await
        });
        let due: Vec<(i64, i64)> = after
            .iter()
            .map(|row| (row.seq, if done.is_empty() { backoff(row) } else { now }))
            .collect();
        self.record("rescheduling events", {
            table::reschedule(&self.store, &due, None, false).await
        });
        if done.is_empty() {
            Round::Failed
        } else {
            Round::Delivered
        }
    }

    /// Hands `events` to the provider in a task of its own (a provider that panics fails
    /// the attempt, not the dispatcher), to finish well before the claim's lease ends at
    /// `lease_until`.
    async fn attempt(
        &self,
        events: Vec<TrackedEvent>,
        lease_until: i64,
    ) -> Result<(), DeliveryFailure> {
        let provider = self.provider.clone();
        let task = tokio::spawn(async move { provider.deliver(&events).await });
        // Finish before the lease ends, or another instance may deliver the batch too.
        let left = u64::try_from(lease_until.saturating_sub(now_ms())).unwrap_or(0);
        let limit = Duration::from_millis(left).saturating_sub(self.settings.lease.mul_f64(0.2));
        match tokio::time::timeout(limit, task).await {
            Ok(Ok(outcome)) => outcome,
            Ok(Err(error)) => Err(DeliveryFailure::transient(
                0,
                format!("the provider's delivery failed: {error}"),
            )),
            Err(_) => Err(DeliveryFailure::transient(
                0,
                format!("the delivery took longer than {} ms", limit.as_millis()),
            )),
        }
    }

    /// Puts claimed events the dispatcher did not attempt back into the table, due now,
    /// their attempt not counted.
    async fn release(&self, rows: &[Claimed]) {
        if rows.is_empty() {
            return;
        }
        let now = now_ms();
        let due: Vec<(i64, i64)> = rows.iter().map(|row| (row.seq, now)).collect();
        self.record("releasing events", {
            table::reschedule(&self.store, &due, None, false).await
        });
    }

    async fn dead_letter(&self, row: &Claimed, reason: &str) {
        tracing::error!(
            provider = self.provider.name(),
            event_id = %row.event_id,
            attempts = row.attempts,
            %reason,
            "tracking event moved to the dead letters"
        );
        self.record("moving an event to the dead letters", {
            table::dead_letter(&self.store, row, self.provider.name(), reason, now_ms()).await
        });
        OutboxCounters::add(&self.counters.dead_lettered, 1);
    }

    /// Logs a failed bookkeeping write. The claim's lease makes it safe: events whose
    /// outcome was not recorded are claimed again when it ends (delivered at least once).
    fn record(&self, what: &str, outcome: Result<(), StoreError>) {
        if let Err(error) = outcome {
            tracing::error!(%error, "{what} in the tracking outbox failed; they are claimed again when the lease ends");
        }
    }

    /// Prunes finished rows and logs the outbox's figures.
    async fn housekeeping(&self) {
        let now = now_ms();
        let pruned = table::prune(
            &self.store,
            now.saturating_sub(millis(self.settings.max_event_age)),
            now.saturating_sub(millis(self.settings.dead_letter_retention)),
        )
        .await;
        if let Err(error) = pruned {
            tracing::warn!(%error, "pruning the tracking outbox failed");
        }
        let status = OutboxStatus::read(
            &self.store,
            self.provider.name(),
            &self.settings.instance,
            &self.counters,
        )
        .await;
        match status {
            Ok(status) => tracing::info!(
                instance = %status.instance.name,
                pending = status.pending,
                retrying = status.retrying,
                oldest_pending_age_secs = status.oldest_pending_age_secs.unwrap_or(0),
                dead_letters = status.dead_letters,
                delivered = status.instance.delivered,
                retried = status.instance.retried,
                dead_lettered = status.instance.dead_lettered,
                "tracking outbox"
            ),
            Err(error) => tracing::warn!(%error, "reading the tracking outbox's figures failed"),
        }
    }
}

pub(super) fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}
