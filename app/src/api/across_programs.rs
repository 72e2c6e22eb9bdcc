//! The partner's numbers in all their programs together, for the dashboard: one row per program
//! (with its brand) and a total per currency, since money in different currencies never adds up.
//! With the portal switched to a brand, that brand's programs only.

use super::error::AppError;
use super::reports::RowDto;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AcrossProgramsDto {
    pub period_label: String,
    /// Per program: label the program, detail its brand; money in the program's currency.
    pub programs: Vec<RowDto>,
    /// Per currency: label the currency code.
    pub currencies: Vec<RowDto>,
}

/// `None` for a partner with fewer than two programs to show (the program report says it all).
#[server(input = GetUrl)]
pub async fn my_programs_together(
    period: Option<String>,
    from: Option<String>,
    to: Option<String>,
) -> Result<Option<AcrossProgramsDto>, AppError> {
    use super::reports::build;
    use crate::backend::ctx;
    use crate::backend::repos::brands;
    use crate::backend::repos::reports::{self, Totals};
    use std::collections::BTreeMap;
    let me = ctx::require_partner().await?;
    let (period, period_label) = build::period(period, from, to)?;
    let mut conn = ctx::report_db().await?;
    let mine = build::programs_reported(&mut conn, &me).await?;
    if mine.len() < 2 {
        return Ok(None);
    }
    let ids: Vec<i64> = mine.iter().map(|(id, ..)| *id).collect();
    let figures = reports::partner_by_program(&mut conn, me.partner_id, &ids, period.from, period.to).await?;
    let brand_names = brands::names_by_program(&mut conn, &ids).await?;
    let mut per_currency: BTreeMap<String, Totals> = BTreeMap::new();
    let mut programs: Vec<(String, Totals, RowDto)> = mine
        .into_iter()
        .map(|(id, name, currency)| {
            let totals = figures
                .iter()
                .find(|(p, _)| *p == id)
                .map(|(_, t)| t.clone())
                .unwrap_or_default();
            add(per_currency.entry(currency.clone()).or_default(), &totals);
            let brand = brand_names.iter().find(|(p, _)| *p == id).map(|(_, b)| b.clone());
            let row = RowDto {
                label: name,
                detail: brand.unwrap_or_default(),
                totals: build::totals_dto(&totals, &currency),
            };
            (currency, totals, row)
        })
        .collect();
    // By currency (amounts in different currencies don't compare), then the programs that earn
    // most first, then the busiest.
    programs.sort_by(|(c, a, x), (d, b, y)| {
        c.cmp(d)
            .then_with(|| (b.commission, b.clicks).cmp(&(a.commission, a.clicks)))
            .then_with(|| x.label.cmp(&y.label))
    });
    Ok(Some(AcrossProgramsDto {
        period_label,
        programs: programs.into_iter().map(|(.., row)| row).collect(),
        currencies: per_currency
            .iter()
            .map(|(currency, totals)| RowDto {
                label: currency.clone(),
                detail: String::new(),
                totals: build::totals_dto(totals, currency),
            })
            .collect(),
    }))
}

#[cfg(feature = "ssr")]
fn add(sum: &mut crate::backend::repos::reports::Totals, more: &crate::backend::repos::reports::Totals) {
    sum.clicks += more.clicks;
    sum.unique_clicks += more.unique_clicks;
    sum.conversions += more.conversions;
    sum.revenue += more.revenue;
    sum.commission += more.commission;
}
