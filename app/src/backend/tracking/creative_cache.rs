//! Creatives by id, for the redirect of a creative's code (`/r/CODE?cr=ID`). Like the link cache:
//! archiving announces `Stale::Creatives` (and a settings change `Stale::Programs`) to every
//! instance, and entries expire after a few seconds. Ids with no creative are cached as such
//! too, so a made-up `cr` costs one query per TTL, not one per click; the size cap bounds them.

use super::ttl_map::TtlMap;
use crate::backend::repos::creatives::{self, CreativeTarget};
use diesel_async::AsyncPgConnection;
use std::sync::Arc;
use std::time::Duration;

const TTL: Duration = Duration::from_secs(5);
const MAX_ENTRIES: usize = 20_000;

pub struct CreativeCache {
    entries: TtlMap<i64, Option<Arc<CreativeTarget>>>,
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
            return Ok(hit);
        }
        let target = creatives::redirect_target(conn, id).await?.map(Arc::new);
        self.entries.insert(id, target.clone());
        Ok(target)
    }

    /// `Some(None)` for an id known to have no live creative.
    pub fn get(&self, id: i64) -> Option<Option<Arc<CreativeTarget>>> {
        self.entries.get(&id)
    }

    pub fn clear(&self) {
        self.entries.clear();
    }
}
