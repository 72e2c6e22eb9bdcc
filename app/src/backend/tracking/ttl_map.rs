//! A small shared map whose entries expire, for the caches on hot paths (links, program
//! settings, API keys). Expiry bounds how stale an entry can get when an invalidation is missed;
//! the size cap bounds memory (full, it first drops expired entries, then stops adding).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::RwLock;
use std::time::{Duration, Instant};

pub struct TtlMap<K, V> {
    entries: RwLock<HashMap<K, (Instant, V)>>,
    ttl: Duration,
    max_entries: usize,
}

impl<K: Eq + Hash, V: Clone> TtlMap<K, V> {
    pub fn new(ttl: Duration, max_entries: usize) -> Self {
        Self {
            entries: RwLock::default(),
            ttl,
            max_entries,
        }
    }

    pub fn get<Q>(&self, key: &Q) -> Option<V>
    where
        K: std::borrow::Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        entries
            .get(key)
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, value)| value.clone())
    }

    pub fn insert(&self, key: K, value: V) {
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= self.max_entries {
            let ttl = self.ttl;
            entries.retain(|_, (at, _)| at.elapsed() < ttl);
        }
        if entries.len() < self.max_entries {
            entries.insert(key, (Instant::now(), value));
        }
    }

    pub fn remove<Q>(&self, key: &Q)
    where
        K: std::borrow::Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        self.entries.write().unwrap_or_else(|e| e.into_inner()).remove(key);
    }

    pub fn clear(&self) {
        self.entries.write().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_and_the_cap_holds() {
        let map = TtlMap::new(Duration::from_millis(30), 2);
        map.insert("a", 1);
        map.insert("b", 2);
        map.insert("c", 3);
        assert_eq!(
            (map.get("a"), map.get("b"), map.get("c")),
            (Some(1), Some(2), None),
            "full: c is not added"
        );
        map.remove("a");
        assert_eq!(map.get("a"), None);
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(map.get("b"), None, "expired");
        map.insert("c", 3);
        assert_eq!(map.get("c"), Some(3), "expired entries make room");
    }
}
