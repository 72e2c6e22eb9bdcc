//! The partner's payout methods (one per currency) and tax details, on the portal's Payouts
//! page. Only the partner's owner sees or changes them; secrets come back as their last four.
// A server function takes its form's fields as arguments, one each, so plain forms can post them.
#![allow(clippy::too_many_arguments)]

use super::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MethodDto {
    pub currency: String,
    pub kind: String,
    pub kind_label: String,
    /// "SEPA •••• 3000 (COBADEFFXXX)": never the whole account number.
    pub summary: String,
    pub account_holder: Option<String>,
    pub since: String,
    /// Payouts wait until then after a change of details.
    pub held_until: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaxDto {
    pub form: String,
    pub form_label: String,
    pub legal_name: String,
    pub address: String,
    pub country: String,
    pub tin: Option<String>,
    pub vat_id: Option<String>,
    pub invoice_name: String,
    pub invoice_address: String,
    pub since: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PayoutDetailsDto {
    /// Only the owner sees and changes money details.
    pub is_owner: bool,
    /// Owners and finance people see balances, payouts and statements.
    pub sees_money: bool,
    /// The currencies the partner's programs pay in.
    pub currencies: Vec<String>,
    pub review_days: i32,
    pub methods: Vec<MethodDto>,
    pub tax: Option<TaxDto>,
}

#[server(input = GetUrl)]
pub async fn my_payout_details() -> Result<PayoutDetailsDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::payout_details as repo;
    use crate::domain::access::PartnerRole;
    let me = ctx::require_partner().await?;
    let mut conn = ctx::db().await?;
    let (currencies, review_days) = repo::payout_terms(&mut conn, me.partner_id).await?;
    if me.role != PartnerRole::Owner {
        return Ok(PayoutDetailsDto {
            is_owner: false,
            sees_money: me.role.sees_money(),
            currencies,
            review_days,
            methods: Vec::new(),
            tax: None,
        });
    }
    let methods = repo::methods(&mut conn, me.partner_id).await?;
    let tax = repo::tax_profile(&mut conn, me.partner_id).await?;
    Ok(PayoutDetailsDto {
        is_owner: true,
        sees_money: true,
        currencies,
        review_days,
        methods: methods.iter().map(|row| build::method(row, ctx::now())).collect(),
        tax: tax.as_ref().map(build::tax),
    })
}

#[server]
pub async fn save_payout_method(
    csrf_token: String,
    #[server(default)] currency: String,
    #[server(default)] kind: String,
    #[server(default)] account_holder: String,
    #[server(default)] iban: String,
    #[server(default)] bic: String,
    #[server(default)] account_number: String,
    #[server(default)] routing_number: String,
    #[server(default)] email: String,
    #[server(default)] instructions: String,
) -> Result<(), AppError> {
    use crate::backend::{ctx, payouts::details};
    use crate::domain::payouts::method::MethodForm;
    ctx::verify_csrf(&csrf_token)?;
    let owner = build::require_owner().await?;
    let form = MethodForm {
        currency,
        kind,
        account_holder,
        iban,
        bic,
        account_number,
        routing_number,
        email,
        instructions,
    };
    let (settings, meta) = (ctx::state()?.settings, ctx::request_meta());
    details::save_method(
        &mut *ctx::db().await?,
        &settings,
        &build::saver(owner),
        &form,
        &meta,
        ctx::now(),
    )
    .await?;
    super::flash::after_plain_post(format!(
        "Payout method for {} saved. We emailed you about the change.",
        form.currency.trim().to_uppercase()
    ))
    .await
}

#[server]
pub async fn save_tax_details(
    csrf_token: String,
    #[server(default)] form: String,
    #[server(default)] legal_name: String,
    #[server(default)] entity_type: String,
    #[server(default)] tin: String,
    #[server(default)] address: String,
    #[server(default)] country: String,
    #[server(default)] treaty_article: String,
    #[server(default)] vat_id: String,
    #[server(default)] invoice_name: String,
    #[server(default)] invoice_address: String,
) -> Result<(), AppError> {
    use crate::backend::{ctx, payouts::details};
    use crate::domain::payouts::tax::TaxFormInput;
    ctx::verify_csrf(&csrf_token)?;
    let owner = build::require_owner().await?;
    let input = TaxFormInput {
        form,
        legal_name,
        entity_type,
        tin,
        address,
        country,
        treaty_article,
        vat_id,
        invoice_name,
        invoice_address,
    };
    let (settings, meta) = (ctx::state()?.settings, ctx::request_meta());
    details::save_tax(
        &mut *ctx::db().await?,
        &settings,
        &build::saver(owner),
        &input,
        &meta,
        ctx::now(),
    )
    .await?;
    super::flash::after_plain_post("Tax details saved.").await
}

#[cfg(feature = "ssr")]
mod build {
    use super::{AppError, MethodDto, TaxDto};
    use crate::backend::ctx::{self, PartnerUser};
    use crate::backend::payouts::details;
    use crate::backend::repos::payout_details::{MethodRow, TaxRow};
    use crate::domain::access::PartnerRole;
    use crate::domain::format;
    use crate::domain::payouts::masked;
    use crate::domain::payouts::method::MethodKind;
    use crate::domain::payouts::tax::TaxForm;
    use time::OffsetDateTime;

    pub fn saver(owner: PartnerUser) -> details::Saver {
        details::Saver {
            partner_id: owner.partner_id,
            user_id: owner.user.id,
            actor: owner.user.actor(),
        }
    }

    /// The partner's owner; members are refused, since payout details move money.
    pub async fn require_owner() -> Result<PartnerUser, AppError> {
        let me = ctx::require_partner().await?;
        if me.role == PartnerRole::Owner {
            Ok(me)
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn method(row: &MethodRow, now: OffsetDateTime) -> MethodDto {
        let kind = MethodKind::parse(&row.kind).unwrap_or(MethodKind::Other);
        MethodDto {
            currency: row.currency.clone(),
            kind: kind.as_str().to_owned(),
            kind_label: kind.label().to_owned(),
            summary: details::row_summary(row),
            account_holder: row.account_holder.clone(),
            since: format::date(row.created_at),
            held_until: row.review_until.filter(|until| *until > now).map(format::datetime),
        }
    }

    pub fn tax(row: &TaxRow) -> TaxDto {
        let form = TaxForm::parse(&row.form).unwrap_or(TaxForm::W8Ben);
        TaxDto {
            form: form.as_str().to_owned(),
            form_label: form.label().to_owned(),
            legal_name: row.legal_name.clone(),
            address: row.address.clone(),
            country: row.country.clone(),
            tin: row.tin_last4.as_deref().map(masked),
            vat_id: row.vat_last4.as_deref().map(masked),
            invoice_name: row.invoice_name.clone(),
            invoice_address: row.invoice_address.clone(),
            since: format::date(row.created_at),
        }
    }
}
