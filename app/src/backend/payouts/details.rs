//! A partner saves its payout method for a currency, or its tax profile. Secrets are sealed
//! before they reach a statement; the audit trail and the email carry only their last four. A
//! change to a method that replaces earlier details holds the partner's payouts for the longest
//! review period among its programs, and the owner is emailed either way.

use crate::api::error::AppError;
use crate::backend::data_key::{self, DataKey};
use crate::backend::flows::RequestMeta;
use crate::backend::repos::audit::{self, Actor, NewEvent};
use crate::backend::repos::payout_details::{self as repo, MethodRow, NewMethod, NewTax, TaxRow};
use crate::backend::repos::{outbox, partners};
use crate::backend::settings::Settings;
use crate::domain::payouts::method::{self, MethodForm, MethodKind, PayoutMethod};
use crate::domain::payouts::tax::{self, TaxFormInput, TaxProfile};
use crate::domain::payouts::{emails, last4, masked};
use crate::domain::{format, validate::FieldErrors};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::json;
use time::{Duration, OffsetDateTime};

/// Who is saving: the partner (from the session) and the person.
pub struct Saver {
    pub partner_id: i64,
    pub user_id: i64,
    pub actor: Actor,
}

const NO_KEY: &str = "Bank and tax numbers can't be saved yet: this installation has no data key (TRELLIS_DATA_KEY). Ask its administrator to set one.";

pub async fn save_method(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    saver: &Saver,
    form: &MethodForm,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let (key, base_url) = (settings.data_key.as_ref(), settings.base_url.as_str());
    conn.transaction::<_, AppError, _>(async |conn| {
        let partner = partners::lock(conn, saver.partner_id).await?;
        let (currencies, review_days) = repo::payout_terms(conn, saver.partner_id).await?;
        let method = method::validate(form, &currencies).map_err(|e| invalid(e, &form.echo()))?;
        let had_details = !repo::methods(conn, saver.partner_id).await?.is_empty();
        let review_until = had_details.then(|| now + Duration::days(review_days.into()));
        let new = sealed_method(key, saver, &method, review_until, now)?;
        let replaced = repo::replace_method(conn, &new).await?;
        let summary = method.summary(new.account_last4.as_deref());
        audit::record(
            conn,
            NewEvent {
                actor: &saver.actor,
                action: "payout_method.saved",
                subject_type: "partner",
                subject_id: saver.partner_id.to_string(),
                before: replaced.as_ref().map(|row| json!({ "method": row_summary(row) })),
                after: Some(json!({
                    "currency": method.currency,
                    "method": summary,
                    "review_until": review_until.map(format::datetime),
                })),
                request_id: meta.request_id.as_deref(),
            },
        )
        .await?;
        let what = format!("{} payouts now go to {summary}", method.currency);
        notify_owner(conn, &partner, &what, review_until, base_url).await
    })
    .await
}

pub async fn save_tax(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    saver: &Saver,
    input: &TaxFormInput,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let (key, base_url) = (settings.data_key.as_ref(), settings.base_url.as_str());
    let profile = tax::validate(input).map_err(|e| invalid(e, &input.echo()))?;
    conn.transaction::<_, AppError, _>(async |conn| {
        let partner = partners::lock(conn, saver.partner_id).await?;
        let new = sealed_tax(key, saver, &profile, now)?;
        let replaced = repo::replace_tax(conn, &new).await?;
        let after = json!({
            "form": profile.form.as_str(),
            "country": profile.country,
            "tin": new.tin_last4.as_deref().map(masked),
            "vat_id": new.vat_last4.as_deref().map(masked),
        });
        audit::record(
            conn,
            NewEvent {
                actor: &saver.actor,
                action: "tax_profile.saved",
                subject_type: "partner",
                subject_id: saver.partner_id.to_string(),
                before: replaced
                    .as_ref()
                    .map(|row| json!({ "form": row.form, "country": row.country })),
                after: Some(after),
                request_id: meta.request_id.as_deref(),
            },
        )
        .await?;
        let what = format!("the tax details are now a {}", profile.form.label());
        notify_owner(conn, &partner, &what, None, base_url).await
    })
    .await
}

fn invalid(errors: FieldErrors, echo: &[(&str, &str)]) -> AppError {
    AppError::Invalid(errors.with_submitted(echo))
}

/// Seals a secret for its context; without a key, the error names the field it was typed in.
fn seal(key: Option<&DataKey>, saver: &Saver, context: &str, field: &str, secret: &str) -> Result<Vec<u8>, AppError> {
    let key = key.ok_or_else(|| AppError::field(field, NO_KEY))?;
    Ok(key.seal(secret, &data_key::context(saver.partner_id, context)))
}

fn sealed_method(
    key: Option<&DataKey>,
    saver: &Saver,
    method: &PayoutMethod,
    review_until: Option<OffsetDateTime>,
    now: OffsetDateTime,
) -> Result<NewMethod, AppError> {
    let field = if method.kind == MethodKind::Sepa {
        "iban"
    } else {
        "account_number"
    };
    let account_sealed = method
        .account
        .as_deref()
        .map(|account| seal(key, saver, ACCOUNT_CONTEXT, field, account))
        .transpose()?;
    Ok(NewMethod {
        partner_id: saver.partner_id,
        currency: method.currency.clone(),
        kind: method.kind.as_str().to_owned(),
        account_holder: method.account_holder.clone(),
        key_id: account_sealed.as_ref().and(key).map(|k| k.id().to_owned()),
        account_sealed,
        account_last4: method.account.as_deref().map(last4),
        bank_code: method.bank_code.clone(),
        email: method.email.clone(),
        instructions: method.instructions.clone(),
        review_until,
        created_at: now,
        created_by: Some(saver.user_id),
    })
}

/// The context an account number is sealed for (the IBAN and the US account share it).
pub const ACCOUNT_CONTEXT: &str = "account";

fn sealed_tax(
    key: Option<&DataKey>,
    saver: &Saver,
    profile: &TaxProfile,
    now: OffsetDateTime,
) -> Result<NewTax, AppError> {
    let tin_sealed = profile
        .tin
        .as_deref()
        .map(|tin| seal(key, saver, "tin", "tin", tin))
        .transpose()?;
    let vat_sealed = profile
        .vat_id
        .as_deref()
        .map(|vat| seal(key, saver, "vat_id", "vat_id", vat))
        .transpose()?;
    let sealed_any = tin_sealed.is_some() || vat_sealed.is_some();
    Ok(NewTax {
        partner_id: saver.partner_id,
        form: profile.form.as_str().to_owned(),
        legal_name: profile.legal_name.clone(),
        entity_type: profile.entity_type.clone(),
        tin_sealed,
        tin_last4: profile.tin.as_deref().map(last4),
        address: profile.address.clone(),
        country: profile.country.clone(),
        treaty_article: profile.treaty_article.clone(),
        vat_sealed,
        vat_last4: profile.vat_id.as_deref().map(last4),
        invoice_name: profile.invoice_name.clone(),
        invoice_address: profile.invoice_address.clone(),
        key_id: key.filter(|_| sealed_any).map(|k| k.id().to_owned()),
        created_at: now,
        created_by: Some(saver.user_id),
    })
}

/// A stored method as its masked summary.
pub fn row_summary(row: &MethodRow) -> String {
    stored_method(row).summary(row.account_last4.as_deref())
}

/// A stored method in domain terms, without its secret (which stays sealed).
pub fn stored_method(row: &MethodRow) -> PayoutMethod {
    PayoutMethod {
        currency: row.currency.clone(),
        kind: MethodKind::parse(&row.kind).unwrap_or(MethodKind::Other),
        account_holder: row.account_holder.clone(),
        account: None,
        bank_code: row.bank_code.clone(),
        email: row.email.clone(),
        instructions: row.instructions.clone(),
    }
}

/// Opens a stored method's account number (for the bank file only).
pub fn open_account(key: &DataKey, row: &MethodRow) -> Result<Option<String>, data_key::KeyError> {
    row.account_sealed
        .as_deref()
        .map(|sealed| open_sealed_account(key, row.partner_id, sealed))
        .transpose()
}

/// Opens a partner's sealed account number (the SEPA file reads it from the payout items).
pub fn open_sealed_account(key: &DataKey, partner_id: i64, sealed: &[u8]) -> Result<String, data_key::KeyError> {
    key.open(sealed, &data_key::context(partner_id, ACCOUNT_CONTEXT))
}

/// Opens a stored tax profile's TIN (for year-end reporting only).
pub fn open_tin(key: &DataKey, row: &TaxRow) -> Result<Option<String>, data_key::KeyError> {
    row.tin_sealed
        .as_deref()
        .map(|sealed| key.open(sealed, &data_key::context(row.partner_id, "tin")))
        .transpose()
}

async fn notify_owner(
    conn: &mut AsyncPgConnection,
    partner: &partners::PartnerRow,
    what: &str,
    review_until: Option<OffsetDateTime>,
    base_url: &str,
) -> Result<(), AppError> {
    let to = crate::backend::partner_mail::address(conn, partner).await?;
    let held = review_until.map(format::date);
    let email = emails::details_changed(
        &partner.name,
        what,
        held.as_deref(),
        &format!("{base_url}/portal/payouts"),
    );
    outbox::enqueue(conn, &to, &email).await?;
    Ok(())
}
