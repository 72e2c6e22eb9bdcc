//! A partner registers a deal. Every field is checked first; then the program's rules (who may
//! register, products, existing customers); then PostgreSQL decides conflicts. Near matches
//! don't stop a registration: they are recorded as warnings for the reviewer.

use super::notify::{tell_approvers, DealNames};
use super::{record, Acting, Happened};
use crate::api::error::AppError;
use crate::backend::repos::deal_catalogue::{self, DealSettings};
use crate::backend::repos::deals::{self, DealRow, NewDeal, Registered};
use crate::backend::repos::{memberships, partners};
use crate::backend::scope::Whose;
use crate::domain::deals::emails as deal_emails;
use crate::domain::deals::prospect::{match_keys, near_match};
use crate::domain::deals::registration::{self, Registration, RegistrationForm, RegistrationRules};
use crate::domain::partner_kind::PartnerKind;
use crate::domain::validate::FieldErrors;
use diesel_async::{AsyncConnection, AsyncPgConnection};

/// Registers the deal for the acting partner and returns it.
pub async fn register(
    conn: &mut AsyncPgConnection,
    acting: &Acting<'_>,
    partner_id: i64,
    program_id: i64,
    form: &RegistrationForm,
) -> Result<DealRow, AppError> {
    let echo = |errors: FieldErrors| AppError::Invalid(errors.with_submitted(&submitted(form)));
    conn.transaction(async |conn| {
        let settings = may_register(conn, partner_id, program_id).await.map_err(|e| match e {
            AppError::Invalid(errors) => echo(errors),
            other => other,
        })?;
        let rules = RegistrationRules {
            currency: &settings.currency,
            today: acting.now.date(),
        };
        let valid = registration::check(form, &rules).map_err(echo)?;
        let live = deal_catalogue::live_product_ids(conn, program_id, &valid.product_ids).await?;
        if live.len() != valid.product_ids.len() {
            return Err(echo(FieldErrors::single(
                "products",
                "That product is not in this program's catalogue. Choose products from the list.",
            )));
        }
        if let Some(request_id) = valid.mdf_request_id {
            let own = deal_catalogue::sourcing_activities(conn, partner_id, program_id).await?;
            if !own.iter().any(|(id, _)| *id == request_id) {
                return Err(echo(FieldErrors::single(
                    "mdf_request",
                    "Choose one of your approved MDF activities in this program.",
                )));
            }
        }
        let mut warnings: Vec<String> = near_matches(conn, program_id, &valid.domain, &valid.company, None)
            .await?
            .into_iter()
            .map(|why| format!("Near match: {why}."))
            .collect();
        if deal_catalogue::is_customer(conn, program_id, &valid.domain).await? {
            if settings.existing_customer_policy == "refuse" {
                return Err(echo(FieldErrors::single(
                    "domain",
                    format!(
                        "{} is already a customer of {}, and this program doesn't take registrations for existing customers.",
                        valid.domain, settings.name
                    ),
                )));
            }
            warnings.insert(0, format!("Existing customer: {} is on the customer list.", valid.domain));
        }
        let new = new_deal(&valid, program_id, partner_id, warnings, acting);
        let id = match deals::register(conn, &new).await? {
            Registered::Created(id) => id,
            Registered::Conflict => {
                return Err(echo(FieldErrors::single(
                    "domain",
                    format!(
                        "{} is already registered in {} and protected, so it can't be registered again for now.",
                        valid.domain, settings.name
                    ),
                )))
            }
        };
        deals::add_products(conn, id, &valid.product_ids).await?;
        let deal = super::lock(conn, id, Whose::Partner(partner_id)).await?;
        let details = serde_json::json!({
            "program_id": program_id, "partner_id": partner_id, "domain": deal.domain,
            "value": deal.value.to_string(), "currency": deal.currency, "warnings": deal.warnings,
        });
        record(
            conn,
            acting,
            id,
            Happened {
                kind: "submitted",
                stage: Some("registered"),
                value: Some(deal.value),
                note: None,
                details,
            },
        )
        .await?;
        let names = DealNames::load(conn, &deal, acting.base_url).await?;
        let sla = format!("{} hours", settings.deal_sla_hours);
        let about = names.for_operators(&deal);
        tell_approvers(conn, &deal, |name| deal_emails::registration_received(&about, name, &sla)).await?;
        Ok(deal)
    })
    .await
}

/// The program's deal rules, once the partner is known to be an active member of a kind that
/// may register deals in it.
pub async fn may_register(
    conn: &mut AsyncPgConnection,
    partner_id: i64,
    program_id: i64,
) -> Result<DealSettings, AppError> {
    let active = memberships::find(conn, partner_id, program_id)
        .await?
        .is_some_and(|m| m.status == "active");
    if !active {
        return Err(AppError::field(
            "program_id",
            "You can register deals only in programs that approved you.",
        ));
    }
    let settings = deal_catalogue::settings(conn, program_id).await?;
    let kind = partners::get(conn, partner_id).await?.kind;
    if !settings.deal_partner_kinds.contains(&kind) {
        let label = PartnerKind::parse(&kind).map_or(kind.clone(), |k| k.label().to_owned());
        return Err(AppError::field(
            "program_id",
            format!(
                "{} doesn't take deal registrations from your kind of partner ({label}).",
                settings.name
            ),
        ));
    }
    Ok(settings)
}

/// Why open registrations of the program (other than `except`) look like the same account as
/// this prospect, for the reviewer: at most ten. Candidates come from the match-key index, so
/// this costs the same however many deals are open.
pub async fn near_matches(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    domain: &str,
    company: &str,
    except: Option<i64>,
) -> Result<Vec<String>, AppError> {
    let keys = match_keys(domain, company);
    let candidates = deals::open_prospects_sharing(conn, program_id, &keys, except).await?;
    Ok(candidates
        .iter()
        .filter_map(|(other_domain, other_company)| near_match(domain, company, other_domain, other_company))
        .take(10)
        .collect())
}

fn new_deal(
    valid: &Registration,
    program_id: i64,
    partner_id: i64,
    warnings: Vec<String>,
    acting: &Acting<'_>,
) -> NewDeal {
    NewDeal {
        program_id,
        partner_id,
        company: valid.company.clone(),
        domain: valid.domain.clone(),
        country: valid.country.clone(),
        contact_name: valid.contact_name.clone(),
        contact_email: valid.contact_email.clone(),
        contact_title: valid.contact_title.clone(),
        value: valid.value,
        currency: valid.currency.clone(),
        expected_close: valid.expected_close,
        notes: valid.notes.clone(),
        warnings,
        submitted_at: acting.now,
        mdf_request_id: valid.mdf_request_id,
    }
}

/// What the partner typed, to fill the form again after an error.
fn submitted(form: &RegistrationForm) -> Vec<(&'static str, &str)> {
    vec![
        ("company", form.company.as_str()),
        ("domain", form.domain.as_str()),
        ("country", form.country.as_str()),
        ("contact_name", form.contact_name.as_str()),
        ("contact_email", form.contact_email.as_str()),
        ("contact_title", form.contact_title.as_str()),
        ("value", form.value.as_str()),
        ("currency", form.currency.as_str()),
        ("expected_close", form.expected_close.as_str()),
        ("notes", form.notes.as_str()),
    ]
}
