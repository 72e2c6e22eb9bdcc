//! Partner agreements: a program's versions, who accepted which, and the form that publishes a
//! new version (console); the versions in force a partner person reads and accepts (portal).

use super::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// One version of a program's agreement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgreementDto {
    pub id: i64,
    pub program_name: String,
    pub version: i32,
    pub title: String,
    /// The Markdown rendered on the server and sanitized.
    pub html: String,
    /// What changed from the version before, in the operator's words.
    pub changes: String,
    pub published_at: String,
    /// The first 12 hex digits of the text's SHA-256, as recorded with each acceptance.
    pub fingerprint: String,
    /// Portal: when this person accepted this version.
    pub accepted_at: Option<String>,
    /// Portal: the newest earlier version this person accepted.
    pub last_accepted_version: Option<i32>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VersionSummaryDto {
    pub version: i32,
    pub title: String,
    pub published_at: String,
    pub changes: String,
    pub acceptances: i64,
}

/// A partner person and the newest version they accepted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonAcceptanceDto {
    pub person: String,
    pub email: String,
    pub partner_name: String,
    pub version: Option<i32>,
    pub accepted_at: Option<String>,
    pub ip: Option<String>,
    /// They accepted the version in force.
    pub up_to_date: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgramAgreementDto {
    pub program_id: i64,
    pub program_name: String,
    pub can_manage: bool,
    pub in_force: Option<AgreementDto>,
    /// The text in force as written, to start the next version from.
    pub in_force_markdown: String,
    pub versions: Vec<VersionSummaryDto>,
    /// One page of the program's partner people, those behind the version in force first.
    pub people: super::Paged<PersonAcceptanceDto>,
    /// How many of them (on every page) haven't accepted the version in force.
    pub waiting: i64,
}

/// People per page in the console's list of acceptances.
pub const PEOPLE_PER_PAGE: i64 = 50;

#[server(input = GetUrl)]
pub async fn program_agreement(id: i64, page: Option<i64>) -> Result<ProgramAgreementDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::{agreements, page_window};
    use crate::domain::access::Permission;
    use crate::domain::format::{date, datetime};
    let operator = ctx::require_program_operator(id).await?;
    let mut conn = ctx::db().await?;
    let program = ctx::program_in_scope(&mut conn, &operator, id).await?;
    let history = agreements::history(&mut conn, id).await?;
    let in_force = history.first().map(|(row, _)| row.clone());
    let in_force_version = in_force.as_ref().map(|row| row.version);
    let page = page.unwrap_or(1).max(1);
    let rows =
        agreements::people_of_program(&mut conn, id, in_force_version, page_window(page, PEOPLE_PER_PAGE)).await?;
    let (total, waiting) = rows.first().map_or((0, 0), |p| (p.total, p.waiting));
    let people = super::Paged {
        rows: rows
            .into_iter()
            .map(|p| PersonAcceptanceDto {
                up_to_date: p.version.is_some() && p.version == in_force_version,
                person: p.person,
                email: p.email,
                partner_name: p.partner_name,
                version: p.version,
                accepted_at: p.accepted_at.map(datetime),
                ip: p.ip,
            })
            .collect(),
        total,
        page,
        per_page: PEOPLE_PER_PAGE,
    };
    Ok(ProgramAgreementDto {
        program_id: program.id,
        can_manage: operator.role.can(Permission::ManagePrograms),
        in_force_markdown: in_force
            .as_ref()
            .map(|row| row.body_markdown.clone())
            .unwrap_or_default(),
        in_force: in_force.as_ref().map(|row| build::dto(row, &program.name, None, None)),
        versions: history
            .into_iter()
            .map(|(row, acceptances)| VersionSummaryDto {
                version: row.version,
                title: row.title,
                published_at: date(row.published_at),
                changes: row.changes,
                acceptances,
            })
            .collect(),
        people,
        waiting,
        program_name: program.name,
    })
}

/// What publishing `version` says (the page with JavaScript, the next page without).
pub fn published_message(version: i32) -> String {
    format!("Version {version} published: partners accept it at their next visit.")
}

/// Publishes the next version of a program's agreement; every partner person of the program
/// accepts it at their next visit. Returns the new version's number.
#[server]
pub async fn publish_agreement(
    csrf_token: String,
    program_id: i64,
    title: String,
    body: String,
    #[server(default)] changes: String,
) -> Result<i32, AppError> {
    use crate::backend::{agreements, ctx};
    use crate::domain::access::Permission;
    use crate::domain::agreements::AgreementInput;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let input = AgreementInput { title, body, changes };
    let mut conn = ctx::db().await?;
    let row = agreements::publish(
        &mut conn,
        &operator.user.actor(),
        program_id,
        &input,
        &ctx::request_meta(),
        ctx::now(),
    )
    .await?;
    super::flash::after_plain_post(published_message(row.version)).await?;
    Ok(row.version)
}

/// The version in force of each of the partner's programs, those waiting for this person first.
#[server(input = GetUrl)]
pub async fn my_agreements() -> Result<Vec<AgreementDto>, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::agreements;
    let me = ctx::require_partner_person().await?;
    let rows = agreements::in_force_for_person(&mut *ctx::db().await?, me.partner_id, me.user.id).await?;
    Ok(rows
        .iter()
        .map(|r| build::dto(&r.agreement, &r.program_name, r.accepted_at, r.last_accepted_version))
        .collect())
}

/// Accepts agreement version `agreement_id` for this person. Only the version in force of one
/// of the partner's programs can be accepted; accepting it twice changes nothing.
#[server]
pub async fn accept_agreement(csrf_token: String, agreement_id: i64) -> Result<(), AppError> {
    use crate::backend::{agreements, ctx};
    ctx::verify_csrf(&csrf_token)?;
    let me = ctx::require_partner_person().await?;
    let mut conn = ctx::db().await?;
    agreements::accept(
        &mut conn,
        &me.user.actor(),
        (me.partner_id, me.user.id),
        agreement_id,
        &ctx::request_meta(),
        ctx::now(),
    )
    .await?;
    super::flash::after_plain_post("Thank you: the agreement is accepted.").await
}

#[cfg(feature = "ssr")]
mod build {
    use super::AgreementDto;
    use crate::backend::repos::agreements::AgreementRow;
    use crate::domain::format::{date, datetime};
    use time::OffsetDateTime;

    pub fn dto(
        row: &AgreementRow,
        program_name: &str,
        accepted_at: Option<OffsetDateTime>,
        last_accepted_version: Option<i32>,
    ) -> AgreementDto {
        AgreementDto {
            id: row.id,
            program_name: program_name.to_owned(),
            version: row.version,
            title: row.title.clone(),
            html: crate::backend::markdown::render(&row.body_markdown),
            changes: row.changes.clone(),
            published_at: date(row.published_at),
            fingerprint: row.text_sha256.chars().take(12).collect(),
            accepted_at: accepted_at.map(datetime),
            last_accepted_version,
        }
    }
}
