//! Reads off the primary. With `DATABASE_REPLICA_URL` set, heavy reports and CSV exports read
//! from a streaming standby while it is a standby of this primary, answers, and lags at most
//! `TRELLIS_REPLICA_MAX_LAG_SECONDS` behind; otherwise they read from the primary, and the user
//! never sees the difference. A task checks the standby every few seconds, so a request asks no
//! more than "is it fit?" of a value in memory. Each change of route is logged once.

pub mod probe;

use super::db::{DbConn, DbPool};
use probe::Unfit;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

/// How often the standby's lag is read.
pub const CHECK_EVERY: Duration = Duration::from_secs(2);
/// A check that takes longer than this counts as an unreachable standby.
const CHECK_TIMEOUT: Duration = Duration::from_secs(5);

/// Where reports read from now, and why.
#[derive(Clone, Debug, PartialEq)]
pub enum Route {
    /// Not checked yet (the first check runs as the server starts).
    Unchecked,
    Replica,
    /// Fell back to the primary: no connection, or a failed query.
    Unreachable(String),
    Unfit(Unfit),
}

impl Route {
    /// Routes that differ only in their numbers (how far behind, which error) are one route
    /// for the log.
    fn same_kind(&self, other: &Route) -> bool {
        match (self, other) {
            (Route::Unfit(a), Route::Unfit(b)) => std::mem::discriminant(a) == std::mem::discriminant(b),
            _ => std::mem::discriminant(self) == std::mem::discriminant(other),
        }
    }
}

pub struct Replica {
    pool: DbPool,
    /// The primary's system identifier; a standby of any other cluster is never used.
    primary: String,
    max_lag: Duration,
    route: Mutex<Route>,
}

impl Replica {
    /// The standby behind `pool`, checked now and every `CHECK_EVERY` by a task that ends when
    /// the last handle is dropped (so this must run inside a Tokio runtime).
    pub fn start(pool: DbPool, primary_system_identifier: String, max_lag: Duration) -> Arc<Self> {
        let replica = Arc::new(Self {
            pool,
            primary: primary_system_identifier,
            max_lag,
            route: Mutex::new(Route::Unchecked),
        });
        tokio::spawn(monitor(Arc::downgrade(&replica)));
        replica
    }

    pub fn route(&self) -> Route {
        self.route.lock().map_or(Route::Unchecked, |r| r.clone())
    }

    /// A connection to the standby if reports may read from it now. A pool that can't give one
    /// (the standby stopped since the last check) makes this None at once, and the route says so.
    pub async fn conn(&self) -> Option<DbConn> {
        if self.route() != Route::Replica {
            return None;
        }
        match self.pool.get().await {
            Ok(conn) => Some(conn),
            Err(e) => {
                self.set(Route::Unreachable(e.to_string()));
                None
            }
        }
    }

    /// Reads the standby's state once and routes by it.
    async fn check(&self) {
        let route = match tokio::time::timeout(CHECK_TIMEOUT, self.read()).await {
            Ok(route) => route,
            Err(_) => Route::Unreachable(format!("no answer within {} s", CHECK_TIMEOUT.as_secs())),
        };
        self.set(route);
    }

    async fn read(&self) -> Route {
        let mut conn = match self.pool.get().await {
            Ok(conn) => conn,
            Err(e) => return Route::Unreachable(e.to_string()),
        };
        match probe::probe(&mut conn).await {
            Ok(answer) => match probe::judge(&self.primary, &answer, self.max_lag) {
                Ok(()) => Route::Replica,
                Err(unfit) => Route::Unfit(unfit),
            },
            Err(e) => Route::Unreachable(format!("the lag query failed: {e}")),
        }
    }

    fn set(&self, route: Route) {
        let Ok(mut current) = self.route.lock() else {
            return;
        };
        let changed = !current.same_kind(&route);
        *current = route.clone();
        drop(current);
        if changed {
            log_change(&route);
        }
    }
}

fn log_change(route: &Route) {
    match route {
        Route::Unchecked => {}
        Route::Replica => tracing::info!("reports and CSV exports read from the replica (DATABASE_REPLICA_URL)"),
        Route::Unreachable(error) => tracing::warn!(
            error = %error,
            "reports and CSV exports read from the primary: the replica (DATABASE_REPLICA_URL) can't be reached"
        ),
        Route::Unfit(unfit) if unfit.is_wrong_server() => tracing::error!(
            reason = %unfit,
            "reports and CSV exports read from the primary: DATABASE_REPLICA_URL is not a standby of DATABASE_URL"
        ),
        Route::Unfit(unfit) => tracing::warn!(
            reason = %unfit,
            "reports and CSV exports read from the primary: the replica (DATABASE_REPLICA_URL) is too far behind, or can't tell how far"
        ),
    }
}

async fn monitor(replica: Weak<Replica>) {
    while let Some(replica) = replica.upgrade() {
        replica.check().await;
        drop(replica);
        tokio::time::sleep(CHECK_EVERY).await;
    }
}
