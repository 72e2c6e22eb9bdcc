//! What a server says about itself, and whether reports may read from it: the cluster's system
//! identifier (a streaming standby shares its primary's), whether it is in recovery (a standby
//! is), and how far its replay lags behind what it has received.

use diesel::sql_types::{Bool, Double, Nullable};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use std::time::Duration;

/// One answer of `probe`.
#[derive(Clone, Debug, PartialEq, diesel::QueryableByName)]
pub struct Probe {
    /// `pg_control_system()`'s, as text: a u64 that doesn't fit PostgreSQL's bigint everywhere.
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub system_identifier: String,
    #[diesel(sql_type = Bool)]
    pub in_recovery: bool,
    /// Seconds of replay behind, 0 when nothing received waits to be replayed (an idle primary
    /// sends nothing, so an old last-replayed time is no lag). None on a primary, and when a
    /// standby can't tell (no WAL receiver and nothing replayed yet).
    #[diesel(sql_type = Nullable<Double>)]
    pub lag_seconds: Option<f64>,
}

/// Without a running WAL receiver (a standby cut off from its primary) "nothing pending" means
/// nothing known, so the age of the last replayed transaction counts instead. Anyone may read
/// these functions and the receiver's existence; no extra rights are needed.
const PROBE: &str = "SELECT c.system_identifier::text AS system_identifier,
       pg_is_in_recovery() AS in_recovery,
       CASE
         WHEN NOT pg_is_in_recovery() THEN NULL
         WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
              AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver) THEN 0
         ELSE greatest(0, EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()))
       END::float8 AS lag_seconds
  FROM pg_control_system() c";

pub async fn probe(conn: &mut AsyncPgConnection) -> diesel::QueryResult<Probe> {
    diesel::sql_query(PROBE).get_result(conn).await
}

/// Why reports may not read from a server, if they may not.
#[derive(Clone, Debug, PartialEq)]
pub enum Unfit {
    /// Not in recovery: the primary itself, or a server Trellis doesn't write to.
    NotStandby {
        same_cluster: bool,
    },
    /// A standby, but of another primary.
    OtherCluster {
        replica: String,
        primary: String,
    },
    Lagging {
        seconds: f64,
        bound: Duration,
    },
    /// A standby without a WAL receiver that has replayed nothing yet.
    LagUnknown,
}

impl std::fmt::Display for Unfit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unfit::NotStandby { same_cluster: true } => write!(
                f,
                "it points at the primary itself (the server of DATABASE_URL): give the URL of a streaming standby of it, or unset DATABASE_REPLICA_URL"
            ),
            Unfit::NotStandby { same_cluster: false } => write!(
                f,
                "it points at a server that is not a standby (pg_is_in_recovery() is false), so it doesn't follow DATABASE_URL: give the URL of a streaming standby of DATABASE_URL, or unset DATABASE_REPLICA_URL"
            ),
            Unfit::OtherCluster { replica, primary } => write!(
                f,
                "it is a standby of another cluster (system identifier {replica}; DATABASE_URL's is {primary})"
            ),
            Unfit::Lagging { seconds, bound } => write!(
                f,
                "its replay is {seconds:.1} s behind, more than TRELLIS_REPLICA_MAX_LAG_SECONDS ({} s)",
                bound.as_secs()
            ),
            Unfit::LagUnknown => write!(
                f,
                "its lag is unknown: it has no WAL receiver and has replayed nothing since it started"
            ),
        }
    }
}

impl Unfit {
    /// A server that isn't a standby of this primary never will be by waiting; lag passes.
    pub fn is_wrong_server(&self) -> bool {
        matches!(self, Unfit::NotStandby { .. } | Unfit::OtherCluster { .. })
    }
}

/// Whether a server answering `replica` may serve reports for the primary whose system
/// identifier is `primary`, at most `max_lag` behind.
pub fn judge(primary: &str, replica: &Probe, max_lag: Duration) -> Result<(), Unfit> {
    let same_cluster = replica.system_identifier == primary;
    if !replica.in_recovery {
        return Err(Unfit::NotStandby { same_cluster });
    }
    if !same_cluster {
        return Err(Unfit::OtherCluster {
            replica: replica.system_identifier.clone(),
            primary: primary.to_owned(),
        });
    }
    match replica.lag_seconds {
        Some(seconds) if seconds <= max_lag.as_secs_f64() => Ok(()),
        Some(seconds) => Err(Unfit::Lagging {
            seconds,
            bound: max_lag,
        }),
        None => Err(Unfit::LagUnknown),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOUND: Duration = Duration::from_secs(30);

    fn standby(id: &str, lag_seconds: Option<f64>) -> Probe {
        Probe {
            system_identifier: id.into(),
            in_recovery: true,
            lag_seconds,
        }
    }

    #[test]
    fn a_standby_of_this_primary_within_the_bound_serves_reports() {
        assert_eq!(judge("7", &standby("7", Some(0.0)), BOUND), Ok(()));
        assert_eq!(judge("7", &standby("7", Some(30.0)), BOUND), Ok(()));
    }

    #[test]
    fn one_further_behind_or_unsure_does_not() {
        let late = judge("7", &standby("7", Some(30.5)), BOUND).unwrap_err();
        assert!(!late.is_wrong_server());
        assert!(late.to_string().contains("30.5 s behind"), "{late}");
        assert!(
            late.to_string().contains("TRELLIS_REPLICA_MAX_LAG_SECONDS (30 s)"),
            "{late}"
        );
        assert_eq!(judge("7", &standby("7", None), BOUND), Err(Unfit::LagUnknown));
    }

    #[test]
    fn a_primary_or_another_clusters_standby_is_the_wrong_server() {
        let primary = Probe {
            in_recovery: false,
            ..standby("7", None)
        };
        let itself = judge("7", &primary, BOUND).unwrap_err();
        assert!(itself.is_wrong_server());
        assert!(itself.to_string().contains("the primary itself"), "{itself}");
        let elsewhere = judge("8", &primary, BOUND).unwrap_err();
        assert!(elsewhere.to_string().contains("not a standby"), "{elsewhere}");
        let other = judge("8", &standby("7", Some(0.0)), BOUND).unwrap_err();
        assert!(other.is_wrong_server());
        assert!(other
            .to_string()
            .contains("another cluster (system identifier 7; DATABASE_URL's is 8)"));
    }

    #[tokio::test]
    async fn a_primary_probes_as_not_in_recovery_without_lag() {
        let db = crate::backend::testing::TestDb::new().await;
        let answer = probe(&mut *db.conn().await).await.unwrap();
        assert!(!answer.in_recovery);
        assert_eq!(answer.lag_seconds, None);
        assert!(answer.system_identifier.parse::<u64>().is_ok(), "{answer:?}");
    }
}
