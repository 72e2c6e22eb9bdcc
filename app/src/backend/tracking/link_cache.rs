//! Live links by code, so the redirect rarely touches the database. Every change to a link (or to
//! a membership, which can switch all of a partner's links off) goes through
//! `cache_events::announce`, which drops the entries here at once and, by a PostgreSQL
//! notification, in every other instance. Entries also expire after a few seconds, which bounds
//! how long an instance whose listener is reconnecting can serve a stale entry.

use crate::backend::repos::links::{self, RedirectTarget};
use diesel_async::AsyncPgConnection;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

const TTL: Duration = Duration::from_secs(5);
const MAX_ENTRIES: usize = 100_000;

pub struct LinkCache {
    entries: RwLock<HashMap<String, (Instant, Arc<RedirectTarget>)>>,
    ttl: Duration,
}

impl Default for LinkCache {
    fn default() -> Self {
        Self::with_ttl(TTL)
    }
}

impl LinkCache {
    /// A cache whose entries expire after `ttl` (tests use a long one, to show that invalidation
    /// alone keeps instances current).
    pub fn with_ttl(ttl: Duration) -> Self {
        Self {
            entries: RwLock::default(),
            ttl,
        }
    }

    pub fn get(&self, code: &str) -> Option<Arc<RedirectTarget>> {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        entries
            .get(code)
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, target)| target.clone())
    }

    /// The cached target, or the database's answer (which is then cached). Unknown codes are not
    /// cached, so a flood of made-up codes cannot fill memory.
    pub async fn lookup(
        &self,
        conn: &mut AsyncPgConnection,
        code: &str,
    ) -> diesel::QueryResult<Option<Arc<RedirectTarget>>> {
        if let Some(hit) = self.get(code) {
            return Ok(Some(hit));
        }
        let Some(target) = links::redirect_target(conn, code).await? else {
            return Ok(None);
        };
        let target = Arc::new(target);
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.retain(|_, (at, _)| at.elapsed() < self.ttl);
        }
        if entries.len() < MAX_ENTRIES {
            entries.insert(code.to_owned(), (Instant::now(), target.clone()));
        }
        Ok(Some(target))
    }

    pub fn invalidate(&self, code: &str) {
        self.entries.write().unwrap_or_else(|e| e.into_inner()).remove(code);
    }

    pub fn clear(&self) {
        self.entries.write().unwrap_or_else(|e| e.into_inner()).clear();
    }
}
