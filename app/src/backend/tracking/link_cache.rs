//! Live links by code, so the redirect rarely touches the database. Every change to a link (or to
//! a membership, which can switch all of a partner's links off) goes through
//! `cache_events::announce`, which drops the entries here at once and, by a PostgreSQL
//! notification, in every other instance. Entries also expire after a few seconds, which bounds
//! how long an instance whose listener is reconnecting can serve a stale entry.

use super::ttl_map::TtlMap;
use crate::backend::repos::links::{self, RedirectTarget};
use diesel_async::AsyncPgConnection;
use std::sync::Arc;
use std::time::Duration;

const TTL: Duration = Duration::from_secs(5);
const MAX_ENTRIES: usize = 100_000;

pub struct LinkCache {
    entries: TtlMap<String, Arc<RedirectTarget>>,
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
            entries: TtlMap::new(ttl, MAX_ENTRIES),
        }
    }

    pub fn get(&self, code: &str) -> Option<Arc<RedirectTarget>> {
        self.entries.get(code)
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
        self.entries.insert(code.to_owned(), target.clone());
        Ok(Some(target))
    }

    pub fn invalidate(&self, code: &str) {
        self.entries.remove(code);
    }

    pub fn clear(&self) {
        self.entries.clear();
    }
}
