//! Creating and editing brands, and their logos.

use crate::api::error::AppError;
use crate::backend::auth::AuthUser;
use crate::backend::flows::RequestMeta;
use crate::backend::repos::brands::{self, BrandRow};
use crate::backend::scope::Scope;
use crate::domain::admin::brand_form::{self, Brand};
use crate::domain::admin::slug;
use diesel_async::{AsyncConnection, AsyncPgConnection};

pub const NO_SUCH_BRAND: &str = "That brand doesn't exist.";

/// A slug for a new brand from its name: "globex", then "globex-2" and so on when taken.
async fn free_slug(conn: &mut AsyncPgConnection, name: &str) -> Result<String, AppError> {
    let base = match slug::suggest(name) {
        s if s.len() >= 2 => s.chars().take(50).collect::<String>(),
        _ => "brand".to_owned(),
    };
    let base = base.trim_end_matches('-').to_owned();
    for n in 1..1000 {
        let candidate = if n == 1 { base.clone() } else { format!("{base}-{n}") };
        if !brands::slug_taken(conn, &candidate).await? {
            return Ok(candidate);
        }
    }
    Err(AppError::Conflict(
        "Too many brands share this name. Choose another.".into(),
    ))
}

/// Stores a new brand (and its logo, when one came with it). Only operators who see every
/// brand create brands: a brand-scoped admin couldn't see what they made.
pub async fn create(
    conn: &mut AsyncPgConnection,
    actor: &AuthUser,
    scope: &Scope,
    brand: &Brand,
    logo: Option<&[u8]>,
    meta: &RequestMeta,
) -> Result<BrandRow, AppError> {
    if !scope.all_brands {
        return Err(AppError::Forbidden);
    }
    let logo_kind = logo
        .map(brand_form::logo)
        .transpose()
        .map_err(|m| AppError::field("logo", m))?;
    conn.transaction::<_, AppError, _>(async |conn| {
        let slug = free_slug(conn, &brand.name).await?;
        let mut row = brands::insert(conn, brand, &slug).await?;
        let everything = Scope {
            all_brands: true,
            brands: vec![row.id],
            programs: vec![],
            focus: None,
        };
        if let (Some(bytes), Some(kind)) = (logo, logo_kind) {
            row = brands::set_logo(conn, &everything, row.id, bytes, kind.content_type())
                .await?
                .ok_or_else(|| AppError::NotFound(NO_SUCH_BRAND.into()))?;
        }
        let after = serde_json::json!({ "name": row.name, "legal_name": row.legal_name, "logo": row.has_logo() });
        super::record(conn, actor, "brand.create", ("brand", row.id), after, meta).await?;
        Ok(row)
    })
    .await
}

pub async fn update(
    conn: &mut AsyncPgConnection,
    actor: &AuthUser,
    scope: &Scope,
    id: i64,
    brand: &Brand,
    meta: &RequestMeta,
) -> Result<BrandRow, AppError> {
    conn.transaction::<_, AppError, _>(async |conn| {
        let row = brands::update(conn, scope, id, brand)
            .await?
            .ok_or_else(|| AppError::NotFound(NO_SUCH_BRAND.into()))?;
        let after = serde_json::json!({
            "name": row.name, "legal_name": row.legal_name, "address": row.address, "country": row.country,
            "default_currency": row.default_currency, "tax_id": row.tax_id, "support_email": row.support_email,
            "sender_name": row.sender_name, "primary_color": row.primary_color,
        });
        super::record(conn, actor, "brand.update", ("brand", row.id), after, meta).await?;
        Ok(row)
    })
    .await
}

pub async fn set_logo(
    conn: &mut AsyncPgConnection,
    actor: &AuthUser,
    scope: &Scope,
    id: i64,
    bytes: &[u8],
    meta: &RequestMeta,
) -> Result<BrandRow, AppError> {
    let kind = brand_form::logo(bytes).map_err(|m| AppError::field("logo", m))?;
    conn.transaction::<_, AppError, _>(async |conn| {
        let row = brands::set_logo(conn, scope, id, bytes, kind.content_type())
            .await?
            .ok_or_else(|| AppError::NotFound(NO_SUCH_BRAND.into()))?;
        let after = serde_json::json!({
            "logo": kind.content_type(), "bytes": bytes.len(), "version": row.logo_version, "ip": meta.ip,
        });
        super::record(conn, actor, "brand.logo", ("brand", row.id), after, meta).await?;
        Ok(row)
    })
    .await
}
