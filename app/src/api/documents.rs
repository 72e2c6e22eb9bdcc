//! The portal's documents page: what each program requires of the partner, where each stands,
//! and the files given. Files are uploaded by a plain multipart form (`POST
//! /portal/documents/{requirement}`, server handler `documents_upload`) and downloaded from
//! `/documents/{id}`. Only the partner's owner sees and gives documents: they hold personal data.

use super::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileDto {
    pub id: i64,
    pub filename: String,
    pub size: String,
    pub uploaded: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequirementStandingDto {
    pub id: i64,
    pub name: String,
    pub help: String,
    pub needed: String,
    pub status: String,
    /// "ok", "waiting" or "todo": the badge's colour.
    pub tone: String,
    /// The rejection reason, the expiry date, or what to do.
    pub detail: String,
    pub latest: Option<FileDto>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgramDocumentsDto {
    pub program: String,
    pub items: Vec<RequirementStandingDto>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyDocumentsDto {
    pub is_owner: bool,
    pub programs: Vec<ProgramDocumentsDto>,
    /// A refused upload's message, shown once beside the form of `error_requirement`.
    pub error: Option<String>,
    pub error_requirement: Option<i64>,
    /// The accepted kinds and sizes, as the form says them.
    pub limits: String,
}

/// The session key of a refused upload's message (the upload is a plain form post).
pub const REFUSAL_KEY: &str = "documents.refusal";

#[server(input = GetUrl)]
pub async fn my_documents() -> Result<MyDocumentsDto, AppError> {
    use crate::backend::ctx;
    use crate::domain::access::PartnerRole;
    let me = ctx::require_partner().await?;
    let limits = crate::domain::mdf::upload::LIMITS_TEXT.replace(", at most 3 files", "");
    if me.role != PartnerRole::Owner {
        return Ok(MyDocumentsDto {
            is_owner: false,
            programs: Vec::new(),
            error: None,
            error_requirement: None,
            limits,
        });
    }
    let mut conn = ctx::db().await?;
    let programs = crate::backend::documents::standing::of_partner(&mut conn, me.partner_id, ctx::now().date()).await?;
    let session = ctx::session().await?;
    let refusal: Option<(i64, String)> = session.remove(REFUSAL_KEY).await.ok().flatten();
    Ok(MyDocumentsDto {
        is_owner: true,
        programs: programs.into_iter().map(ssr::program).collect(),
        error_requirement: refusal.as_ref().map(|(id, _)| *id),
        error: refusal.map(|(_, message)| message),
        limits,
    })
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::backend::documents::standing::{Item, ProgramDocuments};
    use crate::domain::documents::Standing;
    use crate::domain::{format, mdf};

    pub fn program(program: ProgramDocuments) -> ProgramDocumentsDto {
        ProgramDocumentsDto {
            program: program.program,
            items: program.items.into_iter().map(item).collect(),
        }
    }

    fn item(item: Item) -> RequirementStandingDto {
        let detail = match &item.standing {
            Standing::Missing => "Upload it below.".to_owned(),
            Standing::Waiting => "The program team will review it and email you.".to_owned(),
            Standing::Renewing { expires_on } => format!(
                "Your new file waits for review; the approved one counts until then{}.",
                expires_on
                    .map(|on| format!(" (valid until {})", mdf::date_text(on)))
                    .unwrap_or_default()
            ),
            Standing::Approved { expires_on: None } => "Nothing more to do.".to_owned(),
            Standing::Approved { expires_on: Some(on) } => format!("Valid until {}.", mdf::date_text(*on)),
            Standing::Expired { on } => format!("Expired on {}: upload a current one.", mdf::date_text(*on)),
            Standing::Rejected { reason } => format!("Not approved: {reason} Upload a new file."),
        };
        RequirementStandingDto {
            id: item.requirement.id,
            needed: item.requirement.needed().label().to_owned(),
            status: item.standing.label().to_owned(),
            tone: item.standing.tone().to_owned(),
            detail,
            latest: item.latest.map(|d| FileDto {
                id: d.id,
                size: mdf::upload::size_text(i64::from(d.size_bytes)),
                uploaded: format::datetime(d.uploaded_at),
                filename: d.filename,
            }),
            name: item.requirement.name,
            help: item.requirement.help,
        }
    }
}
