//! Group commit: many callers' writes committed together by one writer task, so that a
//! burst of shoppers costs one database transaction, not one each. The consent log and the
//! tracking outbox both write through one.

use std::{future::Future, pin::Pin};

use tokio::sync::{mpsc, oneshot};

/// What the writer task does with one group: commit every item, or none.
pub(crate) type Write<T> =
    Box<dyn Fn(Vec<T>) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send>> + Send + Sync>;

/// The sending half of a writer task. Cheap to clone.
pub(crate) struct GroupCommit<T> {
    queue: mpsc::Sender<Pending<T>>,
}

impl<T> Clone for GroupCommit<T> {
    fn clone(&self) -> Self {
        GroupCommit {
            queue: self.queue.clone(),
        }
    }
}

impl<T> std::fmt::Debug for GroupCommit<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GroupCommit")
    }
}

/// An item waiting for the writer, and who to tell when it is committed.
struct Pending<T> {
    item: T,
    committed: oneshot::Sender<Result<(), String>>,
}

impl<T: Send + 'static> GroupCommit<T> {
    /// Starts the writer task: it takes up to `max_group` waiting items at a time and hands
    /// them to `write`. Ends when every sender is dropped.
    ///
    /// # Panics
    ///
    /// Outside a Tokio runtime.
    pub(crate) fn spawn(max_group: usize, write: Write<T>) -> Self {
        let (queue, receiver) = mpsc::channel(4 * max_group);
        tokio::spawn(write_groups(receiver, max_group, write));
        GroupCommit { queue }
    }

    /// Queues `item` and waits until its group is committed; `Err` says why it was not.
    pub(crate) async fn commit(&self, item: T) -> Result<(), String> {
        let (committed, outcome) = oneshot::channel();
        if self.queue.send(Pending { item, committed }).await.is_err() {
            return Err("the writer task has stopped".to_owned());
        }
        outcome
            .await
            .unwrap_or_else(|_| Err("the writer task has stopped".to_owned()))
    }
}

async fn write_groups<T>(mut queue: mpsc::Receiver<Pending<T>>, max_group: usize, write: Write<T>) {
    let mut group = Vec::with_capacity(max_group);
    while queue.recv_many(&mut group, max_group).await > 0 {
        let (items, waiting): (Vec<T>, Vec<_>) =
            group.drain(..).map(|p| (p.item, p.committed)).unzip();
        let outcome = write(items).await;
        for committed in waiting {
            let _ = committed.send(outcome.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    #[tokio::test]
    async fn callers_waiting_together_share_one_write() {
        let groups = Arc::new(Mutex::new(Vec::new()));
        let seen = groups.clone();
        let writer = GroupCommit::spawn(
            8,
            Box::new(move |items: Vec<u32>| {
                let seen = seen.clone();
                Box::pin(async move {
                    seen.lock().unwrap().push(items.clone());
                    if items.contains(&13) {
                        Err("unlucky".to_owned())
                    } else {
                        Ok(())
                    }
                })
            }),
        );
        let calls: Vec<_> = (0..20u32)
            .map(|i| {
                let writer = writer.clone();
                tokio::spawn(async move { writer.commit(i).await })
            })
            .collect();
        let mut failed = 0;
        for call in calls {
            failed += usize::from(call.await.unwrap().is_err());
        }
        let groups = groups.lock().unwrap();
        assert_eq!(groups.iter().map(Vec::len).sum::<usize>(), 20);
        assert!(groups.iter().all(|group| group.len() <= 8), "{groups:?}");
        // Everyone in the group with 13 hears of the failure, no one else does.
        let unlucky = groups.iter().find(|group| group.contains(&13)).unwrap();
        assert_eq!(failed, unlucky.len());
    }
}
