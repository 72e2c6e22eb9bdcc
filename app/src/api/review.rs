//! The console's application review: a filterable, sortable, paged list and decisions.

use super::error::AppError;
use super::Paged;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApplicationDto {
    pub id: i64,
    pub partner_name: String,
    pub partner_email: String,
    pub partner_kind: String,
    pub country: String,
    pub website: Option<String>,
    pub program_name: String,
    pub status: String,
    pub status_label: String,
    pub promotion_plan: String,
    pub reason: Option<String>,
    pub applied_at: String,
    pub decided_at: Option<String>,
}

/// One application as the reviewer reads it: the standard fields, the answers to the
/// program's own questions, and where the applicant stands with the program's documents.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApplicationReviewDto {
    pub application: ApplicationDto,
    /// The partner's profile: what it is about and how it promotes (empty until it says).
    pub about: Option<String>,
    pub channels: String,
    pub answers: Vec<super::application_questions::AnswerDto>,
    pub documents: Vec<ApplicantDocumentDto>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApplicantDocumentDto {
    pub name: String,
    pub needed: String,
    pub status: String,
    /// The badge's class: ok, waiting or todo.
    pub tone: String,
    /// The latest file's id and name, for reviewers who may open documents (admin, finance).
    pub file: Option<(i64, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApplicationList {
    pub page: Paged<ApplicationDto>,
    pub programs: Vec<(i64, String)>,
}

pub const PER_PAGE: i64 = 20;

#[server(input = GetUrl)]
pub async fn list_applications(
    status: Option<String>,
    program: Option<i64>,
    q: Option<String>,
    sort: Option<String>,
    page: Option<i64>,
) -> Result<ApplicationList, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::{memberships as repo, programs};
    let operator = ctx::require_operator().await?;
    let sort = match sort.as_deref() {
        Some("oldest") => repo::ReviewSort::Oldest,
        Some("partner") => repo::ReviewSort::Partner,
        _ => repo::ReviewSort::Newest,
    };
    let status = status.filter(|s| crate::domain::membership::MembershipStatus::parse(s).is_some());
    let search = q
        .map(|q| q.trim().chars().take(100).collect::<String>())
        .filter(|q| !q.is_empty());
    let page = page.unwrap_or(1).max(1);
    let filter = repo::ReviewFilter {
        status,
        program_id: program,
        search,
        sort,
        page,
        per_page: PER_PAGE,
    };
    let mut conn = ctx::db().await?;
    let rows = repo::list_for_review(&mut conn, &operator.scope, &filter).await?;
    let programs = programs::list(&mut conn, &operator.scope)
        .await?
        .into_iter()
        .map(|(p, _)| (p.id, p.name))
        .collect();
    Ok(ApplicationList {
        page: Paged::from_page(rows, page, PER_PAGE, to_dto),
        programs,
    })
}

#[server(input = GetUrl)]
pub async fn get_application(id: i64) -> Result<ApplicationReviewDto, AppError> {
    use crate::backend::documents::standing;
    use crate::backend::repos::{application_questions, memberships};
    use crate::backend::{ctx, errors::not_found_as};
    use crate::domain::access::Permission;
    let operator = ctx::require_operator().await?;
    let mut conn = ctx::db().await?;
    let row = memberships::get_for_review(&mut conn, &operator.scope, id)
        .await
        .map_err(|e| not_found_as(e, "That application doesn't exist."))?;
    let (partner_id, program_id) = (row.membership.partner_id, row.membership.program_id);
    let answers = application_questions::answers_of(&mut conn, id)
        .await?
        .into_iter()
        .map(|(question, answer)| super::application_questions::AnswerDto { question, answer })
        .collect();
    let opens_files = operator.role.can(Permission::ReviewDocuments);
    let documents = standing::of_program(&mut conn, partner_id, program_id, ctx::now().date())
        .await?
        .into_iter()
        .map(|item| ApplicantDocumentDto {
            needed: item.requirement.needed().label().to_owned(),
            status: item.standing.label().to_owned(),
            tone: item.standing.tone().to_owned(),
            file: item.latest.filter(|_| opens_files).map(|d| (d.id, d.filename)),
            name: item.requirement.name,
        })
        .collect();
    let (_, profile) = crate::backend::repos::onboarding::profile(&mut conn, partner_id).await?;
    Ok(ApplicationReviewDto {
        application: to_dto(row),
        channels: profile.channels_text(),
        about: profile.about,
        answers,
        documents,
    })
}

#[server]
pub async fn decide_application(
    csrf_token: String,
    id: i64,
    decision: String,
    reason: String,
) -> Result<ApplicationDto, AppError> {
    use crate::backend::{ctx, flows};
    use crate::domain::access::Permission;
    use crate::domain::membership::Decision;
    ctx::verify_csrf(&csrf_token)?;
    let reviewer = ctx::require_permission(Permission::ReviewApplications).await?;
    let decision =
        Decision::parse(&decision).ok_or_else(|| AppError::field("decision", "Choose approve or reject."))?;
    let meta = ctx::request_meta();
    let settings = ctx::state()?.settings;
    let mut conn = ctx::db().await?;
    let review = flows::review::decide(
        &mut conn,
        &settings,
        &reviewer.user,
        &reviewer.scope,
        id,
        decision,
        &reason,
        &meta,
        ctx::now(),
    )
    .await?;
    // A decision can switch all of this partner's links on or off.
    ctx::forget(crate::backend::tracking::cache_events::Stale::AllLinks).await?;
    let dto = to_dto(review);
    super::flash::after_plain_post(format!(
        "Saved: the application is now “{}”. The partner has been emailed.",
        dto.status_label
    ))
    .await?;
    Ok(dto)
}

#[cfg(feature = "ssr")]
fn to_dto(row: crate::backend::repos::memberships::ReviewRow) -> ApplicationDto {
    use crate::domain::{format, membership::MembershipStatus, partner_kind::PartnerKind};
    let m = row.membership;
    ApplicationDto {
        id: m.id,
        partner_name: row.partner_name,
        partner_email: row.partner_email,
        partner_kind: PartnerKind::parse(&row.partner_kind)
            .map(|k| k.label().to_owned())
            .unwrap_or(row.partner_kind),
        country: row.partner_country,
        website: row.partner_website,
        program_name: row.program_name,
        status_label: MembershipStatus::parse(&m.status)
            .map(|s| s.label().to_owned())
            .unwrap_or_default(),
        status: m.status,
        promotion_plan: m.promotion_plan,
        reason: m.status_reason,
        applied_at: format::datetime(m.applied_at),
        decided_at: m.decided_at.map(format::datetime),
    }
}
