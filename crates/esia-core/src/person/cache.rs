//! The `/rs` hot-path caches (the person read sits behind every login of every connected
//! system): verified bearer tokens keyed by the SHA-256 of the whole token (so a forged token
//! never hits an entry), and rendered `/rs/prns/{oid}` bodies keyed by the person's
//! `etag_version`, the released scopes and the embed. Neither needs invalidation: a token
//! entry holds only what the signature proved (expiry and revocation are checked on every
//! request), and a body entry is found only while the database still reports the version it
//! was rendered from (the freshness round of `freshness.rs`, which also checks the
//! revocation, so replicas stay correct). Both are bounded: two generations, the older dropped when the newer
//! fills up (an LRU approximation without per-hit bookkeeping).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use chrono::NaiveDateTime;

use super::AccessGrant;

/// Entries per generation (so at most twice this many per cache).
const TOKENS_PER_GENERATION: usize = 4096;
const BODIES_PER_GENERATION: usize = 1024;

/// A bounded map with two generations: hits in the old one are promoted, and when the current
/// one is full it becomes the old one (the previous old generation is dropped).
struct Generations<K, V> {
    cap: usize,
    maps: Mutex<(HashMap<K, V>, HashMap<K, V>)>,
}

impl<K: Hash + Eq, V: Clone> Generations<K, V> {
    fn new(cap: usize) -> Self {
        Generations {
            cap,
            maps: Mutex::new((HashMap::new(), HashMap::new())),
        }
    }

    fn get(&self, k: &K) -> Option<V> {
        let mut g = self.maps.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(v) = g.0.get(k) {
            return Some(v.clone());
        }
        let (k, v) = g.1.remove_entry(k)?;
        Self::put(&mut g, self.cap, k, v.clone());
        Some(v)
    }

    fn insert(&self, k: K, v: V) {
        let mut g = self.maps.lock().unwrap_or_else(|e| e.into_inner());
        Self::put(&mut g, self.cap, k, v);
    }

    fn put(g: &mut (HashMap<K, V>, HashMap<K, V>), cap: usize, k: K, v: V) {
        if g.0.len() >= cap {
            g.1 = std::mem::take(&mut g.0);
        }
        g.0.insert(k, v);
    }

    fn len(&self) -> usize {
        let g = self.maps.lock().unwrap_or_else(|e| e.into_inner());
        g.0.len() + g.1.len()
    }
}

/// The login a token belongs to, for the revocation check: client, `urn:esia:sid`, `iat`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenLogin {
    pub client_id: String,
    pub sid: String,
    pub issued_at: NaiveDateTime,
}

/// What a token's signature proved; times are checked against the clock on every use.
#[derive(Debug, Clone)]
pub(crate) struct VerifiedToken {
    pub grant: AccessGrant,
    pub exp: i64,
    pub nbf: Option<i64>,
    pub login: Option<TokenLogin>,
}

/// The caches of one `Core` (never shared between cores: each may serve another database).
pub struct RestCache {
    tokens: Generations<[u8; 32], Arc<VerifiedToken>>,
    bodies: Generations<String, Arc<str>>,
}

impl Default for RestCache {
    fn default() -> Self {
        RestCache {
            tokens: Generations::new(TOKENS_PER_GENERATION),
            bodies: Generations::new(BODIES_PER_GENERATION),
        }
    }
}

impl RestCache {
    pub(crate) fn token(&self, hash: &[u8; 32]) -> Option<Arc<VerifiedToken>> {
        self.tokens.get(hash)
    }

    pub(crate) fn put_token(&self, hash: [u8; 32], t: Arc<VerifiedToken>) {
        self.tokens.insert(hash, t);
    }

    pub(crate) fn body(&self, key: &str) -> Option<Arc<str>> {
        self.bodies.get(&key.to_string())
    }

    pub(crate) fn put_body(&self, key: String, body: Arc<str>) {
        self.bodies.insert(key, body);
    }

    /// Entries held (tokens, bodies), for tests and diagnostics.
    pub fn sizes(&self) -> (usize, usize) {
        (self.tokens.len(), self.bodies.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generations_stay_bounded_and_promote_hits() {
        let g: Generations<u32, u32> = Generations::new(2);
        for i in 0..10 {
            g.insert(i, i);
        }
        assert!(g.len() <= 4);
        assert_eq!(g.get(&9), Some(9));
        assert_eq!(g.get(&0), None);
        // A hit in the old generation promotes the entry so it survives the next rollover.
        let g2: Generations<u32, u32> = Generations::new(2);
        g2.insert(1, 1);
        g2.insert(2, 2);
        g2.insert(3, 3); // rollover: {1,2} old, {3} current
        assert_eq!(g2.get(&1), Some(1)); // promoted into current {3,1}
        g2.insert(4, 4); // rollover: {3,1} old, {4} current
        assert_eq!(g2.get(&1), Some(1));
        assert_eq!(g2.get(&2), None);
    }
}
