//! Public program information: the landing page list and the application form's header, with
//! the brand that runs the program.

use super::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgramDto {
    pub name: String,
    pub brand: String,
    pub brand_logo_url: Option<String>,
    /// The brand's accent colours (`/theme/….css`).
    pub brand_stylesheet_url: Option<String>,
    pub slug: String,
    pub currency: String,
    pub description: String,
    pub terms: String,
    /// (value, label) of the partner kinds the program takes.
    pub partner_kinds: Vec<(String, String)>,
    /// The invitation code the visitor came with, when it is this program's (kept in the form).
    pub code: String,
}

/// The application form of one program: the program, and its own questions in order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApplicationFormDto {
    pub program: ProgramDto,
    pub questions: Vec<super::application_questions::QuestionDto>,
}

#[server(input = GetUrl)]
pub async fn open_programs() -> Result<Vec<ProgramDto>, AppError> {
    use crate::backend::{ctx, repos::brands, repos::programs};
    let mut conn = ctx::db().await?;
    let mut list = Vec::new();
    for (program, _) in programs::list_public(&mut conn).await? {
        let brand = brands::of_program(&mut conn, program.id).await?;
        list.push(to_dto(program, brand, String::new()));
    }
    Ok(list)
}

/// The program behind `/join/{slug}` and its questions, if this visitor may apply: public
/// programs to anyone, invite-only ones with their invitation code (`code`) or a partner's
/// invitation (`invite`).
#[server(input = GetUrl)]
pub async fn application_form(
    slug: String,
    code: Option<String>,
    invite: Option<String>,
) -> Result<ApplicationFormDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::{application_questions, brands, programs, sub_partners};
    use crate::domain::join;
    let mut conn = ctx::db().await?;
    let not_taking = || AppError::NotFound(join::NOT_TAKING_APPLICATIONS.into());
    let (program, _) = programs::find_by_slug(&mut conn, &slug).await?.ok_or_else(not_taking)?;
    let sub_invite = match invite.as_deref().filter(|c| join::is_invite_code(c)) {
        Some(c) => sub_partners::inviter(&mut conn, program.id, c).await?.is_some(),
        None => false,
    };
    if !join::may_apply(
        program.is_open,
        program.is_archived(),
        &program.invite_code,
        code.as_deref(),
        sub_invite,
    ) {
        return Err(not_taking());
    }
    let brand = brands::of_program(&mut conn, program.id).await?;
    let code = code.filter(|c| *c == program.invite_code).unwrap_or_default();
    let questions = application_questions::in_use(&mut conn, program.id)
        .await?
        .into_iter()
        .map(super::application_questions::to_dto)
        .collect();
    Ok(ApplicationFormDto {
        program: to_dto(program, brand, code),
        questions,
    })
}

#[cfg(feature = "ssr")]
fn to_dto(
    p: crate::backend::repos::programs::ProgramRow,
    brand: crate::backend::repos::brands::BrandRow,
    code: String,
) -> ProgramDto {
    use crate::domain::partner_kind::PartnerKind;
    ProgramDto {
        partner_kinds: PartnerKind::ALL
            .iter()
            .filter(|k| p.accepts(k.as_str()))
            .map(|k| (k.as_str().to_owned(), k.label().to_owned()))
            .collect(),
        brand_logo_url: super::brands::build::logo_url(&brand),
        brand_stylesheet_url: crate::domain::admin::accent::stylesheet_path(&brand.primary_color),
        brand: brand.name,
        name: p.name,
        slug: p.slug,
        currency: p.currency,
        description: p.description,
        terms: p.terms,
        code,
    }
}
