//! What conversion ingest reads about a program on every request, cached: which program an API
//! key belongs to, and the program's tracking and commission settings. Saving either kind of
//! settings, or revoking a key, announces `Stale::Programs` (`cache_events`), which empties this
//! cache in every instance; entries also expire after a few seconds.

use super::ttl_map::TtlMap;
use crate::backend::repos::api_keys;
use crate::backend::repos::commission_settings::CommissionSettings;
use crate::backend::repos::tracking_settings::TrackingSettings;
use crate::backend::schema::programs;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use std::sync::Arc;
use std::time::Duration;

const TTL: Duration = Duration::from_secs(5);
const MAX_ENTRIES: usize = 10_000;

/// A program's settings as ingest needs them.
#[derive(Clone, Debug, PartialEq)]
pub struct ProgramSettings {
    pub tracking: TrackingSettings,
    pub commission: CommissionSettings,
}

impl ProgramSettings {
    /// Both kinds, in one read.
    pub async fn load(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<Self> {
        let (tracking, commission) = programs::table
            .find(program_id)
            .select((TrackingSettings::as_select(), CommissionSettings::as_select()))
            .first(conn)
            .await?;
        Ok(Self { tracking, commission })
    }
}

pub struct ProgramCache {
    /// API key hash → program id (live keys only).
    keys: TtlMap<Vec<u8>, i64>,
    settings: TtlMap<i64, Arc<ProgramSettings>>,
}

impl Default for ProgramCache {
    fn default() -> Self {
        Self {
            keys: TtlMap::new(TTL, MAX_ENTRIES),
            settings: TtlMap::new(TTL, MAX_ENTRIES),
        }
    }
}

impl ProgramCache {
    /// The program of a live key; unknown and revoked keys are not cached.
    pub async fn program_for_key(&self, conn: &mut AsyncPgConnection, key_hash: &[u8]) -> QueryResult<Option<i64>> {
        if let Some(program) = self.keys.get(key_hash) {
            return Ok(Some(program));
        }
        let found = api_keys::program_for(conn, key_hash).await?;
        if let Some(program) = found {
            self.keys.insert(key_hash.to_vec(), program);
        }
        Ok(found)
    }

    pub async fn settings(&self, conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<Arc<ProgramSettings>> {
        if let Some(hit) = self.settings.get(&program_id) {
            return Ok(hit);
        }
        let loaded = Arc::new(ProgramSettings::load(conn, program_id).await?);
        self.settings.insert(program_id, loaded.clone());
        Ok(loaded)
    }

    pub fn clear(&self) {
        self.keys.clear();
        self.settings.clear();
    }
}
