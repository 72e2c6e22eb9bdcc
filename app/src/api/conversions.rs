//! The console's conversion list for one program: filters, sorting, pages. The CSV export at
//! `/console/programs/{id}/conversions.csv` takes the same filters.

use super::error::AppError;
use super::Paged;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

pub const PER_PAGE: i64 = 25;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConversionDto {
    pub id: i64,
    pub order_id: String,
    pub event: String,
    pub occurred_at: String,
    pub partner: Option<String>,
    /// "Click", "Coupon BRIGHT20", "Returning customer" or "Unattributed".
    pub attribution: String,
    pub note: Option<String>,
    pub amount: String,
    pub refunded: String,
    pub commission: String,
    /// "open", "partially_refunded", "refunded"
    pub refund_status: String,
    pub refund_label: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConversionListDto {
    pub program_name: String,
    pub currency: String,
    pub page: Paged<ConversionDto>,
    pub partners: Vec<super::program_admin::PartnerChoice>,
    /// The query string of the current filters, for the CSV link.
    pub export_query: String,
}

/// The filters as they arrive in the URL.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConversionQuery {
    pub partner: Option<i64>,
    pub status: Option<String>,
    pub attributed: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub sort: Option<String>,
    pub page: Option<i64>,
}

#[cfg(feature = "ssr")]
pub mod filters {
    use super::*;
    use crate::backend::repos::conversion_list::{Filter, ListedConversion};
    use crate::domain::money;

    fn date(value: &Option<String>, field: &str) -> Result<Option<time::Date>, AppError> {
        match value.as_deref().filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(v) => time::Date::parse(v, time::macros::format_description!("[year]-[month]-[day]"))
                .map(Some)
                .map_err(|_| AppError::field(field, "Dates must look like 2026-11-21.")),
        }
    }

    pub fn to_filter(program_id: i64, q: &ConversionQuery) -> Result<Filter, AppError> {
        let status = q
            .status
            .clone()
            .filter(|s| ["open", "partially_refunded", "refunded"].contains(&s.as_str()));
        let attributed = match q.attributed.as_deref() {
            Some("yes") => Some(true),
            Some("no") => Some(false),
            _ => None,
        };
        Ok(Filter {
            program_id,
            partner_id: q.partner,
            refund_status: status,
            attributed,
            from: date(&q.from, "from")?,
            to: date(&q.to, "to")?,
            sort: q.sort.clone(),
            page: q.page.unwrap_or(1).max(1),
            per_page: PER_PAGE,
        })
    }

    pub fn refund_status(c: &ListedConversion) -> (&'static str, &'static str) {
        match c.amount {
            Some(amount) if c.refunded > rust_decimal::Decimal::ZERO && c.refunded >= amount => {
                ("refunded", "Refunded")
            }
            Some(_) if c.refunded > rust_decimal::Decimal::ZERO => ("partially_refunded", "Partly refunded"),
            _ => ("open", "Not refunded"),
        }
    }

    pub fn attribution_label(c: &ListedConversion) -> String {
        match c.attribution.as_str() {
            "click" => "Click".into(),
            "coupon" => format!("Coupon {}", c.coupon.clone().unwrap_or_default()),
            "customer" => "Returning customer".into(),
            _ => "Unattributed".into(),
        }
    }

    pub fn to_dto(c: ListedConversion, currency: &str) -> ConversionDto {
        let (status, label) = refund_status(&c);
        ConversionDto {
            id: c.id,
            occurred_at: crate::domain::format::datetime(c.occurred_at),
            attribution: attribution_label(&c),
            amount: c.amount.map_or_else(|| "—".into(), |a| money::format(a, currency)),
            refunded: money::format(c.refunded, currency),
            commission: c
                .commission
                .map_or_else(|| "—".into(), |_| money::format(c.commission_net, currency)),
            refund_status: status.into(),
            refund_label: label.into(),
            order_id: c.order_id,
            event: c.event,
            partner: c.partner_name,
            note: c.attribution_note,
        }
    }
}

#[server(input = GetUrl)]
pub async fn list_conversions(
    program_id: i64,
    #[server(default)] query: ConversionQuery,
) -> Result<ConversionListDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::errors::not_found_as;
    use crate::backend::repos::{conversion_list, memberships, tracking_settings};
    ctx::require_program_operator(program_id).await?;
    let filter = filters::to_filter(program_id, &query)?;
    let mut conn = ctx::report_db().await?;
    let program = tracking_settings::get(&mut conn, program_id)
        .await
        .map_err(|e| not_found_as(e, "That program doesn't exist."))?;
    let page = conversion_list::list(&mut conn, &filter).await?;
    let choices = memberships::active_partners(&mut conn, program_id)
        .await?
        .into_iter()
        .map(|(id, name, _)| super::program_admin::PartnerChoice { id, name })
        .collect();
    let currency = program.currency.clone();
    let mut export = form_urlencoded_pairs(&query);
    export.retain(|(k, _)| *k != "page");
    Ok(ConversionListDto {
        program_name: program.name,
        page: Paged::from_page(page, filter.page, PER_PAGE, |c| filters::to_dto(c, &currency)),
        currency,
        partners: choices,
        export_query: export
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&"),
    })
}

/// The filters as `key=value` pairs (values are ids, fixed words and dates, so they need no
/// escaping beyond what the date check already refuses).
#[cfg(feature = "ssr")]
fn form_urlencoded_pairs(q: &ConversionQuery) -> Vec<(&'static str, String)> {
    let mut pairs = Vec::new();
    if let Some(p) = q.partner {
        pairs.push(("partner", p.to_string()));
    }
    for (key, value) in [
        ("status", &q.status),
        ("attributed", &q.attributed),
        ("from", &q.from),
        ("to", &q.to),
        ("sort", &q.sort),
    ] {
        if let Some(v) = value
            .as_ref()
            .filter(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        {
            pairs.push((key, v.clone()));
        }
    }
    pairs
}
