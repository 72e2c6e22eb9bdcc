//! A program's deal registration settings in the console: the rules, the product catalogue and
//! the existing-customer list.

use crate::api::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductDto {
    pub id: i64,
    pub name: String,
    pub archived: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DealSettingsDto {
    pub program_id: i64,
    pub program_name: String,
    pub currency: String,
    /// (value, label, chosen)
    pub partner_kinds: Vec<(String, String, bool)>,
    pub protection_days: i32,
    pub sla_hours: i32,
    pub existing_customer_policy: String,
    pub products: Vec<ProductDto>,
    pub customer_count: i64,
    pub can_edit: bool,
}

/// An operator who may change program `program_id`, which must be in their scope.
#[cfg(feature = "ssr")]
async fn editor(
    program_id: i64,
) -> Result<(crate::backend::ctx::Operator, crate::backend::flows::RequestMeta), AppError> {
    use crate::backend::ctx;
    use crate::domain::access::Permission;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    Ok((operator, ctx::request_meta()))
}

#[server(input = GetUrl)]
pub async fn deal_settings(program_id: i64) -> Result<DealSettingsDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::deal_catalogue;
    use crate::domain::access::Permission;
    use crate::domain::partner_kind::PartnerKind;
    let operator = ctx::require_program_operator(program_id).await?;
    let mut conn = ctx::db().await?;
    let settings = deal_catalogue::settings(&mut conn, program_id)
        .await
        .map_err(|_| AppError::NotFound("There is no such program.".into()))?;
    let products = deal_catalogue::products(&mut conn, program_id)
        .await?
        .into_iter()
        .map(|p| ProductDto {
            id: p.id,
            name: p.name,
            archived: p.archived_at.is_some(),
        })
        .collect();
    Ok(DealSettingsDto {
        program_id,
        program_name: settings.name.clone(),
        currency: settings.currency.clone(),
        partner_kinds: PartnerKind::ALL
            .into_iter()
            .map(|k| {
                (
                    k.as_str().into(),
                    k.label().into(),
                    settings.deal_partner_kinds.iter().any(|c| c == k.as_str()),
                )
            })
            .collect(),
        protection_days: settings.deal_protection_days,
        sla_hours: settings.deal_sla_hours,
        existing_customer_policy: settings.existing_customer_policy.clone(),
        products,
        customer_count: deal_catalogue::customer_count(&mut conn, program_id).await?,
        can_edit: operator.role.can(Permission::ManagePrograms),
    })
}

#[server]
pub async fn save_deal_rules(
    csrf_token: String,
    program_id: i64,
    #[server(default)] partner_kinds: Vec<String>,
    protection_days: String,
    sla_hours: String,
    existing_customer_policy: String,
) -> Result<String, AppError> {
    use crate::backend::ctx;
    use crate::backend::deals::settings::{self, RulesForm};
    ctx::verify_csrf(&csrf_token)?;
    let (operator, meta) = editor(program_id).await?;
    let form = RulesForm {
        partner_kinds,
        protection_days,
        sla_hours,
        existing_customer_policy,
    };
    settings::update_rules(&mut *ctx::db().await?, &operator.user, &meta, program_id, &form).await?;
    let message = "Deal registration rules saved.".to_owned();
    crate::api::flash::after_plain_post(message.clone()).await?;
    Ok(message)
}

#[server]
pub async fn add_product(csrf_token: String, program_id: i64, name: String) -> Result<String, AppError> {
    use crate::backend::ctx;
    ctx::verify_csrf(&csrf_token)?;
    let (operator, meta) = editor(program_id).await?;
    crate::backend::deals::settings::add_product(&mut *ctx::db().await?, &operator.user, &meta, program_id, &name)
        .await?;
    let message = format!("{} added to the catalogue.", name.trim());
    crate::api::flash::after_plain_post(message.clone()).await?;
    Ok(message)
}

/// Archives (`archive` = "yes") or restores a product.
#[server]
pub async fn archive_product(
    csrf_token: String,
    program_id: i64,
    product_id: i64,
    archive: String,
) -> Result<String, AppError> {
    use crate::backend::ctx;
    ctx::verify_csrf(&csrf_token)?;
    let (operator, meta) = editor(program_id).await?;
    let archive = archive == "yes";
    crate::backend::deals::settings::archive_product(
        &mut *ctx::db().await?,
        &operator.user,
        &meta,
        program_id,
        product_id,
        archive,
        ctx::now(),
    )
    .await?;
    let message = if archive {
        "Product archived: partners can't choose it any more."
    } else {
        "Product restored."
    };
    crate::api::flash::after_plain_post(message).await?;
    Ok(message.into())
}

#[server]
pub async fn import_customers(csrf_token: String, program_id: i64, csv: String) -> Result<String, AppError> {
    use crate::backend::ctx;
    ctx::verify_csrf(&csrf_token)?;
    let (operator, meta) = editor(program_id).await?;
    let (added, known) = crate::backend::deals::settings::import_customers(
        &mut *ctx::db().await?,
        &operator.user,
        &meta,
        program_id,
        &csv,
        ctx::now(),
    )
    .await?;
    let message = format!("Imported {added} new customer domains ({known} were already on the list).");
    crate::api::flash::after_plain_post(message.clone()).await?;
    Ok(message)
}
