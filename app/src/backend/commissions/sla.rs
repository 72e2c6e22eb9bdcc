//! Approval SLAs: a digest to the approvers of each stage for items that have waited longer
//! than the program's reminder time, and to admins past the escalation time. Each wait is
//! reminded and escalated once (recorded in commission_sla_notices), so the job can run as
//! often as it likes, on any number of instances.

use crate::backend::operator_mail;
use crate::backend::repos::ledger::STATE_JOIN;
use crate::backend::repos::outbox;
use crate::domain::commission::sla::{self, Sla};
use crate::domain::{emails, money};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Numeric, Text, Timestamptz};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use time::OffsetDateTime;

#[derive(QueryableByName, Debug)]
struct Waiting {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    program_id: i64,
    #[diesel(sql_type = Integer)]
    seq: i32,
    #[diesel(sql_type = Text)]
    stage: String,
    #[diesel(sql_type = Timestamptz)]
    decided_at: OffsetDateTime,
    #[diesel(sql_type = Integer)]
    remind: i32,
    #[diesel(sql_type = Integer)]
    escalate: i32,
    #[diesel(sql_type = Text)]
    program: String,
    #[diesel(sql_type = Numeric)]
    amount: Decimal,
    #[diesel(sql_type = Text)]
    currency: String,
    #[diesel(sql_type = BigInt)]
    sent: i64,
}

/// Sends what is due and returns how many emails were queued.
pub async fn run(conn: &mut AsyncPgConnection, base_url: &str, now: OffsetDateTime) -> QueryResult<usize> {
    conn.transaction(async |conn| {
        // One run at a time, so that two instances don't both send the same digest.
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended('commission-sla', 0))")
            .execute(conn)
            .await?;
        let waiting: Vec<Waiting> = diesel::sql_query(format!(
            "SELECT c.id, c.program_id, st.seq, st.stage, st.decided_at, p.sla_remind_hours AS remind,
                    p.sla_escalate_hours AS escalate, p.name AS program, c.amount, c.currency,
                    (SELECT count(*) FROM commission_sla_notices n WHERE n.commission_id = c.id AND n.seq = st.seq) AS sent
             FROM commissions c JOIN programs p ON p.id = c.program_id {STATE_JOIN}
             WHERE c.kind IN ('commission', 'adjustment') AND st.status = 'pending'
               AND st.decided_at <= $1 - make_interval(hours => p.sla_remind_hours)
             ORDER BY st.decided_at"
        ))
        .bind::<Timestamptz, _>(now)
        .load(conn)
        .await?;
        // (recipient group, escalation?) -> (program, line)
        let mut digests: BTreeMap<(&'static str, bool), Vec<(i64, String)>> = BTreeMap::new();
        for item in &waiting {
            let due = sla::sla(item.decided_at, now, item.remind, item.escalate);
            let (kind, group, escalation) = match (due, item.sent) {
                (Sla::Escalation, sent) if sent < 2 => ("escalation", "admin", true),
                (Sla::Reminder | Sla::Escalation, 0) => {
                    ("reminder", if item.stage == "finance" { "finance" } else { "manager" }, false)
                }
                _ => continue,
            };
            let inserted = diesel::sql_query(
                "INSERT INTO commission_sla_notices (commission_id, seq, kind, sent_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT DO NOTHING",
            )
            .bind::<BigInt, _>(item.id)
            .bind::<Integer, _>(item.seq)
            .bind::<Text, _>(kind)
            .bind::<Timestamptz, _>(now)
            .execute(conn)
            .await?;
            if inserted == 0 {
                continue;
            }
            let line = format!(
                "#{} in {}: {} waiting for {} for {}",
                item.id,
                item.program,
                money::format(item.amount, &item.currency),
                item.stage,
                sla::waited_text(item.decided_at, now)
            );
            digests.entry((group, escalation)).or_default().push((item.program_id, line));
        }
        let mut sent = 0;
        let url = format!("{base_url}/console/commissions");
        for ((group, escalation), lines) in digests {
            let roles: &[&str] = match group {
                "finance" => &["finance", "admin"],
                "manager" => &["manager", "admin"],
                _ => &["admin"],
            };
            // Each approver hears only about the programs of the brands they may see.
            for digest in operator_mail::digests(conn, roles, &lines).await? {
                let content = emails::approvals_waiting(&digest.name, &digest.lines, escalation, &url);
                outbox::enqueue(conn, &digest.email, &content).await?;
                sent += 1;
            }
        }
        Ok(sent)
    })
    .await
}
