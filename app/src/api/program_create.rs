//! Creating a program under a brand (the first step of the console's program wizard), checking
//! a slug as it is typed, and archiving a program. Creating and archiving need ManageBrands.
// Form server functions take one argument per field.
#![allow(clippy::too_many_arguments)]

use super::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewProgramFormDto {
    /// (id, name, default currency) of every brand the operator may add programs to.
    pub brands: Vec<(i64, String, String)>,
    pub chosen_brand: Option<i64>,
    /// (value, label) pairs.
    pub kinds: Vec<(String, String)>,
    pub partner_kinds: Vec<(String, String)>,
}

#[server(input = GetUrl)]
pub async fn new_program_form(brand: Option<i64>) -> Result<NewProgramFormDto, AppError> {
    use crate::backend::{ctx, repos::brands};
    use crate::domain::access::Permission;
    use crate::domain::admin::program_form::ProgramKind;
    use crate::domain::partner_kind::PartnerKind;
    let operator = ctx::require_permission(Permission::ManageBrands).await?;
    let brands: Vec<_> = brands::list(&mut *ctx::db().await?, &operator.scope)
        .await?
        .into_iter()
        .map(|(b, _)| (b.id, b.name, b.default_currency))
        .collect();
    Ok(NewProgramFormDto {
        chosen_brand: brand.filter(|b| brands.iter().any(|(id, ..)| id == b)),
        brands,
        kinds: ProgramKind::ALL
            .iter()
            .map(|k| (k.as_str().to_owned(), k.label().to_owned()))
            .collect(),
        partner_kinds: PartnerKind::ALL
            .iter()
            .map(|k| (k.as_str().to_owned(), k.label().to_owned()))
            .collect(),
    })
}

/// Whether `slug` can be a new program's address: `None` when it can, else why not.
#[server(input = GetUrl)]
pub async fn check_slug(slug: String) -> Result<Option<String>, AppError> {
    use crate::backend::{admin, ctx, repos::programs};
    ctx::require_permission(crate::domain::access::Permission::ManageBrands).await?;
    match crate::domain::admin::slug::validate(&slug) {
        Err(message) => Ok(Some(message)),
        Ok(slug) if programs::slug_taken(&mut *ctx::db().await?, &slug).await? => {
            Ok(Some(admin::programs::SLUG_TAKEN.into()))
        }
        Ok(_) => Ok(None),
    }
}

/// Creates the program and opens the wizard's next step, its tracking settings.
#[server]
pub async fn create_program(
    csrf_token: String,
    brand_id: i64,
    name: String,
    slug: String,
    kind: String,
    currency: String,
    access: String,
    #[server(default)] partner_kinds: Vec<String>,
    #[server(default)] description: String,
    #[server(default)] terms: String,
) -> Result<i64, AppError> {
    use crate::backend::{admin, ctx};
    use crate::domain::admin::program_form::ProgramInput;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_permission(crate::domain::access::Permission::ManageBrands).await?;
    let input = ProgramInput {
        name,
        slug,
        kind,
        currency,
        access,
        partner_kinds,
        description,
        terms,
    };
    let (meta, now) = (ctx::request_meta(), ctx::now());
    let mut conn = ctx::db().await?;
    let program =
        admin::programs::create(&mut conn, &operator.user, &operator.scope, brand_id, &input, &meta, now).await?;
    let message = format!(
        "{} is ready. Walk through its settings, or skip: each has a sensible default.",
        program.name
    );
    super::flash::after_plain_post(message).await?;
    leptos_axum::redirect(&crate::domain::admin::wizard::first_step(program.id));
    Ok(program.id)
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgramLifecycleDto {
    pub id: i64,
    pub name: String,
    pub brand_id: i64,
    pub public: bool,
    /// The link invite-only programs hand to the people they invite.
    pub invitation_link: Option<String>,
    pub archived_on: Option<String>,
    pub links_end_on: Option<String>,
    pub can_archive: bool,
}

/// Who may apply, the invitation link, and whether (and until when) the program runs.
#[server(input = GetUrl)]
pub async fn program_lifecycle(id: i64) -> Result<ProgramLifecycleDto, AppError> {
    use crate::backend::{ctx, repos::programs};
    use crate::domain::{access::Permission, format};
    let operator = ctx::require_program_operator(id).await?;
    let p = programs::get_in_scope(&mut *ctx::db().await?, &operator.scope, id)
        .await?
        .ok_or_else(|| AppError::NotFound(ctx::NO_SUCH_PROGRAM.into()))?;
    let base = ctx::state()?.settings.base_url.clone();
    Ok(ProgramLifecycleDto {
        invitation_link: (!p.is_open && !p.is_archived())
            .then(|| format!("{base}/join/{}?code={}", p.slug, p.invite_code)),
        archived_on: p.archived_at.map(format::date),
        links_end_on: p.links_end_at.map(format::date),
        can_archive: operator.role.can(Permission::ManageBrands) && !p.is_archived(),
        id: p.id,
        name: p.name,
        brand_id: p.brand_id,
        public: p.is_open,
    })
}

#[server]
pub async fn archive_program(csrf_token: String, id: i64, links_end: String) -> Result<(), AppError> {
    use crate::backend::{admin, ctx};
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(id, crate::domain::access::Permission::ManageBrands).await?;
    let (meta, now) = (ctx::request_meta(), ctx::now());
    let program = admin::programs::archive(
        &mut *ctx::db().await?,
        &operator.user,
        &operator.scope,
        id,
        &links_end,
        &meta,
        now,
    )
    .await?;
    ctx::forget(crate::backend::tracking::cache_events::Stale::AllLinks).await?;
    let until = program
        .links_end_at
        .map(crate::domain::format::date)
        .unwrap_or_default();
    super::flash::after_plain_post(format!(
        "{} is archived: no new applications or links. Its links redirect until {until}.",
        program.name
    ))
    .await
}
