//! The deal jobs, run every few minutes by the worker on any number of instances: protection
//! ends when its window does (with a warning 7 days ahead), and registrations waiting past their
//! program's SLA are chased, a reminder to managers first and an escalation to admins at twice
//! the SLA. Each notice goes once: its time is recorded on the deal in the same transaction.

use super::notify::DealNames;
use crate::backend::operator_mail;
use crate::backend::repos::audit::{self, Actor, NewEvent};
use crate::backend::repos::deal_history::{self, NewDealEvent};
use crate::backend::repos::{deals, outbox};
use crate::domain::commission::sla::{self, Sla};
use crate::domain::deals::emails as deal_emails;
use crate::domain::deals::lifecycle::EXPIRY_WARNING_DAYS;
use crate::domain::format;
use diesel::QueryResult;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use time::OffsetDateTime;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JobReport {
    pub expired: usize,
    pub warned: usize,
    /// Registrations chased: reminders and escalations.
    pub reminded: usize,
    pub escalated: usize,
}

pub async fn run(conn: &mut AsyncPgConnection, base_url: &str, now: OffsetDateTime) -> QueryResult<JobReport> {
    conn.transaction(async |conn| {
        let mut report = JobReport::default();
        for deal in deals::due_for_expiry(conn, now).await? {
            deals::expire(conn, deal.id).await?;
            if let Some(extension) = deal_history::lock_pending_extension(conn, deal.id).await? {
                deal_history::decide_extension_by_system(conn, extension.id, "protection ended first", now).await?;
            }
            happened(conn, deal.id, "expired", now).await?;
            let names = DealNames::load(conn, &deal, base_url).await?;
            names
                .tell_partner(conn, &deal_emails::protection_expired(&names.for_partner(&deal)))
                .await?;
            report.expired += 1;
        }
        for deal in deals::due_for_warning(conn, now, EXPIRY_WARNING_DAYS).await? {
            deals::mark_warned(conn, deal.id, now).await?;
            happened(conn, deal.id, "expiry_warned", now).await?;
            let names = DealNames::load(conn, &deal, base_url).await?;
            let until = deal.protected_until.map(format::date).unwrap_or_default();
            names
                .tell_partner(conn, &deal_emails::protection_ending(&names.for_partner(&deal), &until))
                .await?;
            report.warned += 1;
        }
        let (reminded, escalated) = chase_overdue(conn, base_url, now).await?;
        report.reminded = reminded;
        report.escalated = escalated;
        Ok(report)
    })
    .await
}

async fn chase_overdue(
    conn: &mut AsyncPgConnection,
    base_url: &str,
    now: OffsetDateTime,
) -> QueryResult<(usize, usize)> {
    let mut reminders = Vec::new();
    let mut escalations = Vec::new();
    for item in deals::overdue(conn, now).await? {
        let due = sla::sla(item.submitted_at, now, item.sla_hours, item.sla_hours.saturating_mul(2));
        let line = format!(
            "#{} {} ({}) in {}: waiting for {}",
            item.id,
            item.company,
            item.domain,
            item.program_name,
            sla::waited_text(item.submitted_at, now)
        );
        if due == Sla::Escalation && !item.escalated && deals::mark_chased(conn, item.id, true, now).await? {
            happened(conn, item.id, "escalated", now).await?;
            escalations.push((item.program_id, line));
        } else if due >= Sla::Reminder && !item.reminded && deals::mark_chased(conn, item.id, false, now).await? {
            happened(conn, item.id, "reminded", now).await?;
            reminders.push((item.program_id, line));
        }
    }
    let url = format!("{base_url}/console/deals");
    for (lines, escalation, roles) in [
        (&reminders, false, &["manager", "admin"][..]),
        (&escalations, true, &["admin"][..]),
    ] {
        if lines.is_empty() {
            continue;
        }
        // Each approver hears only about the programs of the brands they may see.
        for digest in operator_mail::digests(conn, roles, lines).await? {
            let content = deal_emails::registrations_waiting(&digest.name, &digest.lines, escalation, &url);
            outbox::enqueue(conn, &digest.email, &content).await?;
        }
    }
    Ok((reminders.len(), escalations.len()))
}

/// The system's history line and audit event for a deal.
async fn happened(conn: &mut AsyncPgConnection, deal_id: i64, kind: &str, now: OffsetDateTime) -> QueryResult<()> {
    deal_history::record(
        conn,
        &NewDealEvent {
            deal_id,
            at: now,
            actor_id: None,
            kind,
            stage: None,
            value: None,
            note: None,
        },
    )
    .await?;
    audit::record(
        conn,
        NewEvent {
            actor: &Actor::system("deal jobs"),
            action: &format!("deal.{kind}"),
            subject_type: "deal",
            subject_id: deal_id.to_string(),
            before: None,
            after: None,
            request_id: None,
        },
    )
    .await
}
