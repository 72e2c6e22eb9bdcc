//! Tracked links: the default link made on approval, links partners make themselves, and
//! operators switching links off and on. Callers clear the link cache after a change commits.

use super::RequestMeta;
use crate::api::error::AppError;
use crate::backend::repos::audit::{self, Actor, NewEvent};
use crate::backend::repos::links::{self, LinkRow, NewLink};
use crate::backend::repos::{memberships, programs, tracking_settings};
use crate::backend::scope::Scope;
use crate::backend::tracking::new_link_code;
use crate::domain::{destination, validate};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use time::OffsetDateTime;

/// What a partner fills in to make a link.
#[derive(Clone, Debug, Default)]
pub struct LinkForm {
    pub program_id: i64,
    pub destination: String,
    pub campaign: String,
    pub subs: [String; 5],
}

/// Makes the partner's default link to the program's default landing page, once. Programs
/// without a default landing page get none (partners then make their own).
pub async fn ensure_default(
    conn: &mut AsyncPgConnection,
    partner_id: i64,
    program_id: i64,
    now: OffsetDateTime,
) -> Result<Option<LinkRow>, AppError> {
    if programs::get(conn, program_id).await?.is_archived() {
        return Ok(None); // An ended program makes no new links.
    }
    let program = tracking_settings::get(conn, program_id).await?;
    let Some(landing) = program.default_landing_url else {
        return Ok(None);
    };
    if links::has_default(conn, partner_id, program_id).await? {
        return Ok(None);
    }
    let new = NewLink {
        program_id,
        partner_id,
        code: String::new(),
        destination: landing,
        campaign: None,
        sub1: None,
        sub2: None,
        sub3: None,
        sub4: None,
        sub5: None,
        is_default: true,
        created_at: now,
    };
    insert_with_fresh_code(conn, new).await.map(Some)
}

/// A new code for each attempt; a clash with an existing code (rare) just tries again.
async fn insert_with_fresh_code(conn: &mut AsyncPgConnection, mut new: NewLink) -> Result<LinkRow, AppError> {
    for _ in 0..5 {
        new.code = new_link_code();
        let attempt = conn
            .transaction::<_, DieselError, _>(async |conn| links::insert(conn, &new).await)
            .await;
        match attempt {
            Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info))
                if info.constraint_name() == Some("links_code_key") =>
            {
                continue
            }
            other => return Ok(other?),
        }
    }
    Err(crate::backend::errors::internal("could not find a free link code"))
}

/// A partner's own link. The partner id comes from the session.
pub async fn create(
    conn: &mut AsyncPgConnection,
    partner_id: i64,
    form: &LinkForm,
    now: OffsetDateTime,
) -> Result<LinkRow, AppError> {
    let membership = memberships::find(conn, partner_id, form.program_id).await?;
    if membership.as_ref().map(|m| m.status.as_str()) != Some("active") {
        return Err(AppError::field(
            "program_id",
            "Choose a program you are an active partner in.",
        ));
    }
    if programs::get(conn, form.program_id).await?.is_archived() {
        return Err(AppError::field(
            "program_id",
            "This program has ended: it takes no new links. Your existing links keep working until the date the program set.",
        ));
    }
    let program = tracking_settings::get(conn, form.program_id).await?;
    let mut errors = validate::FieldErrors::default();
    let destination = errors.check(
        "destination",
        destination::check(&form.destination, &program.allowed_domains),
    );
    let campaign = errors.check("campaign", validate::optional_text(&form.campaign, "Campaign", 80));
    let mut subs: [Option<String>; 5] = Default::default();
    for (i, value) in form.subs.iter().enumerate() {
        let field = format!("sub{}", i + 1);
        subs[i] = errors
            .check(&field, validate::optional_text(value, &field, 100))
            .flatten();
    }
    let (Some(destination), Some(campaign), true) = (destination, campaign, errors.is_empty()) else {
        let submitted: Vec<(&str, &str)> = vec![
            ("destination", form.destination.as_str()),
            ("campaign", form.campaign.as_str()),
            ("sub1", form.subs[0].as_str()),
            ("sub2", form.subs[1].as_str()),
            ("sub3", form.subs[2].as_str()),
            ("sub4", form.subs[3].as_str()),
            ("sub5", form.subs[4].as_str()),
        ];
        return Err(AppError::Invalid(errors.with_submitted(&submitted)));
    };
    let [sub1, sub2, sub3, sub4, sub5] = subs;
    let new = NewLink {
        program_id: form.program_id,
        partner_id,
        code: String::new(),
        destination,
        campaign,
        sub1,
        sub2,
        sub3,
        sub4,
        sub5,
        is_default: false,
        created_at: now,
    };
    insert_with_fresh_code(conn, new).await
}

/// An operator switches a link off (its code then answers 404) or on again.
pub async fn set_enabled(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    scope: &Scope,
    link_id: i64,
    enabled: bool,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<LinkRow, AppError> {
    conn.transaction::<_, AppError, _>(async |conn| {
        let before = links::get_in_scope(conn, scope, link_id)
            .await
            .map_err(|e| crate::backend::errors::not_found_as(e, "That link doesn't exist."))?;
        let after = links::set_disabled(
            conn,
            link_id,
            if enabled {
                None
            } else {
                Some(before.disabled_at.unwrap_or(now))
            },
        )
        .await?;
        audit::record(
            conn,
            NewEvent {
                actor,
                action: if enabled { "link.enable" } else { "link.disable" },
                subject_type: "link",
                subject_id: link_id.to_string(),
                before: Some(serde_json::json!({ "code": before.code, "disabled": before.disabled_at.is_some() })),
                after: Some(serde_json::json!({ "code": after.code, "disabled": after.disabled_at.is_some() })),
                request_id: meta.request_id.as_deref(),
            },
        )
        .await?;
        Ok(after)
    })
    .await
}
