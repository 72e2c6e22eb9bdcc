//! An operator's decision on a membership: the status change, its audit event and the email to
//! the partner, in one transaction. The row lock makes concurrent decisions take turns, and the
//! state machine refuses the second one.

use super::RequestMeta;
use crate::api::error::AppError;
use crate::backend::auth::AuthUser;
use crate::backend::documents::standing;
use crate::backend::repos::audit::{self, NewEvent};
use crate::backend::repos::memberships::{self, ReviewRow};
use crate::backend::repos::password_tokens::{self, Purpose};
use crate::backend::repos::{outbox, users};
use crate::backend::scope::Scope;
use crate::backend::settings::Settings;
use crate::domain::documents::{names_text, NeededBefore};
use crate::domain::emails;
use crate::domain::membership::{self, Decision, MembershipStatus};
use crate::domain::validate;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use time::OffsetDateTime;

pub const REASON_MAX: usize = 1000;

#[allow(clippy::too_many_arguments)]
pub async fn decide(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    reviewer: &AuthUser,
    scope: &Scope,
    membership_id: i64,
    decision: Decision,
    reason: &str,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<ReviewRow, AppError> {
    let reason = validate::optional_text(reason, "Reason", REASON_MAX).map_err(|m| AppError::field("reason", m))?;
    if decision.needs_reason() && reason.is_none() {
        return Err(AppError::field("reason", "Give a reason: the partner will read it."));
    }
    conn.transaction::<_, AppError, _>(async |conn| {
        let current = memberships::lock(conn, scope, membership_id)
            .await
            .map_err(|e| crate::backend::errors::not_found_as(e, "That application doesn't exist."))?;
        let status = MembershipStatus::parse(&current.status)
            .ok_or_else(|| crate::backend::errors::internal("unknown status"))?;
        let next = membership::apply(status, decision).map_err(AppError::Conflict)?;
        if decision == Decision::Approve {
            let (partner, program) = (current.partner_id, current.program_id);
            let missing = standing::unmet(conn, partner, program, NeededBefore::Approval, now.date()).await?;
            if !missing.is_empty() {
                let names: Vec<&str> = missing.iter().map(String::as_str).collect();
                return Err(AppError::Conflict(format!(
                    "This program needs {} approved before it approves the application. Review the partner's documents first.",
                    names_text(&names)
                )));
            }
        }
        let updated =
            memberships::set_status(conn, membership_id, next.as_str(), reason.as_deref(), reviewer.id, now).await?;
        audit::record(
            conn,
            NewEvent {
                actor: &reviewer.actor(),
                action: &format!("membership.{}", decision_name(decision)),
                subject_type: "membership",
                subject_id: membership_id.to_string(),
                before: Some(serde_json::json!({ "status": current.status, "reason": current.status_reason })),
                after: Some(serde_json::json!({ "status": updated.status, "reason": updated.status_reason })),
                request_id: meta.request_id.as_deref(),
            },
        )
        .await?;
        if matches!(decision, Decision::Approve | Decision::Reinstate) {
            super::links::ensure_default(conn, current.partner_id, current.program_id, now).await?;
            crate::backend::commissions::terms::ensure_initial(conn, current.program_id, current.partner_id, now)
                .await?;
        }
        if decision == Decision::Approve {
            link_to_inviter(conn, &current, meta, now).await?;
        }
        let review = memberships::get_for_review(conn, scope, membership_id).await?;
        notify(conn, settings, &review, decision, reason.as_deref(), now).await?;
        Ok(review)
    })
    .await
}

/// Makes a partner who applied through a master's invitation that master's sub-partner. A
/// master who has meanwhile left the program (or a link that would make a loop) is skipped:
/// the approval itself still stands.
async fn link_to_inviter(
    conn: &mut AsyncPgConnection,
    membership: &memberships::MembershipRow,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let Some(inviter) = memberships::invited_by(conn, membership.id).await? else {
        return Ok(());
    };
    let (program, partner) = (membership.program_id, membership.partner_id);
    match crate::backend::commissions::partners::set_master(conn, None, program, partner, Some(inviter), meta, now)
        .await
    {
        Err(AppError::Invalid(_) | AppError::NotFound(_)) => Ok(()),
        other => other,
    }
}

fn decision_name(decision: Decision) -> &'static str {
    match decision {
        Decision::Approve => "approve",
        Decision::Reject => "reject",
        Decision::Suspend => "suspend",
        Decision::Reinstate => "reinstate",
    }
}

/// Emails the partner's owner. An owner who has never set a password gets a single-use link.
async fn notify(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    review: &ReviewRow,
    decision: Decision,
    reason: Option<&str>,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let owner = users::partner_owner(conn, review.membership.partner_id).await?;
    let to = owner
        .as_ref()
        .map_or(review.partner_email.as_str(), |o| o.email.as_str());
    let content = match decision {
        Decision::Approve | Decision::Reinstate => {
            let link = match owner.as_ref().filter(|o| o.password_hash.is_none()) {
                Some(owner) => {
                    let token =
                        password_tokens::issue(conn, owner.id, Purpose::Invite, settings.invite_token_ttl, now).await?;
                    Some(format!("{}/set-password?token={token}", settings.base_url))
                }
                None => None,
            };
            emails::application_approved(&review.partner_name, &review.program_name, link.as_deref())
        }
        Decision::Reject | Decision::Suspend => {
            emails::application_rejected(&review.partner_name, &review.program_name, reason.unwrap_or_default())
        }
    };
    outbox::enqueue_for_program(conn, review.membership.program_id, to, &content).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::flows::join;
    use crate::backend::repos::users::Account;
    use crate::backend::schema;
    use crate::backend::testing::TestDb;
    use crate::domain::access::OperatorRole;
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;

    async fn setup(db: &TestDb) -> (AuthUser, i64) {
        let mut conn = db.conn().await;
        join::tests::two_programs(&mut conn).await;
        let submitted = join::submit(
            &mut conn,
            "acme-affiliates",
            &join::tests::application("ada@example.com"),
            &std::collections::HashMap::new(),
            None,
            None,
            &RequestMeta::default(),
            OffsetDateTime::now_utc(),
        )
        .await
        .unwrap();
        let op = users::insert_operator(&mut conn, "mgr@example.com", "Mgr", OperatorRole::Manager, "h")
            .await
            .unwrap();
        let reviewer = AuthUser {
            brand_scoped: false,
            id: op.id,
            email: op.email,
            display_name: op.display_name,
            account: Account::Operator(OperatorRole::Manager),
        };
        (reviewer, submitted.membership_id)
    }

    #[tokio::test]
    async fn approval_activates_audits_and_emails_a_set_password_link() {
        let db = TestDb::new().await;
        let (reviewer, id) = setup(&db).await;
        let settings = Settings::for_local(std::env::temp_dir());
        let mut conn = db.conn().await;
        let all = Scope::everything(&mut conn).await.unwrap();
        let review = decide(
            &mut conn,
            &settings,
            &reviewer,
            &all,
            id,
            Decision::Approve,
            "",
            &RequestMeta::default(),
            OffsetDateTime::now_utc(),
        )
        .await
        .unwrap();
        assert_eq!(review.membership.status, "active");
        let (subject, text): (String, String) = schema::email_outbox::table
            .order(schema::email_outbox::id.desc())
            .select((schema::email_outbox::subject, schema::email_outbox::body_text))
            .first(&mut conn)
            .await
            .unwrap();
        assert_eq!(subject, "You're in: Acme Affiliates");
        assert!(text.contains("http://127.0.0.1:3000/set-password?token="));
        let actions: Vec<String> = schema::audit_events::table
            .select(schema::audit_events::action)
            .order(schema::audit_events::id)
            .load(&mut conn)
            .await
            .unwrap();
        assert_eq!(actions, ["membership.apply", "membership.approve"]);
    }

    #[tokio::test]
    async fn rejection_needs_a_reason_and_a_second_decision_conflicts() {
        let db = TestDb::new().await;
        let (reviewer, id) = setup(&db).await;
        let settings = Settings::for_local(std::env::temp_dir());
        let mut conn = db.conn().await;
        let now = OffsetDateTime::now_utc();
        let meta = RequestMeta::default();
        let all = Scope::everything(&mut conn).await.unwrap();
        // A reviewer limited to other brands finds no such application.
        let nobody = Scope::nothing();
        let hidden = decide(
            &mut conn,
            &settings,
            &reviewer,
            &nobody,
            id,
            Decision::Approve,
            "",
            &meta,
            now,
        )
        .await;
        assert!(matches!(hidden, Err(AppError::NotFound(_))), "{hidden:?}");
        let missing = decide(
            &mut conn,
            &settings,
            &reviewer,
            &all,
            id,
            Decision::Reject,
            "  ",
            &meta,
            now,
        )
        .await;
        assert!(matches!(missing, Err(AppError::Invalid(ref e)) if e.get("reason").is_some()));
        let status: String = schema::program_memberships::table
            .find(id)
            .select(schema::program_memberships::status)
            .first(&mut conn)
            .await
            .unwrap();
        assert_eq!(status, "applied", "nothing changed");

        // Two reviewers at once: one decision wins, the other gets a clear conflict.
        let (mut a, mut b) = (db.conn().await, db.conn().await);
        let (first, second) = tokio::join!(
            decide(
                &mut a,
                &settings,
                &reviewer,
                &all,
                id,
                Decision::Approve,
                "",
                &meta,
                now
            ),
            decide(
                &mut b,
                &settings,
                &reviewer,
                &all,
                id,
                Decision::Reject,
                "Not a fit",
                &meta,
                now
            ),
        );
        let outcomes = [first.is_ok(), second.is_ok()];
        assert_eq!(outcomes.iter().filter(|ok| **ok).count(), 1, "{first:?} {second:?}");
        let loser = match (first, second) {
            (Ok(_), Err(e)) | (Err(e), Ok(_)) => e,
            other => panic!("exactly one decision must win: {other:?}"),
        };
        assert!(matches!(loser, AppError::Conflict(ref m) if m.contains("can't be changed")));
        let decisions: i64 = schema::audit_events::table
            .filter(schema::audit_events::action.ne("membership.apply"))
            .count()
            .get_result(&mut conn)
            .await
            .unwrap();
        assert_eq!(decisions, 1);
    }
}
