//! Request coalescing for the hot paths ("group commit"): concurrent callers that each need one
//! small database round trip (the `/rs` freshness check, a journal insert) share one batched
//! round instead. A round only serves the callers that had joined before it started, so every
//! answer reflects the database as of a moment after the caller arrived, exactly as its own
//! query would; and a caller returns only once its round is done (a journal row is written
//! before the response leaves). One leader runs a round at a time; when it finishes it hands
//! the lead to the oldest waiting caller, so no caller serves others for more than one round.
//! A lone caller leads at once, so an idle system pays no latency for it.
//!
//! Hand-written: the batching crates we know coalesce identical keys ("single flight") or
//! batch asynchronously with a timer; this needs read-after-arrival rounds over distinct items
//! on blocking threads.

use std::sync::{Arc, Condvar, Mutex, MutexGuard};

enum SlotState<A> {
    Waiting,
    /// This caller now leads: it runs the next round.
    Lead,
    Done(Result<A, String>),
}

struct Slot<A> {
    state: Mutex<SlotState<A>>,
    ready: Condvar,
}

impl<A> Slot<A> {
    fn set(&self, s: SlotState<A>) {
        *lock(&self.state) = s;
        self.ready.notify_one();
    }
}

struct Queue<Q, A> {
    waiting: Vec<(Q, Arc<Slot<A>>)>,
    /// Whether some caller is leading (running a round or about to).
    led: bool,
}

/// Batches the items of concurrent callers into rounds of at most `max_round`.
pub(crate) struct Coalescer<Q, A> {
    queue: Mutex<Queue<Q, A>>,
    max_round: usize,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl<Q, A> Coalescer<Q, A> {
    pub(crate) fn new(max_round: usize) -> Self {
        Coalescer {
            queue: Mutex::new(Queue {
                waiting: Vec::new(),
                led: false,
            }),
            max_round: max_round.max(1),
        }
    }

    /// Submits `item` and blocks until a round that started after this call has answered it.
    /// `round` gets the items of one round and returns one answer per item, in order (or one
    /// error for the whole round); every caller passes the same function.
    pub(crate) fn submit(
        &self,
        item: Q,
        round: &dyn Fn(Vec<Q>) -> Result<Vec<A>, String>,
    ) -> Result<A, String> {
        let slot = Arc::new(Slot {
            state: Mutex::new(SlotState::Waiting),
            ready: Condvar::new(),
        });
        let lead_now = {
            let mut q = lock(&self.queue);
            q.waiting.push((item, slot.clone()));
            !std::mem::replace(&mut q.led, true)
        };
        if lead_now {
            self.lead_one_round(round);
        }
        loop {
            let mut state = lock(&slot.state);
            while matches!(*state, SlotState::Waiting) {
                state = slot.ready.wait(state).unwrap_or_else(|e| e.into_inner());
            }
            match std::mem::replace(&mut *state, SlotState::Waiting) {
                SlotState::Done(answer) => return answer,
                SlotState::Lead => {
                    drop(state);
                    self.lead_one_round(round);
                }
                SlotState::Waiting => unreachable!("the loop above waits while Waiting"),
            }
        }
    }

    /// Takes the oldest waiting callers (the leader's own item among them), answers them with
    /// one round, then hands the lead to the oldest caller still waiting, or gives it up.
    fn lead_one_round(&self, round: &dyn Fn(Vec<Q>) -> Result<Vec<A>, String>) {
        let (items, slots): (Vec<Q>, Vec<Arc<Slot<A>>>) = {
            let mut q = lock(&self.queue);
            let n = q.waiting.len().min(self.max_round);
            q.waiting.drain(..n).unzip()
        };
        let expected = items.len();
        match round(items) {
            Ok(answers) if answers.len() == expected => {
                for (slot, a) in slots.iter().zip(answers) {
                    slot.set(SlotState::Done(Ok(a)));
                }
            }
            Ok(answers) => {
                let e = format!("a round answered {} of {expected} items", answers.len());
                for slot in &slots {
                    slot.set(SlotState::Done(Err(e.clone())));
                }
            }
            Err(e) => {
                for slot in &slots {
                    slot.set(SlotState::Done(Err(e.clone())));
                }
            }
        }
        let mut q = lock(&self.queue);
        match q.waiting.first() {
            Some((_, next)) => next.set(SlotState::Lead),
            None => q.led = false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn a_lone_caller_gets_its_own_answer_in_a_round_of_one() {
        let c: Coalescer<u32, u32> = Coalescer::new(8);
        let sizes = Mutex::new(Vec::new());
        let round = |items: Vec<u32>| {
            lock(&sizes).push(items.len());
            Ok(items.iter().map(|i| i * 10).collect())
        };
        assert_eq!(c.submit(3, &round), Ok(30));
        assert_eq!(c.submit(4, &round), Ok(40));
        assert_eq!(*lock(&sizes), vec![1, 1]);
    }

    #[test]
    fn concurrent_callers_share_rounds_and_each_gets_its_own_answer() {
        let c: Arc<Coalescer<u32, u32>> = Arc::new(Coalescer::new(16));
        let rounds = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..64u32)
            .map(|i| {
                let c = c.clone();
                let rounds = rounds.clone();
                std::thread::spawn(move || {
                    let round = |items: Vec<u32>| {
                        rounds.fetch_add(1, Ordering::SeqCst);
                        assert!(items.len() <= 16, "rounds are bounded");
                        // Slow enough that others queue up behind the leader.
                        std::thread::sleep(std::time::Duration::from_millis(2));
                        Ok(items.iter().map(|i| i + 1000).collect())
                    };
                    (0..20u32)
                        .map(|k| {
                            c.submit(i * 100 + k, &round)
                                .map(|a| a == i * 100 + k + 1000)
                        })
                        .all(|ok| ok == Ok(true))
                })
            })
            .collect();
        for t in threads {
            assert!(t.join().unwrap(), "every caller got its own answer");
        }
        let n = rounds.load(Ordering::SeqCst);
        assert!(
            n < 64 * 20,
            "some rounds were shared ({n} rounds for 1280 items)"
        );
        assert!(!lock(&c.queue).led, "the lead is given up when idle");
    }

    #[test]
    fn a_failed_round_fails_each_of_its_callers_and_the_next_round_runs() {
        let c: Coalescer<u32, u32> = Coalescer::new(4);
        let failing = |_: Vec<u32>| Err("database down".to_string());
        assert_eq!(c.submit(1, &failing), Err("database down".into()));
        let short = |_: Vec<u32>| Ok(Vec::new());
        assert!(c.submit(1, &short).unwrap_err().contains("answered 0 of 1"));
        let ok = |items: Vec<u32>| Ok(items);
        assert_eq!(c.submit(7, &ok), Ok(7));
    }
}
