//! Report numbers: the partner's dashboard and a program's overview in the console. Both read
//! the daily rollups only.

use super::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// Totals with money already formatted in the program's currency.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TotalsDto {
    pub clicks: i64,
    pub unique_clicks: i64,
    pub conversions: i64,
    /// Conversions per unique click, "4.2%".
    pub conversion_rate: String,
    pub revenue: String,
    pub commission: String,
    /// Earnings per click (commission ÷ clicks).
    pub epc: String,
    /// Raw commission for charts and sorting, in the currency's units.
    pub commission_value: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RowDto {
    pub label: String,
    pub detail: String,
    pub totals: TotalsDto,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DayDto {
    /// "2026-11-21"
    pub day: String,
    pub clicks: i64,
    pub conversions: i64,
    pub commission: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgramChoice {
    pub id: i64,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportDto {
    pub program_id: i64,
    pub program_name: String,
    pub currency: String,
    pub programs: Vec<ProgramChoice>,
    pub from: String,
    pub to: String,
    pub period_label: String,
    pub totals: TotalsDto,
    /// Every day of the period, with zeros where nothing happened.
    pub daily: Vec<DayDto>,
    pub by_link: Vec<RowDto>,
    pub by_sub1: Vec<RowDto>,
    /// Clicks, conversions, revenue and EPC per creative.
    pub by_creative: Vec<RowDto>,
    /// Console only: partners by commission.
    pub top_partners: Vec<RowDto>,
}

#[cfg(feature = "ssr")]
pub(super) mod build {
    use super::*;
    use crate::backend::repos::reports::{self, Scope, Totals};
    use crate::domain::money;
    use crate::domain::period::{self, Period};
    use diesel_async::AsyncPgConnection;
    use rust_decimal::prelude::ToPrimitive;
    use rust_decimal::Decimal;

    pub fn totals_dto(t: &Totals, currency: &str) -> TotalsDto {
        let rate = if t.unique_clicks > 0 {
            format!("{:.1}%", t.conversions as f64 * 100.0 / t.unique_clicks as f64)
        } else {
            "—".into()
        };
        let epc = if t.clicks > 0 {
            money::format(t.commission / Decimal::from(t.clicks), currency)
        } else {
            "—".into()
        };
        TotalsDto {
            clicks: t.clicks,
            unique_clicks: t.unique_clicks,
            conversions: t.conversions,
            conversion_rate: rate,
            revenue: money::format(t.revenue, currency),
            commission: money::format(t.commission, currency),
            epc,
            commission_value: t.commission.to_f64().unwrap_or(0.0),
        }
    }

    /// (program id, name, currency) of the programs a partner has numbers in: active or
    /// suspended, in the brand the portal is switched to.
    pub async fn programs_reported(
        conn: &mut AsyncPgConnection,
        me: &crate::backend::ctx::PartnerUser,
    ) -> Result<Vec<(i64, String, String)>, AppError> {
        Ok(
            crate::backend::repos::memberships::list_for_partner(conn, me.partner_id, me.brand)
                .await?
                .into_iter()
                .filter(|(m, ..)| m.status == "active" || m.status == "suspended")
                .map(|(m, name, _, currency)| (m.program_id, name, currency))
                .collect(),
        )
    }

    pub fn period(
        preset: Option<String>,
        from: Option<String>,
        to: Option<String>,
    ) -> Result<(Period, String), AppError> {
        let today = crate::backend::ctx::now().date();
        let period = period::resolve(preset.as_deref(), from.as_deref(), to.as_deref(), today)
            .map_err(|m| AppError::field("from", m))?;
        let label = period::PRESETS
            .iter()
            .find(|(key, _)| from.is_none() && preset.as_deref().unwrap_or("30d") == *key)
            .map_or_else(
                || format!("{} to {}", period.from, period.to),
                |(_, label)| (*label).to_owned(),
            );
        Ok((period, label))
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn report(
        conn: &mut AsyncPgConnection,
        program: (i64, String, String),
        programs: Vec<ProgramChoice>,
        partner_id: Option<i64>,
        period: Period,
        period_label: String,
        with_partners: bool,
    ) -> Result<ReportDto, AppError> {
        let (program_id, program_name, currency) = program;
        let scope = Scope {
            program_id,
            partner_id,
            from: period.from,
            to: period.to,
        };
        let summary = reports::summary(conn, &scope, if with_partners { 10 } else { 0 }).await?;
        let days = &summary.days;
        let daily = period
            .dates()
            .into_iter()
            .map(|date| {
                let t = days
                    .iter()
                    .find(|(d, _)| *d == date)
                    .map(|(_, t)| t.clone())
                    .unwrap_or_default();
                DayDto {
                    day: date.to_string(),
                    clicks: t.clicks,
                    conversions: t.conversions,
                    commission: t.commission.to_f64().unwrap_or(0.0),
                }
            })
            .collect();
        let row = |label: String, detail: String, t: &Totals| RowDto {
            label,
            detail,
            totals: totals_dto(t, &currency),
        };
        let by_link = summary
            .by_link
            .iter()
            .map(|(id, code, t)| {
                if *id == 0 {
                    row("No link".into(), "coupon or returning customer".into(), t)
                } else {
                    row(code.clone(), String::new(), t)
                }
            })
            .collect();
        let by_sub1 = summary
            .by_sub1
            .iter()
            .map(|(sub, t)| {
                row(
                    if sub.is_empty() { "(none)".into() } else { sub.clone() },
                    String::new(),
                    t,
                )
            })
            .collect();
        let by_creative = summary
            .by_creative
            .iter()
            .map(|(_, name, t)| row(name.clone(), String::new(), t))
            .collect();
        let top_partners = summary
            .top_partners
            .iter()
            .map(|(_, name, t)| row(name.clone(), String::new(), t))
            .collect();
        Ok(ReportDto {
            program_id,
            program_name,
            programs,
            from: period.from.to_string(),
            to: period.to.to_string(),
            period_label,
            totals: totals_dto(&summary.totals, &currency),
            currency,
            daily,
            by_link,
            by_sub1,
            by_creative,
            top_partners,
        })
    }
}

/// The partner's numbers in one of their programs (the first active one by default).
#[server(input = GetUrl)]
pub async fn my_report(
    program: Option<i64>,
    period: Option<String>,
    from: Option<String>,
    to: Option<String>,
) -> Result<Option<ReportDto>, AppError> {
    use crate::backend::ctx;
    let me = ctx::require_partner().await?;
    let (period, label) = build::period(period, from, to)?;
    let mut conn = ctx::report_db().await?;
    let mine = build::programs_reported(&mut conn, &me).await?;
    let Some(chosen) = mine
        .iter()
        .find(|(id, _, _)| Some(*id) == program)
        .or(mine.first())
        .cloned()
    else {
        return Ok(None);
    };
    let choices = mine
        .iter()
        .map(|(id, name, _)| ProgramChoice {
            id: *id,
            name: name.clone(),
        })
        .collect();
    build::report(&mut conn, chosen, choices, Some(me.partner_id), period, label, false)
        .await
        .map(Some)
}

/// A program's numbers for the console, with top partners.
#[server(input = GetUrl)]
pub async fn program_report(
    id: i64,
    period: Option<String>,
    from: Option<String>,
    to: Option<String>,
) -> Result<ReportDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::tracking_settings;
    let operator = ctx::require_operator().await?;
    let (period, label) = build::period(period, from, to)?;
    let mut conn = ctx::report_db().await?;
    // The programs in scope: the report's program must be one, and the others are its choices.
    let all = tracking_settings::list(&mut conn, &operator.scope).await?;
    let program = all
        .iter()
        .find(|p| p.id == id)
        .ok_or_else(|| AppError::NotFound(ctx::NO_SUCH_PROGRAM.into()))?;
    let chosen = (program.id, program.name.clone(), program.currency.clone());
    let choices = all
        .iter()
        .map(|p| ProgramChoice {
            id: p.id,
            name: p.name.clone(),
        })
        .collect();
    build::report(&mut conn, chosen, choices, None, period, label, true).await
}
