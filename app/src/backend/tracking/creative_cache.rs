//! Creatives by id, for the redirect of a creative's code (`/r/CODE?cr=ID`). Like the link cache:
//! archiving announces `Stale::Creatives` to every instance, entries expire after a few seconds,
//! and ids that don't exist are not cached.

use super::ttl_map::TtlMap;
use crate::backend::repos::creatives::{self, CreativeTarget};
use diesel_async::AsyncPgConnection;
use std::sync::Arc;
use std::time::Duration;

const TTL: Duration = Duration::from_secs(5);
const MAX_ENTRIES: usize = 20_000;

pub struct CreativeCache {
    entries: TtlMap<i64, Arc<CreativeTarget>>,
}

impl Default for CreativeCache {
    fn default() -> Self {
        Self {
            entries: TtlMap::new(TTL, MAX_ENTRIES),
        }
    }
}

impl CreativeCache {
    pub async fn lookup(
        &self,
        conn: &mut AsyncPgConnection,
        id: i64,
    ) -> diesel::QueryResult<Option<Arc<CreativeTarget>>> {
        if let Some(hit) = self.get(id) {
            return Ok(Some(hit));
        }
        let Some(target) = creatives::redirect_target(conn, id).await? else {
            return Ok(None);
        };
        let target = Arc::new(target);
        self.entries.insert(id, target.clone());
        Ok(Some(target))
    }

    pub fn get(&self, id: i64) -> Option<Arc<CreativeTarget>> {
        self.entries.get(&id)
    }

    pub fn clear(&self) {
        self.entries.clear();
    }
}
