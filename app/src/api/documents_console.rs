//! The console's side of partner documents: a program's requirements (its Documents tab), and
//! the review queue where admins and finance open, approve and reject uploaded files.

use super::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequirementDto {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub help: String,
    pub needed: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgramRequirementsDto {
    pub program_name: String,
    pub can_manage: bool,
    pub requirements: Vec<RequirementDto>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WaitingDocumentDto {
    pub id: i64,
    pub partner: String,
    pub program: String,
    pub requirement: String,
    pub needed: String,
    pub filename: String,
    pub size: String,
    pub uploaded: String,
}

#[server(input = GetUrl)]
pub async fn program_requirements(program_id: i64) -> Result<ProgramRequirementsDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::{partner_documents, programs};
    use crate::domain::access::Permission;
    use crate::domain::documents::Kind;
    let operator = ctx::require_program_operator(program_id).await?;
    let mut conn = ctx::db().await?;
    let program = programs::get(&mut conn, program_id).await?;
    let rows = partner_documents::requirements(&mut conn, &[program_id]).await?;
    Ok(ProgramRequirementsDto {
        program_name: program.name,
        can_manage: operator.role.can(Permission::ManagePrograms),
        requirements: rows
            .into_iter()
            .map(|r| RequirementDto {
                id: r.id,
                kind: Kind::parse(&r.kind).map_or("", Kind::label).to_owned(),
                needed: r.needed().label().to_owned(),
                name: r.name,
                help: r.help,
            })
            .collect(),
    })
}

#[server]
pub async fn add_requirement(
    csrf_token: String,
    program_id: i64,
    kind: String,
    #[server(default)] name: String,
    #[server(default)] help: String,
    needed_before: String,
) -> Result<String, AppError> {
    use crate::backend::{ctx, documents::requirements};
    use crate::domain::access::Permission;
    use crate::domain::documents::RequirementForm;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let form = RequirementForm {
        kind,
        name,
        help,
        needed_before,
    };
    let row = requirements::add(
        &mut *ctx::db().await?,
        &operator.user.actor(),
        program_id,
        &form,
        &ctx::request_meta(),
        ctx::now(),
    )
    .await?;
    let message = format!("Partners of this program are now asked for “{}”.", row.name);
    super::flash::after_plain_post(message.clone()).await?;
    Ok(message)
}

#[server]
pub async fn retire_requirement(csrf_token: String, program_id: i64, requirement_id: i64) -> Result<String, AppError> {
    use crate::backend::{ctx, documents::requirements};
    use crate::domain::access::Permission;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let row = requirements::retire(
        &mut *ctx::db().await?,
        &operator.user.actor(),
        (program_id, requirement_id),
        &ctx::request_meta(),
        ctx::now(),
    )
    .await?;
    let message = format!(
        "Partners are no longer asked for “{}”. Files already given stay with them.",
        row.name
    );
    super::flash::after_plain_post(message.clone()).await?;
    Ok(message)
}

/// Files waiting for review in the operator's brands, oldest first.
#[server(input = GetUrl)]
pub async fn documents_waiting() -> Result<Vec<WaitingDocumentDto>, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::partner_documents;
    use crate::domain::access::Permission;
    use crate::domain::documents::NeededBefore;
    use crate::domain::{format, mdf::upload};
    let operator = ctx::require_permission(Permission::ReviewDocuments).await?;
    let mut conn = ctx::db().await?;
    let rows = partner_documents::waiting(&mut conn, &operator.scope.programs).await?;
    Ok(rows
        .into_iter()
        .map(|w| WaitingDocumentDto {
            id: w.document.id,
            partner: w.partner,
            program: w.program,
            requirement: w.requirement,
            needed: NeededBefore::parse(&w.needed_before)
                .map_or("", NeededBefore::label)
                .to_owned(),
            size: upload::size_text(i64::from(w.document.size_bytes)),
            uploaded: format::datetime(w.document.uploaded_at),
            filename: w.document.filename,
        })
        .collect())
}

/// Approves (`decision` "approve", with an optional expiry date) or rejects (with a reason) a
/// waiting file. The field names carry the file's id, so each row's errors show beside it.
#[server]
pub async fn decide_document(
    csrf_token: String,
    document_id: i64,
    decision: String,
    #[server(default)] expires_on: String,
    #[server(default)] reason: String,
) -> Result<String, AppError> {
    use crate::backend::{ctx, documents::review};
    use crate::domain::access::Permission;
    use crate::domain::documents::{self, Decision};
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_permission(Permission::ReviewDocuments).await?;
    let now = ctx::now();
    let approve = match decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return Err(AppError::field("decision", "Choose Approve or Reject.")),
    };
    let scoped = |e: crate::domain::validate::FieldErrors| {
        let typed = [("expires_on", expires_on.as_str()), ("reason", reason.as_str())];
        AppError::Invalid(e.with_submitted(&typed).scoped(&decision_prefix(document_id)))
    };
    let decided = documents::decision(approve, &expires_on, &reason, now.date()).map_err(scoped)?;
    let state = ctx::state()?;
    let meta = ctx::request_meta();
    review::decide(
        &mut *ctx::db().await?,
        &operator.user,
        &operator.scope,
        document_id,
        &decided,
        (&state.settings.base_url, &meta),
        now,
    )
    .await?;
    let message = match decided {
        Decision::Approve { .. } => "Document approved; the partner has been emailed.",
        Decision::Reject { .. } => "Document rejected; the partner has been emailed the reason.",
    };
    super::flash::after_plain_post(message.to_owned()).await?;
    Ok(message.to_owned())
}

/// The prefix of the fields of file `id`'s decision form among the queue's forms.
pub fn decision_prefix(id: i64) -> String {
    format!("d{id}-")
}
