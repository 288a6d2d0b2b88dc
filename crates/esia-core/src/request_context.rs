//! The id of the HTTP request a use case runs for, on the thread that runs it, so that the jobs
//! it enqueues carry it (`jobs::job_row`) and the worker's log lines for those jobs name it. The
//! web layer sets it around each blocking call; the CLI, the worker and tests run without one.
//! It holds the id and nothing else (the id is already a plain token of at most 64 characters).

use std::cell::RefCell;

thread_local! {
    static CURRENT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Puts the previous id back when `within` ends, also when `f` panics.
struct Restore(Option<String>);

impl Drop for Restore {
    fn drop(&mut self) {
        let previous = self.0.take();
        CURRENT.with(|c| *c.borrow_mut() = previous);
    }
}

/// Runs `f` with `id` as this thread's current request id.
pub fn within<T>(id: Option<String>, f: impl FnOnce() -> T) -> T {
    let _restore = Restore(CURRENT.with(|c| c.replace(id)));
    f()
}

/// The current request id of this thread, if a request is being handled on it.
pub fn current() -> Option<String> {
    CURRENT.with(|c| c.borrow().clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_lasts_as_long_as_the_call_and_nests() {
        assert_eq!(current(), None);
        within(Some("outer".into()), || {
            assert_eq!(current().as_deref(), Some("outer"));
            within(None, || assert_eq!(current(), None));
            assert_eq!(current().as_deref(), Some("outer"));
        });
        assert_eq!(current(), None);
        let caught = std::panic::catch_unwind(|| within(Some("x".into()), || panic!("boom")));
        assert!(caught.is_err());
        assert_eq!(current(), None, "restored after a panic");
    }
}
