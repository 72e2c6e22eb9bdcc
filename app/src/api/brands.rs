//! Brands in the console: the list, one brand's page, creating and editing. Reading is open to
//! every operator within their brands; changes need ManageBrands. Logos arrive as a file upload
//! (`server/src/handlers/brand_logo.rs`).
// Form server functions take one argument per field.
#![allow(clippy::too_many_arguments)]

use super::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BrandDto {
    pub id: i64,
    pub name: String,
    pub legal_name: String,
    pub address: String,
    pub country: String,
    pub default_currency: String,
    pub tax_id: String,
    pub support_email: String,
    pub sender_name: String,
    pub primary_color: String,
    /// `/brands/{id}/logo?v=N`, when the brand has a logo.
    pub logo_url: Option<String>,
    pub program_count: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BrandsDto {
    pub brands: Vec<BrandDto>,
    pub can_manage: bool,
    /// Only operators who see every brand create brands.
    pub can_create: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BrandPageDto {
    pub brand: BrandDto,
    pub can_manage: bool,
    pub programs: Vec<(i64, String, String)>,
    /// The form's refusal from a logo upload without JavaScript (read once).
    pub logo_error: Option<AppError>,
}

#[server(input = GetUrl)]
pub async fn brand_list() -> Result<BrandsDto, AppError> {
    use crate::backend::{ctx, repos::brands};
    use crate::domain::access::Permission;
    let operator = ctx::require_operator_across_brands().await?;
    let rows = brands::list(&mut *ctx::db().await?, &operator.scope).await?;
    Ok(BrandsDto {
        brands: rows.into_iter().map(|(row, n)| build::brand(row, n)).collect(),
        can_manage: operator.role.can(Permission::ManageBrands),
        can_create: operator.role.can(Permission::ManageBrands) && operator.scope.all_brands,
    })
}

#[server(input = GetUrl)]
pub async fn brand_page(id: i64) -> Result<BrandPageDto, AppError> {
    use crate::backend::{ctx, repos::brands, repos::programs};
    use crate::domain::access::Permission;
    let operator = ctx::require_operator_across_brands().await?;
    let mut conn = ctx::db().await?;
    let row = brands::get(&mut conn, &operator.scope, id)
        .await?
        .ok_or_else(|| AppError::NotFound(crate::backend::admin::brands::NO_SUCH_BRAND.into()))?;
    let programs = programs::list(&mut conn, &operator.scope)
        .await?
        .into_iter()
        .filter(|(p, _)| p.brand_id == id)
        .map(|(p, _)| (p.id, p.name, p.slug))
        .collect::<Vec<_>>();
    let logo_error = ctx::session()
        .await?
        .remove::<AppError>(&build::logo_refusal_key(id))
        .await
        .map_err(crate::backend::errors::internal)?;
    Ok(BrandPageDto {
        brand: build::brand(row, programs.len() as i64),
        can_manage: operator.role.can(Permission::ManageBrands),
        programs,
        logo_error,
    })
}

#[server]
pub async fn create_brand(
    csrf_token: String,
    name: String,
    legal_name: String,
    #[server(default)] address: String,
    country: String,
    default_currency: String,
    #[server(default)] tax_id: String,
    #[server(default)] support_email: String,
    #[server(default)] sender_name: String,
    #[server(default)] primary_color: String,
) -> Result<i64, AppError> {
    use crate::backend::{admin, ctx};
    use crate::domain::access::Permission;
    use crate::domain::admin::brand_form::{self, BrandInput};
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_permission_across_brands(Permission::ManageBrands).await?;
    let input = BrandInput {
        name,
        legal_name,
        address,
        country,
        default_currency,
        tax_id,
        support_email,
        sender_name,
        primary_color,
    };
    let brand = brand_form::validate(&input).map_err(AppError::Invalid)?;
    let mut conn = ctx::db().await?;
    let meta = ctx::request_meta();
    let row = admin::brands::create(&mut conn, &operator.user, &operator.scope, &brand, None, &meta).await?;
    super::flash::after_plain_post(format!("Brand {} created. Add its logo below.", row.name)).await?;
    leptos_axum::redirect(&format!("/console/brands/{}", row.id));
    Ok(row.id)
}

#[server]
pub async fn save_brand(
    csrf_token: String,
    id: i64,
    name: String,
    legal_name: String,
    #[server(default)] address: String,
    country: String,
    default_currency: String,
    #[server(default)] tax_id: String,
    #[server(default)] support_email: String,
    #[server(default)] sender_name: String,
    #[server(default)] primary_color: String,
) -> Result<(), AppError> {
    use crate::backend::{admin, ctx};
    use crate::domain::access::Permission;
    use crate::domain::admin::brand_form::{self, BrandInput};
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_permission_across_brands(Permission::ManageBrands).await?;
    let input = BrandInput {
        name,
        legal_name,
        address,
        country,
        default_currency,
        tax_id,
        support_email,
        sender_name,
        primary_color,
    };
    let brand = brand_form::validate(&input).map_err(AppError::Invalid)?;
    let meta = ctx::request_meta();
    admin::brands::update(
        &mut *ctx::db().await?,
        &operator.user,
        &operator.scope,
        id,
        &brand,
        &meta,
    )
    .await?;
    super::flash::after_plain_post("Brand saved.").await
}

/// Building DTOs (server only).
#[cfg(feature = "ssr")]
pub mod build {
    use super::BrandDto;
    use crate::backend::repos::brands::BrandRow;

    pub fn logo_refusal_key(id: i64) -> String {
        format!("brand-logo-refusal:{id}")
    }

    pub fn logo_url(row: &BrandRow) -> Option<String> {
        row.has_logo()
            .then(|| format!("/brands/{}/logo?v={}", row.id, row.logo_version))
    }

    pub fn brand(row: BrandRow, program_count: i64) -> BrandDto {
        BrandDto {
            logo_url: logo_url(&row),
            id: row.id,
            name: row.name,
            legal_name: row.legal_name,
            address: row.address,
            country: row.country,
            default_currency: row.default_currency,
            tax_id: row.tax_id,
            support_email: row.support_email,
            sender_name: row.sender_name,
            primary_color: row.primary_color,
            program_count,
        }
    }
}
