//! Per-core room for the state a use-case module owns (its caches, its coalescers): each module
//! asks for its own type and gets the one instance of this core and its clones, created on
//! first use. `Core` therefore names none of them, and no module reaches into another's state.
//! It holds no business rules and never blocks beyond a short lock.
//!
//! Hand-written: a type map of a few lines; the crates that offer one (anymap and kin) add
//! more than this needs.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

type Slot = Arc<dyn Any + Send + Sync>;

/// The state of the modules of one core, one value per type.
#[derive(Default)]
pub struct Locals {
    slots: RwLock<HashMap<TypeId, Slot>>,
}

impl Locals {
    /// This core's `T`, made with `T::default()` the first time any clone asks.
    pub fn get<T: Default + Send + Sync + 'static>(&self) -> Arc<T> {
        self.get_with(T::default)
    }

    /// This core's `T`, made by `make` the first time any clone asks.
    pub fn get_with<T: Send + Sync + 'static>(&self, make: impl FnOnce() -> T) -> Arc<T> {
        let id = TypeId::of::<T>();
        if let Some(slot) = self
            .slots
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(&id)
        {
            return downcast(slot.clone());
        }
        let mut slots = self.slots.write().unwrap_or_else(|p| p.into_inner());
        let slot = slots
            .entry(id)
            .or_insert_with(|| Arc::new(make()) as Slot)
            .clone();
        downcast(slot)
    }
}

fn downcast<T: Send + Sync + 'static>(slot: Slot) -> Arc<T> {
    // The map is keyed by the slot's own TypeId, so this cannot fail.
    slot.downcast::<T>()
        .unwrap_or_else(|_| unreachable!("a slot holds the type it is keyed by"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    #[derive(Default)]
    struct Counter(AtomicU64);

    #[derive(Default)]
    struct Other(AtomicU64);

    #[test]
    fn one_instance_per_type_shared_by_every_caller() {
        let locals = Locals::default();
        locals.get::<Counter>().0.fetch_add(2, Ordering::Relaxed);
        locals.get::<Counter>().0.fetch_add(3, Ordering::Relaxed);
        assert_eq!(locals.get::<Counter>().0.load(Ordering::Relaxed), 5);
        assert_eq!(locals.get::<Other>().0.load(Ordering::Relaxed), 0);
        let made = locals.get_with(|| Counter(AtomicU64::new(99)));
        assert_eq!(
            made.0.load(Ordering::Relaxed),
            5,
            "made once, on first use only"
        );
    }

    #[test]
    fn two_cores_do_not_share_state() {
        let (a, b) = (Locals::default(), Locals::default());
        a.get::<Counter>().0.store(7, Ordering::Relaxed);
        assert_eq!(b.get::<Counter>().0.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn concurrent_first_use_makes_one_instance() {
        let locals = Arc::new(Locals::default());
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let l = locals.clone();
                std::thread::spawn(move || l.get::<Counter>().0.fetch_add(1, Ordering::Relaxed))
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        assert_eq!(locals.get::<Counter>().0.load(Ordering::Relaxed), 8);
    }
}
