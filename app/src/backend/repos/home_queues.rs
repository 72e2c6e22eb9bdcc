//! "Waiting for you" on the console's home page: for every queue of decisions, how many items
//! wait in the operator's programs, since when the oldest waits, and how many are past their
//! SLA. Each branch matches its queue page's own definition of waiting; the SLA hours come
//! from the program where it has them and from `domain::home::queues` where it doesn't.

use super::ledger::STATE_JOIN;
use crate::backend::scope::Scope;
use crate::domain::home::queues::{DEAL_ESCALATE_FACTOR, HOUSE_ESCALATE_HOURS, HOUSE_REMIND_HOURS};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Integer, Text, Timestamptz};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;

#[derive(Clone, Debug, PartialEq, Eq, QueryableByName)]
pub struct Waiting {
    /// A `domain::home::queues::Queue` key.
    #[diesel(sql_type = Text)]
    pub queue: String,
    #[diesel(sql_type = BigInt)]
    pub count: i64,
    #[diesel(sql_type = Timestamptz)]
    pub oldest: OffsetDateTime,
    /// The oldest item's id (for extensions: its deal's id).
    #[diesel(sql_type = BigInt)]
    pub oldest_id: i64,
    /// Items waiting at least the reminder time.
    #[diesel(sql_type = BigInt)]
    pub late: i64,
    /// Items waiting at least the escalation time.
    #[diesel(sql_type = BigInt)]
    pub escalated: i64,
}

/// One row per waiting item: (queue, id, since, reminder hours, escalation hours). `$1` the
/// programs in scope; `$3`, `$4` the house SLA; `$5` the deal escalation factor. Commissions
/// on hold have no hours: no SLA runs.
fn items() -> String {
    format!(
        "SELECT 'applications' AS queue, m.id, m.applied_at AS since, $3 AS remind, $4 AS escalate
         FROM program_memberships m
         WHERE m.status = 'applied' AND m.program_id = ANY($1)
         UNION ALL
         SELECT CASE WHEN st.status = 'on_hold' THEN 'commissions_on_hold'
                     ELSE 'commissions_' || st.stage END,
                c.id, st.decided_at,
                CASE WHEN st.status = 'pending' THEN p.sla_remind_hours END,
                CASE WHEN st.status = 'pending' THEN p.sla_escalate_hours END
         FROM commissions c {STATE_JOIN} JOIN programs p ON p.id = c.program_id
         WHERE c.kind = 'commission' AND c.program_id = ANY($1)
           AND (st.status = 'on_hold' OR (st.status = 'pending' AND st.stage IN ('manager', 'finance')))
         UNION ALL
         SELECT 'deals', d.id, d.submitted_at, p.deal_sla_hours, p.deal_sla_hours * $5
         FROM deals d JOIN programs p ON p.id = d.program_id
         WHERE d.status = 'pending' AND d.program_id = ANY($1)
         UNION ALL
         SELECT 'deal_extensions', d.id, e.requested_at, p.deal_sla_hours, p.deal_sla_hours * $5
         FROM deal_extensions e JOIN deals d ON d.id = e.deal_id JOIN programs p ON p.id = d.program_id
         WHERE e.status = 'pending' AND d.program_id = ANY($1)
         UNION ALL
         SELECT CASE WHEN r.status = 'pending' THEN 'mdf_requests' ELSE 'mdf_claims' END,
                r.id, COALESCE(cl.submitted_at, r.submitted_at), $3, $4
         FROM mdf_requests r JOIN mdf_funds f ON f.id = r.fund_id
         LEFT JOIN mdf_claims cl ON cl.request_id = r.id AND cl.status = 'submitted'
         WHERE r.status IN ('pending', 'claimed') AND f.program_id = ANY($1)"
    )
}

/// The queues that have something waiting at `now` (`$2`); empty queues have no row.
pub async fn waiting(conn: &mut AsyncPgConnection, scope: &Scope, now: OffsetDateTime) -> QueryResult<Vec<Waiting>> {
    let due = |hours: &str| format!("{hours} IS NOT NULL AND w.since <= $2 - make_interval(hours => {hours})");
    diesel::sql_query(format!(
        "SELECT w.queue, count(*) AS count, min(w.since) AS oldest,
                (array_agg(w.id ORDER BY w.since, w.id))[1] AS oldest_id,
                count(*) FILTER (WHERE {late}) AS late,
                count(*) FILTER (WHERE {escalated}) AS escalated
         FROM ({items}) w GROUP BY w.queue ORDER BY w.queue",
        late = due("w.remind"),
        escalated = due("w.escalate"),
        items = items(),
    ))
    .bind::<Array<BigInt>, _>(&scope.programs)
    .bind::<Timestamptz, _>(now)
    .bind::<Integer, _>(HOUSE_REMIND_HOURS)
    .bind::<Integer, _>(HOUSE_ESCALATE_HOURS)
    .bind::<Integer, _>(DEAL_ESCALATE_FACTOR)
    .load(conn)
    .await
}

#[cfg(test)]
#[path = "home_queues_tests.rs"]
mod tests;
