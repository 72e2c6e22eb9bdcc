//! An operator sets a program's deal rules, keeps its product catalogue and imports its existing
//! customers. Every change is audited.

use crate::api::error::AppError;
use crate::backend::auth::AuthUser;
use crate::backend::flows::RequestMeta;
use crate::backend::repos::audit::{self, NewEvent};
use crate::backend::repos::deal_catalogue::{self, DealRules};
use crate::domain::deals::customers;
use crate::domain::partner_kind::PartnerKind;
use crate::domain::validate::{self, FieldErrors};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use time::OffsetDateTime;

/// The settings form as typed.
#[derive(Clone, Debug, Default)]
pub struct RulesForm {
    pub partner_kinds: Vec<String>,
    pub protection_days: String,
    pub sla_hours: String,
    pub existing_customer_policy: String,
}

fn whole_number(text: &str, field: &str, min: i32, max: i32, errors: &mut FieldErrors) -> Option<i32> {
    let parsed = text.trim().parse::<i32>().ok().filter(|n| (min..=max).contains(n));
    if parsed.is_none() {
        errors.add(field, format!("Enter a whole number from {min} to {max}."));
    }
    parsed
}

pub fn check_rules(form: &RulesForm) -> Result<DealRules, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut kinds = Vec::new();
    for kind in &form.partner_kinds {
        match PartnerKind::parse(kind) {
            Ok(k) if !kinds.contains(&k.as_str().to_owned()) => kinds.push(k.as_str().to_owned()),
            Ok(_) => {}
            Err(_) => errors.add("partner_kinds", "Choose partner kinds from the list."),
        }
    }
    let days = whole_number(&form.protection_days, "protection_days", 1, 730, &mut errors);
    let hours = whole_number(&form.sla_hours, "sla_hours", 1, 8760, &mut errors);
    let policy = form.existing_customer_policy.trim();
    if !matches!(policy, "refuse" | "flag") {
        errors.add(
            "existing_customer_policy",
            "Choose whether to refuse or flag existing customers.",
        );
    }
    match (days, hours) {
        (Some(protection_days), Some(sla_hours)) if errors.is_empty() => Ok(DealRules {
            partner_kinds: kinds,
            protection_days,
            sla_hours,
            existing_customer_policy: policy.to_owned(),
        }),
        _ => Err(errors),
    }
}

async fn audit_change(
    conn: &mut AsyncPgConnection,
    operator: &AuthUser,
    meta: &RequestMeta,
    action: &str,
    program_id: i64,
    after: serde_json::Value,
) -> Result<(), AppError> {
    audit::record(
        conn,
        NewEvent {
            actor: &operator.actor(),
            action,
            subject_type: "program",
            subject_id: program_id.to_string(),
            before: None,
            after: Some(after),
            request_id: meta.request_id.as_deref(),
        },
    )
    .await?;
    Ok(())
}

pub async fn update_rules(
    conn: &mut AsyncPgConnection,
    operator: &AuthUser,
    meta: &RequestMeta,
    program_id: i64,
    form: &RulesForm,
) -> Result<(), AppError> {
    let rules = check_rules(form).map_err(AppError::Invalid)?;
    conn.transaction(async |conn| {
        let before = deal_catalogue::settings(conn, program_id).await?;
        deal_catalogue::update_settings(conn, program_id, &rules).await?;
        let after = serde_json::json!({
            "before": {"partner_kinds": before.deal_partner_kinds, "protection_days": before.deal_protection_days,
                       "sla_hours": before.deal_sla_hours, "existing_customer_policy": before.existing_customer_policy},
            "after": {"partner_kinds": rules.partner_kinds, "protection_days": rules.protection_days,
                      "sla_hours": rules.sla_hours, "existing_customer_policy": rules.existing_customer_policy},
        });
        audit_change(conn, operator, meta, "program.deal_rules", program_id, after).await
    })
    .await
}

pub async fn add_product(
    conn: &mut AsyncPgConnection,
    operator: &AuthUser,
    meta: &RequestMeta,
    program_id: i64,
    name: &str,
) -> Result<(), AppError> {
    let name = validate::required_text(name, "Product name", 120).map_err(|e| AppError::field("name", e))?;
    conn.transaction(async |conn| {
        deal_catalogue::settings(conn, program_id).await?;
        if deal_catalogue::add_product(conn, program_id, &name).await?.is_none() {
            return Err(AppError::field(
                "name",
                format!("The catalogue already has a product called {name}."),
            ));
        }
        audit_change(
            conn,
            operator,
            meta,
            "program.product_add",
            program_id,
            serde_json::json!({"name": name}),
        )
        .await
    })
    .await
}

pub async fn archive_product(
    conn: &mut AsyncPgConnection,
    operator: &AuthUser,
    meta: &RequestMeta,
    program_id: i64,
    product_id: i64,
    archive: bool,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    conn.transaction(async |conn| {
        let when = archive.then_some(now);
        if !deal_catalogue::set_archived(conn, program_id, product_id, when).await? {
            return Err(AppError::NotFound("There is no such product in this program.".into()));
        }
        let action = if archive {
            "program.product_archive"
        } else {
            "program.product_restore"
        };
        audit_change(
            conn,
            operator,
            meta,
            action,
            program_id,
            serde_json::json!({"product_id": product_id}),
        )
        .await
    })
    .await
}

/// Imports customer domains; returns (new, already known).
pub async fn import_customers(
    conn: &mut AsyncPgConnection,
    operator: &AuthUser,
    meta: &RequestMeta,
    program_id: i64,
    csv: &str,
    now: OffsetDateTime,
) -> Result<(usize, usize), AppError> {
    let domains = customers::parse_import(csv).map_err(|errors| AppError::field("csv", errors.join("\n")))?;
    conn.transaction(async |conn| {
        deal_catalogue::settings(conn, program_id).await?;
        let added = deal_catalogue::import_customers(conn, program_id, &domains, "import", now).await?;
        let after = serde_json::json!({"rows": domains.len(), "added": added});
        audit_change(conn, operator, meta, "program.customers_import", program_id, after).await?;
        Ok((added, domains.len() - added))
    })
    .await
}
