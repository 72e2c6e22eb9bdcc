//! Creating programs under a brand, and archiving them.

use crate::api::error::AppError;
use crate::backend::auth::AuthUser;
use crate::backend::ctx::NO_SUCH_PROGRAM;
use crate::backend::flows::RequestMeta;
use crate::backend::repos::programs::{self, CreatedProgram, ProgramRow};
use crate::backend::repos::{brands, plans};
use crate::backend::scope::Scope;
use crate::domain::admin::program_form::{self, ProgramInput};
use crate::domain::validate::FieldErrors;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use time::OffsetDateTime;

pub const SLUG_TAKEN: &str = "Another program already uses this address. Choose another.";

/// Creates a program with a starter plan, so it is usable before any settings page is touched
/// (the other settings have column defaults: 30-day cookies, last click, manual approval).
pub async fn create(
    conn: &mut AsyncPgConnection,
    actor: &AuthUser,
    scope: &Scope,
    brand_id: i64,
    input: &ProgramInput,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<ProgramRow, AppError> {
    let brand = brands::get(conn, scope, brand_id)
        .await?
        .ok_or_else(|| AppError::NotFound(super::brands::NO_SUCH_BRAND.into()))?;
    let new = program_form::validate(input, &brand.name).map_err(AppError::Invalid)?;
    let taken = || AppError::Invalid(FieldErrors::single("slug", SLUG_TAKEN).with_submitted(&input.echo()));
    if programs::slug_taken(conn, &new.slug).await? {
        return Err(taken());
    }
    conn.transaction::<_, AppError, _>(async |conn| {
        let partner_kinds = new.partner_kinds.iter().map(|k| k.as_str().to_owned()).collect();
        let row = programs::create(
            conn,
            &CreatedProgram {
                brand_id,
                name: &new.name,
                slug: &new.slug,
                kind: new.kind.as_str(),
                currency: &new.currency,
                public: new.public,
                partner_kinds,
                description: &new.description,
                terms: &new.terms,
            },
        )
        .await
        .map_err(|e| match AppError::from(e) {
            // Two operators racing for one slug: the unique index decides.
            AppError::Conflict(_) => taken(),
            other => other,
        })?;
        let (plan_name, plan) = program_form::starter_plan(new.kind, &new.currency);
        if let Some(plan) = plans::insert(conn, row.id, plan_name, &plan, Some(actor.id), now).await? {
            plans::set_default(conn, row.id, plan.id).await?;
        }
        let after = serde_json::json!({
            "brand_id": brand_id, "name": row.name, "slug": row.slug, "kind": row.kind,
            "currency": row.currency, "public": row.is_open, "partner_kinds": row.partner_kinds,
        });
        super::record(conn, actor, "program.create", ("program", row.id), after, meta).await?;
        Ok(row)
    })
    .await
}

/// Archives a program: applications and new links stop at once; existing links redirect until
/// `links_end_at`, then answer "program ended". Balances still settle; nothing is deleted.
pub async fn archive(
    conn: &mut AsyncPgConnection,
    actor: &AuthUser,
    scope: &Scope,
    id: i64,
    links_end: &str,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<ProgramRow, AppError> {
    let end = program_form::links_end(links_end, now).map_err(|m| AppError::field("links_end", m))?;
    conn.transaction::<_, AppError, _>(async |conn| {
        let program = programs::get_in_scope(conn, scope, id)
            .await?
            .ok_or_else(|| AppError::NotFound(NO_SUCH_PROGRAM.into()))?;
        if !programs::archive(conn, scope, id, end, now).await? {
            return Err(AppError::Conflict(format!("{} is already archived.", program.name)));
        }
        let after = serde_json::json!({ "archived_at": now.to_string(), "links_end_at": end.to_string() });
        super::record(conn, actor, "program.archive", ("program", id), after, meta).await?;
        programs::get_in_scope(conn, scope, id)
            .await?
            .ok_or_else(|| AppError::NotFound(NO_SUCH_PROGRAM.into()))
    })
    .await
}
