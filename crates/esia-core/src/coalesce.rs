//! Request coalescing for the hot paths ("group commit"): concurrent callers that each need one
//! small database round trip (the `/rs` freshness check) share one batched round instead. A
//! round only serves the callers that had joined before it started, so every answer reflects
//! the database as of a moment after the caller arrived, exactly as its own query would; and a
//! caller gets its answer only once its round is done. One drainer, on a blocking thread, runs
//! rounds while items wait and ends when none do, so an idle emulator keeps no thread for this;
//! a lone caller's round starts at once. Async callers await their answer without holding a
//! thread; blocking callers (already on a blocking thread) wait for it in place.
//!
//! Hand-written: the batching crates we know coalesce identical keys ("single flight") or
//! flush on a timer; this needs read-after-arrival rounds over distinct items.

use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::oneshot;

type Reply<A, E> = oneshot::Sender<Result<A, E>>;

/// A round: one answer per item, in order, or one error for the whole round (given to every
/// caller of the round, hence `E: Clone`; `String` unless the callers need to tell errors
/// apart, e.g. a database outage from a bug).
pub(crate) type Round<C, Q, A, E> = fn(&C, Vec<Q>) -> Result<Vec<A>, E>;

struct Queue<Q, A, E> {
    waiting: Vec<(Q, Reply<A, E>)>,
    /// Whether a drainer is running (it takes every item queued before it looks).
    draining: bool,
}

/// Batches the items of concurrent callers into rounds of at most `max_round`; `C` is what
/// owns it and what a round needs (a `Core`).
pub(crate) struct Coalescer<C, Q, A, E = String> {
    queue: Mutex<Queue<Q, A, E>>,
    max_round: usize,
    round: Round<C, Q, A, E>,
}

impl<C, Q, A, E> Coalescer<C, Q, A, E>
where
    C: Clone + Send + 'static,
    Q: Send + 'static,
    A: Send + 'static,
    E: Clone + Send + From<String> + 'static,
{
    pub(crate) fn new(max_round: usize, round: Round<C, Q, A, E>) -> Self {
        Coalescer {
            queue: Mutex::new(Queue {
                waiting: Vec::new(),
                draining: false,
            }),
            max_round: max_round.max(1),
            round,
        }
    }

    /// Answers `item` from a round that starts after this call; never blocks the caller.
    pub(crate) async fn submit(self: &Arc<Self>, owner: &C, item: Q) -> Result<A, E> {
        let rx = self.enqueue(owner, item);
        rx.await
            .unwrap_or_else(|_| Err(E::from("the round was dropped".to_string())))
    }

    /// `submit` for a caller on a blocking thread (never on an async worker thread). No caller
    /// outside the tests since the `/rs` journal became write-behind; kept for blocking users.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) fn submit_blocking(self: &Arc<Self>, owner: &C, item: Q) -> Result<A, E> {
        let rx = self.enqueue(owner, item);
        rx.blocking_recv()
            .unwrap_or_else(|_| Err(E::from("the round was dropped".to_string())))
    }

    fn enqueue(self: &Arc<Self>, owner: &C, item: Q) -> oneshot::Receiver<Result<A, E>> {
        let (tx, rx) = oneshot::channel();
        let start_drainer = {
            let mut q = lock(&self.queue);
            q.waiting.push((item, tx));
            !std::mem::replace(&mut q.draining, true)
        };
        if start_drainer {
            let owner = owner.clone();
            // The drainer holds the coalescer and its owner, not the other way round.
            let me = Arc::clone(self);
            let drain = move || me.drain(&owner);
            // The runtime's blocking threads when there is one (the server); a plain thread
            // otherwise (benches and tools calling from their own threads).
            match tokio::runtime::Handle::try_current() {
                Ok(rt) => drop(rt.spawn_blocking(drain)),
                Err(_) => drop(std::thread::spawn(drain)),
            }
        }
        rx
    }

    /// Runs rounds until no item waits.
    fn drain(&self, owner: &C) {
        let _guard = DrainerGuard(&self.queue);
        loop {
            let (items, replies): (Vec<Q>, Vec<Reply<A, E>>) = {
                let mut q = lock(&self.queue);
                if q.waiting.is_empty() {
                    q.draining = false;
                    return;
                }
                let n = q.waiting.len().min(self.max_round);
                q.waiting.drain(..n).unzip()
            };
            let expected = items.len();
            match (self.round)(owner, items) {
                Ok(answers) if answers.len() == expected => {
                    for (reply, a) in replies.into_iter().zip(answers) {
                        let _ = reply.send(Ok(a));
                    }
                }
                outcome => {
                    let e = match outcome {
                        Err(e) => e,
                        Ok(a) => {
                            E::from(format!("a round answered {} of {expected} items", a.len()))
                        }
                    };
                    for reply in replies {
                        let _ = reply.send(Err(e.clone()));
                    }
                }
            }
        }
    }
}

/// Gives the drainer role up if a round panics, so later items start a new drainer (the
/// panicking round's callers get "dropped" errors) instead of waiting forever.
struct DrainerGuard<'a, Q, A, E>(&'a Mutex<Queue<Q, A, E>>);

impl<Q, A, E> Drop for DrainerGuard<'_, Q, A, E> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            lock(self.0).draining = false;
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A stand-in owner: the coalescer, and what its rounds saw.
    struct Owner {
        c: Arc<Coalescer<Arc<Owner>, u32, u32>>,
        rounds: AtomicUsize,
        biggest: AtomicUsize,
        fail: bool,
    }

    fn owner(max_round: usize, fail: bool) -> Arc<Owner> {
        Arc::new(Owner {
            c: Arc::new(Coalescer::new(max_round, round)),
            rounds: AtomicUsize::new(0),
            biggest: AtomicUsize::new(0),
            fail,
        })
    }

    fn round(o: &Arc<Owner>, items: Vec<u32>) -> Result<Vec<u32>, String> {
        o.rounds.fetch_add(1, Ordering::SeqCst);
        o.biggest.fetch_max(items.len(), Ordering::SeqCst);
        // Slow enough that callers queue up behind a running round.
        std::thread::sleep(std::time::Duration::from_millis(2));
        if o.fail {
            return Err("database down".into());
        }
        Ok(items.iter().map(|i| i + 1000).collect())
    }

    #[test]
    fn a_lone_caller_gets_its_own_answer_and_the_drainer_ends() {
        let o = owner(8, false);
        assert_eq!(o.c.submit_blocking(&o, 3), Ok(1003));
        assert_eq!(o.c.submit_blocking(&o, 4), Ok(1004));
        assert_eq!(o.rounds.load(Ordering::SeqCst), 2);
        // The drainer gives its role up right after answering; wait for it, bounded.
        for _ in 0..200 {
            if !lock(&o.c.queue).draining {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        panic!("the drainer never ended");
    }

    #[test]
    fn concurrent_callers_share_bounded_rounds_and_each_gets_its_own_answer() {
        let o = owner(16, false);
        let threads: Vec<_> = (0..64u32)
            .map(|i| {
                let o = o.clone();
                std::thread::spawn(move || {
                    (0..20u32)
                        .all(|k| o.c.submit_blocking(&o, i * 100 + k) == Ok(i * 100 + k + 1000))
                })
            })
            .collect();
        for t in threads {
            assert!(t.join().unwrap(), "every caller got its own answer");
        }
        let n = o.rounds.load(Ordering::SeqCst);
        assert!(
            n < 64 * 20,
            "rounds were shared ({n} rounds for 1280 items)"
        );
        assert!(o.biggest.load(Ordering::SeqCst) <= 16, "rounds are bounded");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn async_callers_are_answered_without_a_thread_each() {
        let o = owner(64, false);
        let tasks: Vec<_> = (0..200u32)
            .map(|i| {
                let o = o.clone();
                tokio::spawn(async move { o.c.submit(&o, i).await == Ok(i + 1000) })
            })
            .collect();
        for t in tasks {
            assert!(t.await.unwrap());
        }
        assert!(o.rounds.load(Ordering::SeqCst) < 200);
    }

    #[test]
    fn a_failed_round_fails_each_of_its_callers() {
        let o = owner(4, true);
        assert_eq!(o.c.submit_blocking(&o, 1), Err("database down".into()));
    }
}
