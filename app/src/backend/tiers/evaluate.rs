//! The tier evaluation of a program: every active member's figures in one query, each one's
//! decision by `domain::tiers::decide`, and the moves, warnings and recoveries written in one
//! transaction under the program row's lock (so the daily job and an operator's "run now" never
//! interleave, and running it twice at one moment changes nothing the second time).

use super::moves::{Move, Mover};
use crate::api::error::AppError;
use crate::backend::auth::AuthUser;
use crate::backend::partner_mail;
use crate::backend::repos::partners;
use crate::backend::repos::tiers::{self, MemberFigures};
use crate::domain::tiers::{decide, emails, progress, Decision, Ladder};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use futures_util::{stream, StreamExt, TryStreamExt};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// What one evaluation did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub evaluated: u32,
    pub promoted: u32,
    pub demoted: u32,
    pub warned: u32,
    pub recovered: u32,
    /// Partners whose tier left the ladder, placed by the criteria they meet.
    pub placed: u32,
}

/// What the evaluation did to one partner.
#[derive(Clone, Copy)]
enum Outcome {
    Stayed,
    Promoted,
    Placed,
    Demoted,
    Warned,
    Recovered,
}

/// Partners whose writes are in flight at once on the evaluation's connection.
const IN_FLIGHT: usize = 256;

impl Summary {
    fn count(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Stayed => {}
            Outcome::Promoted => self.promoted += 1,
            Outcome::Placed => self.placed += 1,
            Outcome::Demoted => self.demoted += 1,
            Outcome::Warned => self.warned += 1,
            Outcome::Recovered => self.recovered += 1,
        }
    }

    pub fn describe(&self) -> String {
        format!(
            "Evaluated {} partners: {} promoted, {} demoted, {} warned, {} recovered{}.",
            self.evaluated,
            self.promoted,
            self.demoted,
            self.warned,
            self.recovered,
            if self.placed > 0 {
                format!(", {} placed from tiers no longer on the ladder", self.placed)
            } else {
                String::new()
            }
        )
    }
}

/// Evaluates every program with a ladder (the daily job).
pub async fn evaluate_all(
    conn: &mut AsyncPgConnection,
    base_url: &str,
    now: OffsetDateTime,
) -> Result<Summary, AppError> {
    let mut total = Summary::default();
    for program_id in tiers::programs_with_ladders(conn).await? {
        // One program's failure is logged and the others still run (the day's run is claimed).
        let done = match evaluate_program(conn, program_id, None, None, base_url, now).await {
            Ok(done) => done,
            Err(e) => {
                tracing::warn!(program_id, error = %e, "tier evaluation of a program failed");
                continue;
            }
        };
        total.evaluated += done.evaluated;
        total.promoted += done.promoted;
        total.demoted += done.demoted;
        total.warned += done.warned;
        total.recovered += done.recovered;
        total.placed += done.placed;
    }
    Ok(total)
}

/// Evaluates one program; `by` is the operator who asked (or `None` for the daily job).
pub async fn evaluate_program(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    by: Option<&AuthUser>,
    request_id: Option<&str>,
    base_url: &str,
    now: OffsetDateTime,
) -> Result<Summary, AppError> {
    conn.transaction::<_, AppError, _>(async |conn| {
        let mover = Mover::load(conn, program_id, by, request_id, base_url, now).await?;
        let ladder = &mover.ladder;
        if ladder.tiers.is_empty() {
            return Ok(Summary::default());
        }
        let members = tiers::figures(conn, program_id, None, ladder.window_days, now).await?;
        let mut summary = Summary {
            evaluated: members.len() as u32,
            ..Summary::default()
        };
        // Partners are independent of each other, so their writes share the connection's
        // pipeline: a few hundred in flight instead of one round trip after another.
        let shared: &AsyncPgConnection = conn;
        let pending: Vec<_> = members.iter().map(|m| evaluate_member(shared, &mover, m)).collect();
        let outcomes: Vec<Outcome> = stream::iter(pending).buffer_unordered(IN_FLIGHT).try_collect().await?;
        for outcome in outcomes {
            summary.count(outcome);
        }
        tiers::mark_evaluated(conn, program_id, now).await?;
        Ok(summary)
    })
    .await
}

/// Decides the member's place on the ladder and writes what it changes.
async fn evaluate_member(
    conn: &AsyncPgConnection,
    mover: &Mover<'_>,
    member: &MemberFigures,
) -> Result<Outcome, AppError> {
    let decision = decide(&mover.ladder, &member.standing(), &member.measures(), mover.now);
    let ladder = &mover.ladder;
    let name = |place: Option<usize>| place.map_or("no tier", |p| ladder.tiers[p].name.as_str());
    let from = member.tier.as_deref();
    Ok(match &decision {
        Decision::Stay => Outcome::Stayed,
        Decision::Promote { to } => {
            let reason = format!("Met the criteria of {}.", name(Some(*to)));
            // Joining the entry tier is not news; every later step up is.
            let email = from.is_some() || *to > 0;
            let mv = Move {
                partner_id: member.partner_id,
                from,
                to: Some(*to),
                kind: "promoted",
                reason: &reason,
                email,
            };
            mover.apply(conn, &mv).await?;
            Outcome::Promoted
        }
        Decision::Place { to } => {
            let reason = format!(
                "{} is no longer on the ladder; placed by the criteria met.",
                from.unwrap_or("The tier")
            );
            let mv = Move {
                partner_id: member.partner_id,
                from,
                to: *to,
                kind: "placed",
                reason: &reason,
                email: true,
            };
            mover.apply(conn, &mv).await?;
            Outcome::Placed
        }
        Decision::Demote { to } => {
            let reason = format!(
                "Below the criteria of {} after a {}-day grace period.",
                from.unwrap_or("the tier"),
                ladder.grace_days
            );
            let mv = Move {
                partner_id: member.partner_id,
                from,
                to: *to,
                kind: "demoted",
                reason: &reason,
                email: true,
            };
            mover.apply(conn, &mv).await?;
            Outcome::Demoted
        }
        Decision::Warn { to, due } => {
            tiers::set_demotion_due(conn, mover.program.id, member.partner_id, Some(*due)).await?;
            let held = from.unwrap_or("the tier");
            let due_text = crate::domain::format::date(*due);
            let reason = format!(
                "Below the criteria of {held}: moves to {} on {due_text} unless met again.",
                name(*to)
            );
            mover
                .record(
                    conn,
                    member.partner_id,
                    "warned",
                    from,
                    to.map(|p| name(Some(p))),
                    &reason,
                )
                .await?;
            warn_partner(conn, mover, member, held, *to, &due_text).await?;
            Outcome::Warned
        }
        Decision::Recover => {
            tiers::set_demotion_due(conn, mover.program.id, member.partner_id, None).await?;
            let held = from.unwrap_or("the tier");
            let reason = format!("Meets the criteria of {held} again; the demotion is off.");
            mover
                .record(conn, member.partner_id, "recovered", from, from, &reason)
                .await?;
            let partner = partners::get(conn, member.partner_id).await?;
            let content = emails::kept(&partner.name, &mover.program.name, held);
            partner_mail::to_loaded(conn, &partner, &content).await?;
            Outcome::Recovered
        }
    })
}

/// The warning email lists what the partner still needs to keep the tier it holds.
async fn warn_partner(
    conn: &AsyncPgConnection,
    mover: &Mover<'_>,
    member: &MemberFigures,
    held: &str,
    to: Option<usize>,
    due: &str,
) -> Result<(), AppError> {
    let ladder: &Ladder = &mover.ladder;
    let missing: Vec<String> = progress(
        ladder,
        ladder.position(held),
        true,
        &member.measures(),
        &mover.program.currency,
    )
    .steps
    .into_iter()
    .filter_map(|s| s.missing)
    .collect();
    let partner = partners::get(conn, member.partner_id).await?;
    let to_name = to.map(|p| ladder.tiers[p].name.as_str());
    let url = format!("{}/portal", mover.base_url);
    let content = emails::warned(&partner.name, &mover.program.name, held, to_name, due, &missing, &url);
    partner_mail::to_loaded(conn, &partner, &content).await
}
