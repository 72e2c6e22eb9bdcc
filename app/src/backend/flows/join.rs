//! A public application to a program: one partner identity per email, one membership per
//! program, a confirmation email, an audit event.

use super::RequestMeta;
use crate::api::error::AppError;
use crate::backend::repos::application_questions::QuestionRow;
use crate::backend::repos::audit::{self, Actor, NewEvent};
use crate::backend::repos::partners::{self, NewPartner};
use crate::backend::repos::users::{self, Account};
use crate::backend::repos::{application_questions, memberships, outbox, programs, sub_partners};
use crate::domain::access::PartnerRole;
use crate::domain::emails;
use crate::domain::join::{self, Application, ApplicationInput};
use crate::domain::questions::Question;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use std::collections::HashMap;
use time::OffsetDateTime;

#[derive(Clone, Debug)]
pub struct Submitted {
    pub membership_id: i64,
    pub partner_id: i64,
    pub program_id: i64,
    /// The applicant's login (new, or the partner person who already had one).
    pub user_id: i64,
    pub joined_existing_identity: bool,
}

/// `input` and `answers` are the form as posted: the standard fields are checked with the
/// answers to this program's questions, so every error shows at once. `invite` is a master
/// partner's invitation code from the join link; it counts only when it belongs to this program
/// (an unknown code is ignored, so it can't block an application). `code` is the program's own
/// invitation code, which an invite-only program requires.
#[allow(clippy::too_many_arguments)]
pub async fn submit(
    conn: &mut AsyncPgConnection,
    program_slug: &str,
    input: &ApplicationInput,
    answers: &HashMap<String, String>,
    invite: Option<&str>,
    code: Option<&str>,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<Submitted, AppError> {
    conn.transaction::<_, AppError, _>(async |conn| {
        let not_taking = || AppError::NotFound(join::NOT_TAKING_APPLICATIONS.into());
        let (program, _brand) = programs::find_by_slug(conn, program_slug)
            .await?
            .ok_or_else(not_taking)?;
        let sub_invite = match invite {
            Some(code) => sub_partners::inviter(conn, program.id, code).await?.is_some(),
            None => false,
        };
        if !join::may_apply(
            program.is_open,
            program.is_archived(),
            &program.invite_code,
            code,
            sub_invite,
        ) {
            return Err(not_taking());
        }
        let questions: Vec<Question> = application_questions::in_use(conn, program.id)
            .await?
            .iter()
            .map(QuestionRow::question)
            .collect();
        let application = &join::validate_with_answers(input, &questions, answers).map_err(AppError::Invalid)?;
        join::kind_accepted(&program.partner_kinds, application.kind, &program.name)
            .map_err(|m| AppError::field("kind", m))?;
        let (partner_id, user_id, existing) = identity_for(conn, application).await?;
        if let Some(existing) = memberships::find(conn, partner_id, program.id).await? {
            return Err(AppError::Conflict(match existing.status.as_str() {
                "applied" => format!(
                    "You have already applied to {}. We'll email you when it has been reviewed.",
                    program.name
                ),
                _ => format!(
                    "This email address already has a membership in {}. Log in to see it.",
                    program.name
                ),
            }));
        }
        let membership =
            memberships::insert_application(conn, partner_id, program.id, &application.promotion_plan, now)
                .await
                .map_err(|e| match AppError::from(e) {
                    AppError::Conflict(_) => {
                        AppError::Conflict(format!("You have already applied to {}.", program.name))
                    }
                    other => other,
                })?;
        let inviter = match invite {
            Some(code) => sub_partners::inviter(conn, program.id, code)
                .await?
                .filter(|master| *master != partner_id),
            None => None,
        };
        if let Some(master) = inviter {
            memberships::set_invited_by(conn, membership.id, master).await?;
        }
        application_questions::insert_answers(conn, membership.id, &application.answers).await?;
        audit::record(
            conn,
            NewEvent {
                actor: &Actor {
                    user_id: Some(user_id),
                    label: application.email.clone(),
                },
                action: "membership.apply",
                subject_type: "membership",
                subject_id: membership.id.to_string(),
                before: None,
                after: Some(serde_json::json!({
                    "program": program.slug, "partner_id": partner_id, "status": membership.status,
                    "kind": application.kind.as_str(), "country": application.country,
                    "invited_by": inviter,
                })),
                request_id: meta.request_id.as_deref(),
            },
        )
        .await?;
        outbox::enqueue_for_program(
            conn,
            program.id,
            &application.email,
            &emails::application_received(&application.name, &program.name),
        )
        .await?;
        Ok(Submitted {
            membership_id: membership.id,
            partner_id,
            program_id: program.id,
            user_id,
            joined_existing_identity: existing,
        })
    })
    .await
}

/// The partner and user for an applicant's email: the existing identity when there is one.
async fn identity_for(conn: &mut AsyncPgConnection, application: &Application) -> Result<(i64, i64, bool), AppError> {
    if let Some(user) = users::find_by_email(conn, &application.email).await? {
        return match user.account() {
            Some(Account::Partner { partner_id, .. }) => Ok((partner_id, user.id, true)),
            _ => Err(AppError::field(
                "email",
                "This email address can't be used for an application. Apply with another address.",
            )),
        };
    }
    let partner = match partners::find_by_email(conn, &application.email).await? {
        Some(partner) => partner,
        None => {
            partners::insert(
                conn,
                &NewPartner {
                    name: &application.name,
                    email: &application.email,
                    kind: application.kind.as_str(),
                    country: &application.country,
                    website: application.website.as_deref(),
                },
            )
            .await?
        }
    };
    let user = users::insert_partner_user(
        conn,
        partner.id,
        &application.email,
        &application.name,
        PartnerRole::Owner,
    )
    .await?;
    Ok((partner.id, user.id, false))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::backend::repos::programs::NewProgram;
    use crate::backend::schema;
    use crate::backend::testing::TestDb;
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;

    pub(crate) async fn two_programs(conn: &mut AsyncPgConnection) {
        let brand = programs::insert_brand(conn, "Acme", "acme").await.unwrap();
        for (name, slug, currency) in [
            ("Acme Affiliates", "acme-affiliates", "EUR"),
            ("Acme Resellers", "acme-resellers", "USD"),
        ] {
            programs::insert(
                conn,
                &NewProgram {
                    brand_id: brand,
                    name,
                    slug,
                    currency,
                    description: "",
                    terms: "Terms",
                },
            )
            .await
            .unwrap();
        }
    }

    pub(crate) fn application(email: &str) -> ApplicationInput {
        ApplicationInput {
            name: "Ada <b>Deals</b>".into(),
            email: email.into(),
            website: String::new(),
            kind: "creator".into(),
            country: "GB".into(),
            promotion_plan: "'; DROP TABLE partners; --".into(),
            accept_terms: true,
        }
    }

    async fn counts(conn: &mut AsyncPgConnection) -> (i64, i64, i64, i64, i64) {
        (
            schema::partners::table.count().get_result(conn).await.unwrap(),
            schema::users::table.count().get_result(conn).await.unwrap(),
            schema::program_memberships::table
                .count()
                .get_result(conn)
                .await
                .unwrap(),
            schema::email_outbox::table.count().get_result(conn).await.unwrap(),
            schema::audit_events::table.count().get_result(conn).await.unwrap(),
        )
    }

    #[tokio::test]
    async fn one_identity_joins_many_programs() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        two_programs(&mut conn).await;
        let meta = RequestMeta::default();
        let now = OffsetDateTime::now_utc();
        let first = submit(
            &mut conn,
            "acme-affiliates",
            &application("ada@example.com"),
            &HashMap::new(),
            None,
            None,
            &meta,
            now,
        )
        .await
        .unwrap();
        assert!(!first.joined_existing_identity);
        let second = submit(
            &mut conn,
            "acme-resellers",
            &application("ADA@example.com"),
            &HashMap::new(),
            None,
            None,
            &meta,
            now,
        )
        .await
        .unwrap();
        assert!(second.joined_existing_identity);
        assert_eq!(first.partner_id, second.partner_id);
        assert_eq!(counts(&mut conn).await, (1, 1, 2, 2, 2));
        let stored: String = schema::partners::table
            .select(schema::partners::name)
            .first(&mut conn)
            .await
            .unwrap();
        assert_eq!(stored, "Ada <b>Deals</b>", "stored as typed");
    }

    #[tokio::test]
    async fn a_double_submission_is_refused_and_changes_nothing() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        two_programs(&mut conn).await;
        let now = OffsetDateTime::now_utc();
        submit(
            &mut conn,
            "acme-affiliates",
            &application("ada@example.com"),
            &HashMap::new(),
            None,
            None,
            &RequestMeta::default(),
            now,
        )
        .await
        .unwrap();
        let before = counts(&mut conn).await;
        let again = submit(
            &mut conn,
            "acme-affiliates",
            &application("ada@example.com"),
            &HashMap::new(),
            None,
            None,
            &RequestMeta::default(),
            now,
        )
        .await;
        assert!(matches!(again, Err(AppError::Conflict(ref m)) if m.contains("already applied")));
        assert_eq!(counts(&mut conn).await, before);
    }

    #[tokio::test]
    async fn unknown_programs_and_staff_emails_are_refused_without_writes() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        two_programs(&mut conn).await;
        users::insert_operator(
            &mut conn,
            "boss@example.com",
            "Boss",
            crate::domain::access::OperatorRole::Admin,
            "h",
        )
        .await
        .unwrap();
        let before = counts(&mut conn).await;
        let now = OffsetDateTime::now_utc();
        let unknown = submit(
            &mut conn,
            "nope",
            &application("x@example.com"),
            &HashMap::new(),
            None,
            None,
            &RequestMeta::default(),
            now,
        )
        .await;
        assert!(matches!(unknown, Err(AppError::NotFound(_))));
        let staff = submit(
            &mut conn,
            "acme-affiliates",
            &application("Boss@example.com"),
            &HashMap::new(),
            None,
            None,
            &RequestMeta::default(),
            now,
        )
        .await;
        assert!(matches!(staff, Err(AppError::Invalid(ref e)) if e.get("email").is_some()));
        assert_eq!(counts(&mut conn).await, before);
    }

    #[tokio::test]
    async fn invite_only_archived_and_kind_rules_refuse_without_writes() {
        use crate::backend::scope::Scope;
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        two_programs(&mut conn).await;
        diesel::update(schema::programs::table.filter(schema::programs::slug.eq("acme-resellers")))
            .set((
                schema::programs::is_open.eq(false),
                schema::programs::invite_code.eq("secret-code"),
                schema::programs::partner_kinds.eq(vec!["reseller".to_owned()]),
            ))
            .execute(&mut conn)
            .await
            .unwrap();
        let now = OffsetDateTime::now_utc();
        let meta = RequestMeta::default();
        let before = counts(&mut conn).await;
        let ada = application("ada@example.com");
        for code in [None, Some("wrong")] {
            let refused = submit(
                &mut conn,
                "acme-resellers",
                &ada,
                &HashMap::new(),
                None,
                code,
                &meta,
                now,
            )
            .await;
            assert!(
                matches!(refused, Err(AppError::NotFound(ref m)) if m.contains("isn't taking")),
                "{code:?}"
            );
        }
        let wrong_kind = submit(
            &mut conn,
            "acme-resellers",
            &ada,
            &HashMap::new(),
            None,
            Some("secret-code"),
            &meta,
            now,
        )
        .await;
        assert!(matches!(wrong_kind, Err(AppError::Invalid(ref e)) if e.get("kind").unwrap().contains("Reseller")));
        let everything = Scope::everything(&mut conn).await.unwrap();
        let affiliates = programs::find_by_slug(&mut conn, "acme-affiliates")
            .await
            .unwrap()
            .unwrap()
            .0;
        programs::archive(&mut conn, &everything, affiliates.id, now, now)
            .await
            .unwrap();
        let archived = submit(
            &mut conn,
            "acme-affiliates",
            &ada,
            &HashMap::new(),
            None,
            None,
            &meta,
            now,
        )
        .await;
        assert!(matches!(archived, Err(AppError::NotFound(_))));
        assert_eq!(counts(&mut conn).await, before, "nothing written");

        let reseller = ApplicationInput {
            kind: "reseller".into(),
            ..application("rita@example.com")
        };
        submit(
            &mut conn,
            "acme-resellers",
            &reseller,
            &HashMap::new(),
            None,
            Some("secret-code"),
            &meta,
            now,
        )
        .await
        .unwrap();
    }
}
