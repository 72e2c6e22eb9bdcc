//! Operator changes to a program's tracking: settings, coupons, API keys. Each change and its audit event commit together.

use super::RequestMeta;
use crate::api::error::AppError;
use crate::backend::auth::AuthUser;
use crate::backend::errors::not_found_as;
use crate::backend::repos::audit::{self, Actor, NewEvent};
use crate::backend::repos::tracking_settings::{self, SettingsChange};
use crate::backend::repos::{api_keys, coupons, memberships};
use crate::domain::validate::FieldErrors;
use crate::domain::{destination, validate};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use time::OffsetDateTime;

#[derive(Clone, Debug, Default)]
pub struct SettingsForm {
    /// One domain per line (or separated by commas or spaces).
    pub allowed_domains: String,
    pub default_landing_url: String,
    pub cookie_days: String,
    pub attribution_model: String,
    pub click_param: String,
    pub coupons_override: bool,
}

fn check(form: &SettingsForm) -> Result<SettingsChange, AppError> {
    let mut errors = FieldErrors::default();
    let mut domains = Vec::new();
    for entry in form
        .allowed_domains
        .split([',', '\n', ' ', '\r'])
        .filter(|d| !d.trim().is_empty())
    {
        match destination::allowed_domain(entry) {
            Ok(d) if !domains.contains(&d) => domains.push(d),
            Ok(_) => {}
            Err(message) => errors.add("allowed_domains", message),
        }
    }
    if domains.len() > 50 {
        errors.add("allowed_domains", "List at most 50 domains.");
    }
    let landing = form.default_landing_url.trim();
    let landing = if landing.is_empty() {
        None
    } else {
        errors.check("default_landing_url", destination::check(landing, &domains))
    };
    let cookie_days = match form.cookie_days.trim().parse::<i32>() {
        Ok(days) if (1..=365).contains(&days) => Some(days),
        _ => {
            errors.add("cookie_days", "Enter a whole number of days from 1 to 365.");
            None
        }
    };
    if !["last_click", "first_click"].contains(&form.attribution_model.as_str()) {
        errors.add("attribution_model", "Choose last click or first click.");
    }
    let param = form.click_param.trim();
    let param_ok = (1..=32).contains(&param.len())
        && param
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && param.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !param_ok {
        errors.add(
            "click_param",
            "Use up to 32 letters, digits or underscores, starting with a letter.",
        );
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors.with_submitted(&[
            ("allowed_domains", &form.allowed_domains),
            ("default_landing_url", &form.default_landing_url),
            ("cookie_days", &form.cookie_days),
            ("click_param", &form.click_param),
            ("attribution_model", &form.attribution_model),
            ("coupons_override", if form.coupons_override { "yes" } else { "" }),
        ])));
    }
    let change = SettingsChange {
        allowed_domains: domains,
        default_landing_url: landing,
        cookie_days: cookie_days.unwrap_or(30),
        attribution_model: form.attribution_model.clone(),
        click_param: param.to_owned(),
        coupons_override: form.coupons_override,
    };
    Ok(change)
}

pub async fn save(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    program_id: i64,
    form: &SettingsForm,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    conn.transaction::<_, AppError, _>(async |conn| {
        let before = tracking_settings::get(conn, program_id)
            .await
            .map_err(|e| not_found_as(e, "That program doesn't exist."))?;
        let change = check(form)?;
        tracking_settings::update(conn, program_id, &change).await?;
        audit::record(
            conn,
            NewEvent {
                actor,
                action: "program.tracking_settings",
                subject_type: "program",
                subject_id: program_id.to_string(),
                before: Some(serde_json::json!({
                    "allowed_domains": before.allowed_domains, "default_landing_url": before.default_landing_url,
                    "cookie_days": before.cookie_days, "attribution_model": before.attribution_model,
                    "click_param": before.click_param, "coupons_override": before.coupons_override,
                })),
                after: Some(serde_json::json!({
                    "allowed_domains": change.allowed_domains, "default_landing_url": change.default_landing_url,
                    "cookie_days": change.cookie_days, "attribution_model": change.attribution_model,
                    "click_param": change.click_param, "coupons_override": change.coupons_override,
                })),
                request_id: meta.request_id.as_deref(),
            },
        )
        .await?;
        Ok(())
    })
    .await
}

pub async fn assign_coupon(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    program_id: i64,
    partner_id: i64,
    code: &str,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let code = code.trim();
    let valid =
        (3..=40).contains(&code.len()) && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid {
        return Err(AppError::Invalid(
            FieldErrors::single("code", "Use 3 to 40 letters, digits, '-' or '_'.").with_submitted(&[("code", code)]),
        ));
    }
    conn.transaction::<_, AppError, _>(async |conn| {
        let membership = memberships::find(conn, partner_id, program_id).await?;
        if membership.map(|m| m.status) != Some("active".into()) {
            return Err(AppError::field(
                "partner_id",
                "Choose a partner who is active in this program.",
            ));
        }
        let coupon = match coupons::insert(conn, program_id, partner_id, code, now).await {
            Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
                return Err(AppError::Invalid(
                    FieldErrors::single(
                        "code",
                        format!("{code} is already assigned in this program (codes ignore upper and lower case)."),
                    )
                    .with_submitted(&[("code", code), ("partner_id", &partner_id.to_string())]),
                ))
            }
            other => other?,
        };
        audit::record(
            conn,
            NewEvent {
                actor,
                action: "coupon.assign",
                subject_type: "coupon",
                subject_id: coupon.id.to_string(),
                before: None,
                after: Some(
                    serde_json::json!({ "code": coupon.code, "partner_id": partner_id, "program_id": program_id }),
                ),
                request_id: meta.request_id.as_deref(),
            },
        )
        .await?;
        Ok(())
    })
    .await
}

pub async fn create_key(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    program_id: i64,
    name: &str,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<String, AppError> {
    let name = validate::required_text(name, "Name", 80).map_err(|m| AppError::field("name", m))?;
    conn.transaction::<_, AppError, _>(async |conn| {
        tracking_settings::get(conn, program_id)
            .await
            .map_err(|e| not_found_as(e, "That program doesn't exist."))?;
        let (secret, row) = crate::backend::api_v1::keys::create(conn, program_id, &name, Some(user.id), now).await?;
        audit::record(
            conn,
            NewEvent {
                actor: &user.actor(),
                action: "api_key.create",
                subject_type: "api_key",
                subject_id: row.id.to_string(),
                before: None,
                after: Some(serde_json::json!({ "program_id": program_id, "name": row.name, "prefix": row.prefix })),
                request_id: meta.request_id.as_deref(),
            },
        )
        .await?;
        Ok(secret)
    })
    .await
}

pub async fn revoke_key(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    program_id: i64,
    key_id: i64,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    conn.transaction::<_, AppError, _>(async |conn| {
        if api_keys::revoke(conn, program_id, key_id, now).await? == 0 {
            return Err(AppError::NotFound(
                "That key doesn't exist or is already revoked.".into(),
            ));
        }
        audit::record(
            conn,
            NewEvent {
                actor,
                action: "api_key.revoke",
                subject_type: "api_key",
                subject_id: key_id.to_string(),
                before: None,
                after: Some(serde_json::json!({ "program_id": program_id, "revoked": true })),
                request_id: meta.request_id.as_deref(),
            },
        )
        .await?;
        Ok(())
    })
    .await
}
