//! From the home page's facts to its figures per currency: totals of both periods with their
//! change, the daily trend and the two partner lists.

use super::{CurrencyDto, MetricDto, PartnerLineDto};
use crate::api::reports::DayDto;
use crate::backend::repos::home_figures::{Amounts, Day, Figures, PartnerTotals};
use crate::domain::home::change::{change, change_of_counts, Change};
use crate::domain::home::partners::{self, Compared, Numbers, LISTED};
use crate::domain::home::window::Windows;
use crate::domain::period::Period;
use crate::domain::{format, money};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

pub fn brands_label(all_brands: bool, names: &[String]) -> String {
    match (all_brands, names.is_empty()) {
        (true, _) => "All brands".into(),
        (false, true) => "No brands yet: ask an admin to give you some".into(),
        (false, false) => names.join(", "),
    }
}

/// "6 Nov 2026 to 5 Dec 2026"
pub fn period_label(period: Period) -> String {
    let day = |d: time::Date| format::date(d.midnight().assume_utc());
    format!("{} to {}", day(period.from), day(period.to))
}

/// One block per currency of the operator's programs (and of any deal or fund in another).
pub fn currencies(f: &Figures, windows: &Windows) -> Vec<CurrencyDto> {
    let mut all: Vec<&str> = f.currencies.iter().map(String::as_str).collect();
    all.extend(f.pipeline.iter().chain(&f.mdf_spent).map(|a| a.currency.as_str()));
    all.sort_unstable();
    all.dedup();
    all.into_iter().map(|c| currency(c, f, windows)).collect()
}

/// The rollups of one period.
#[derive(Default)]
struct Sum {
    clicks: i64,
    conversions: i64,
    revenue: Decimal,
    commission: Decimal,
}

fn sum(days: &[&Day], period: Period) -> Sum {
    days.iter()
        .filter(|d| d.day >= period.from && d.day <= period.to)
        .fold(Sum::default(), |s, d| Sum {
            clicks: s.clicks + d.clicks,
            conversions: s.conversions + d.conversions,
            revenue: s.revenue + d.revenue,
            commission: s.commission + d.commission,
        })
}

fn amounts(rows: &[Amounts], c: &str) -> (Decimal, Decimal) {
    rows.iter()
        .find(|a| a.currency == c)
        .map_or((Decimal::ZERO, Decimal::ZERO), |a| (a.current, a.previous))
}

fn currency(c: &str, f: &Figures, windows: &Windows) -> CurrencyDto {
    let days: Vec<&Day> = f.days.iter().filter(|d| d.currency == c).collect();
    let (now, before) = (sum(&days, windows.current), sum(&days, windows.previous));
    let (joined_now, joined_before, active) = f
        .joined
        .iter()
        .find(|j| j.currency == c)
        .map_or((0, 0, 0), |j| (j.current, j.previous, j.active));
    let metrics = vec![
        count_metric("clicks", "Clicks", (now.clicks, before.clicks), None),
        count_metric(
            "conversions",
            "Conversions",
            (now.conversions, before.conversions),
            None,
        ),
        money_metric(
            "revenue",
            "Revenue",
            (now.revenue, before.revenue),
            c,
            Some("net of refunds"),
        ),
        money_metric("commission", "Commission", (now.commission, before.commission), c, None),
        count_metric(
            "new_partners",
            "New partners",
            (joined_now, joined_before),
            Some(format!("{active} active now")),
        ),
        pipeline_metric(amounts(&f.pipeline, c), c),
        money_metric(
            "mdf_spent",
            "MDF spent",
            amounts(&f.mdf_spent, c),
            c,
            Some("claims approved for payment"),
        ),
    ];
    let daily = windows
        .both()
        .dates()
        .into_iter()
        .map(|date| {
            let day = days.iter().find(|d| d.day == date);
            DayDto {
                day: date.to_string(),
                clicks: day.map_or(0, |d| d.clicks),
                conversions: day.map_or(0, |d| d.conversions),
                commission: day.and_then(|d| d.commission.to_f64()).unwrap_or(0.0),
            }
        })
        .collect();
    let compared: Vec<Compared> = f.partners.iter().filter(|p| p.currency == c).map(to_compared).collect();
    let line = |p: &&Compared| partner_line(p, c);
    CurrencyDto {
        currency: c.into(),
        metrics,
        daily,
        top: partners::top(&compared, LISTED).iter().map(line).collect(),
        fell: partners::fell_most(&compared, LISTED).iter().map(line).collect(),
    }
}

fn metric(
    key: &str,
    label: &str,
    (value, previous): (String, String),
    moved: Change,
    hint: Option<String>,
) -> MetricDto {
    MetricDto {
        key: key.into(),
        label: label.into(),
        value,
        previous,
        trend: moved.trend.as_str().into(),
        change: moved.short(),
        change_words: moved.words(),
        hint,
    }
}

/// How the earlier figure reads under the current one.
fn before(text: String) -> String {
    format!("{text} in the 30 days before")
}

fn count_metric(key: &str, label: &str, (now, then): (i64, i64), hint: Option<String>) -> MetricDto {
    let shown = (now.to_string(), before(then.to_string()));
    metric(key, label, shown, change_of_counts(then, now), hint)
}

fn money_metric(key: &str, label: &str, (now, then): (Decimal, Decimal), c: &str, hint: Option<&str>) -> MetricDto {
    let shown = (money::format(now, c), before(money::format(then, c)));
    metric(key, label, shown, change(then, now), hint.map(str::to_owned))
}

/// The pipeline is a standing amount: now against 30 days ago.
fn pipeline_metric((now, then): (Decimal, Decimal), c: &str) -> MetricDto {
    let shown = (money::format(now, c), format!("{} 30 days ago", money::format(then, c)));
    let hint = Some("pending and protected deals".to_owned());
    metric("pipeline", "Open pipeline", shown, change(then, now), hint)
}

fn to_compared(p: &PartnerTotals) -> Compared {
    Compared {
        partner_id: p.partner_id,
        name: p.name.clone(),
        current: Numbers {
            clicks: p.clicks_now,
            conversions: p.conversions_now,
            revenue: p.revenue_now,
        },
        previous: Numbers {
            clicks: p.clicks_before,
            conversions: p.conversions_before,
            revenue: p.revenue_before,
        },
    }
}

fn partner_line(p: &Compared, c: &str) -> PartnerLineDto {
    let moved = change(p.previous.revenue, p.current.revenue);
    PartnerLineDto {
        name: p.name.clone(),
        clicks: p.current.clicks,
        conversions: p.current.conversions,
        revenue: money::format(p.current.revenue, c),
        previous_revenue: money::format(p.previous.revenue, c),
        trend: moved.trend.as_str().into(),
        change: moved.short(),
        change_words: moved.words(),
    }
}
