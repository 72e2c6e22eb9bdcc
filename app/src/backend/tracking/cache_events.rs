//! Cached entries made stale by a change, told to every instance on the database. The instance
//! that made the change drops them at once; the others hear a PostgreSQL notification on
//! `CHANNEL` (their listener, `server::cache_listener`, applies it) within milliseconds. The
//! caches' short TTL stays as the fallback for a listener that is reconnecting.

use super::Tracking;
use diesel::sql_types::Text;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

pub const CHANNEL: &str = "trellis_cache";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stale {
    /// One link, by code.
    Link(String),
    /// Every link (a membership or program change can switch many off at once).
    AllLinks,
    /// Every program's cached settings and API keys (settings saved, a key revoked).
    Programs,
    /// Every cached creative (one was archived).
    Creatives,
}

impl Stale {
    pub fn payload(&self) -> String {
        match self {
            Self::Link(code) => format!("link:{code}"),
            Self::AllLinks => "links".into(),
            Self::Programs => "programs".into(),
            Self::Creatives => "creatives".into(),
        }
    }

    /// `None` for a payload this version doesn't know (a newer instance's), which the listener
    /// treats as "drop everything".
    pub fn parse(payload: &str) -> Option<Self> {
        match payload.split_once(':') {
            Some(("link", code)) if !code.is_empty() => Some(Self::Link(code.to_owned())),
            None if payload == "links" => Some(Self::AllLinks),
            None if payload == "programs" => Some(Self::Programs),
            None if payload == "creatives" => Some(Self::Creatives),
            _ => None,
        }
    }

    pub fn apply(&self, caches: &Tracking) {
        match self {
            Self::Link(code) => caches.links.invalidate(code),
            Self::AllLinks => caches.links.clear(),
            // A creative's landing page is checked against its program's allowed domains.
            Self::Programs => {
                caches.programs.clear();
                caches.creatives.clear();
            }
            Self::Creatives => caches.creatives.clear(),
        }
    }

    /// What a listener does when it may have missed notifications, or heard one it can't read.
    pub fn forget_everything(caches: &Tracking) {
        caches.links.clear();
        caches.programs.clear();
        caches.creatives.clear();
    }
}

/// Drops the entries here and tells the other instances. A notification that can't be sent is
/// logged, not returned: the change it follows has committed, and the TTL bounds the staleness.
pub async fn announce(conn: &mut AsyncPgConnection, caches: &Tracking, stale: Stale) {
    stale.apply(caches);
    let sent = diesel::sql_query("SELECT pg_notify($1, $2)")
        .bind::<Text, _>(CHANNEL)
        .bind::<Text, _>(stale.payload())
        .execute(conn)
        .await;
    if let Err(e) = sent {
        tracing::warn!(error = %e, payload = %stale.payload(), "could not tell other instances about a stale cache entry");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_read_back_as_what_was_sent() {
        for stale in [
            Stale::Link("AbC123xy".into()),
            Stale::AllLinks,
            Stale::Programs,
            Stale::Creatives,
        ] {
            assert_eq!(Stale::parse(&stale.payload()), Some(stale));
        }
        assert_eq!(Stale::parse("link:"), None);
        assert_eq!(Stale::parse("settings:7"), None);
        assert_eq!(Stale::parse(""), None);
    }
}
