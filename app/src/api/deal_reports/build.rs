//! Assembling the report: the filters as typed, each table sorted and paged as the URL says,
//! the headline cards, the charts, and the chosen program's stage probabilities.

use super::tables::{self, DealTable, Loaded};
use super::{CardDto, ChartDto, ColumnDto, DealReportDto, ProbabilitiesDto, SectionDto, TableDto};
use crate::api::error::AppError;
use crate::api::reports::ProgramChoice;
use crate::backend::repos::deal_reports::Filter;
use crate::backend::repos::{programs, stage_probabilities};
use crate::backend::scope::Scope;
use crate::domain::deals::forecast::Stage;
use crate::domain::deals::probability_form::OPEN_STAGES;
use crate::domain::deals::report::{self, DateRange, SlaCounts};
use crate::domain::partner_kind::PartnerKind;
use crate::domain::report_table::{percent_text, Table};
use crate::domain::{money, validate::FieldErrors};
use diesel_async::AsyncPgConnection;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use time::OffsetDateTime;

/// Rows per page of a table.
pub const PER_PAGE: usize = 20;

/// The filters as typed, over the operator's `scope`: an unknown partner kind or an unreadable
/// date is an error on its field, and a program outside the scope doesn't exist.
pub fn filter(
    scope: &Scope,
    program: Option<i64>,
    kind: Option<String>,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Filter, AppError> {
    let mut errors = FieldErrors::default();
    let kind = kind.filter(|k| !k.is_empty());
    if let Some(k) = &kind {
        errors.check(
            "kind",
            PartnerKind::parse(k).map_err(|_| "Choose a partner kind from the list.".to_owned()),
        );
    }
    let range = errors
        .check("dates", DateRange::parse(from, to).map_err(|(_, message)| message))
        .unwrap_or_default();
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let program_id = program.filter(|id| *id > 0);
    if program_id.is_some_and(|id| !scope.has_program(id)) {
        return Err(AppError::NotFound(crate::backend::ctx::NO_SUCH_PROGRAM.into()));
    }
    Ok(Filter {
        in_scope: scope.programs.clone(),
        program_id,
        partner_kind: kind,
        from: range.from,
        to: range.to,
    })
}

/// The filter as query parameters, for CSV links.
pub fn filter_query(filter: &Filter) -> Vec<(&'static str, String)> {
    let mut pairs = Vec::new();
    if let Some(id) = filter.program_id {
        pairs.push(("program", id.to_string()));
    }
    if let Some(kind) = &filter.partner_kind {
        pairs.push(("kind", kind.clone()));
    }
    if let Some(from) = filter.from {
        pairs.push(("from", from.to_string()));
    }
    if let Some(to) = filter.to {
        pairs.push(("to", to.to_string()));
    }
    pairs
}

/// `partners_sort=value&partners_page=2` → the sort key and page of `table`.
fn view_of(view: &str, table: DealTable) -> (String, i64) {
    let value = |suffix: &str| {
        let name = format!("{}_{suffix}", table.slug());
        view.split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_owned())
    };
    let page = value("page").and_then(|p| p.parse().ok()).unwrap_or(1);
    (value("sort").unwrap_or_default(), page)
}

/// A table sorted by `sort` (an unknown key keeps its own order).
pub fn sorted(which: DealTable, loaded: &Loaded, sort: &str) -> (Table, String) {
    let mut table = tables::table(which, loaded);
    let applied = if table.sort_by(sort) {
        sort.to_owned()
    } else {
        String::new()
    };
    (table, applied)
}

/// The CSV export of a table with the page's filters and sort. Every value is an id, a partner
/// kind from the list, a date or a column key, all checked already, so none needs escaping.
pub fn csv_href(which: DealTable, filter: &Filter, sort: &str) -> String {
    let mut pairs = vec![("table", which.slug().to_owned())];
    pairs.extend(filter_query(filter));
    if !sort.is_empty() {
        pairs.push(("sort", sort.to_owned()));
    }
    let query: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("/console/reports/deals.csv?{}", query.join("&"))
}

fn table_dto(which: DealTable, loaded: &Loaded, filter: &Filter, view: &str, extra_intro: String) -> TableDto {
    let (sort, page) = view_of(view, which);
    let (table, sort) = sorted(which, loaded, &sort);
    let numeric = table.numeric_columns();
    let (rows, page, pages) = table.page(page, PER_PAGE);
    TableDto {
        id: which.slug().to_owned(),
        title: which.title().to_owned(),
        intro: extra_intro,
        columns: table
            .columns
            .iter()
            .zip(numeric)
            .map(|(c, numeric)| ColumnDto {
                key: c.key.to_owned(),
                label: c.label.to_owned(),
                numeric,
            })
            .collect(),
        rows: rows
            .iter()
            .map(|row| row.iter().map(|c| c.display()).collect())
            .collect(),
        csv_href: csv_href(which, filter, &sort),
        sort,
        page,
        pages,
        total: table.rows.len() as i64,
        empty: which.empty().to_owned(),
    }
}

/// One amount per currency: ["EUR 5,000.00", "USD 7,800.00"] (["—"] for none).
fn per_currency(amounts: BTreeMap<String, Decimal>) -> Vec<String> {
    if amounts.is_empty() {
        return vec!["—".into()];
    }
    amounts
        .iter()
        .map(|(currency, amount)| money::format(*amount, currency))
        .collect()
}

fn cards(loaded: &Loaded) -> Vec<CardDto> {
    let mut open: BTreeMap<String, Decimal> = BTreeMap::new();
    for g in &loaded.open {
        *open.entry(g.currency.clone()).or_default() += g.value;
    }
    let open_deals: i64 = loaded.open.iter().map(|g| g.deals).sum();
    let mut forecast_total: BTreeMap<String, Decimal> = BTreeMap::new();
    for row in tables::forecast_rows(loaded) {
        *forecast_total.entry(row.currency).or_default() += row.total;
    }
    let (won, lost) = loaded.kinds.iter().fold((0, 0), |(w, l), k| (w + k.won, l + k.lost));
    let sla = loaded
        .sla
        .iter()
        .map(tables::sla_counts)
        .fold(SlaCounts::default(), |total, counts| total + counts);
    let quarter = loaded.quarter.as_ref().map_or_else(String::new, |q| q.label.clone());
    vec![
        CardDto {
            label: "Open pipeline".into(),
            values: per_currency(open),
            hint: format!("{open_deals} open deal{}", if open_deals == 1 { "" } else { "s" }),
        },
        CardDto {
            label: format!("Forecast {quarter}"),
            values: per_currency(forecast_total),
            hint: "weighted by stage, plus deals won".into(),
        },
        CardDto {
            label: "Win rate".into(),
            values: vec![percent_text(report::win_rate(won, lost))],
            hint: format!("{won} won, {lost} lost"),
        },
        CardDto {
            label: "Approval SLA".into(),
            values: vec![percent_text(sla.compliance())],
            hint: format!("decided in time; {} pending overdue", sla.pending_overdue),
        },
    ]
}

fn stage_chart(loaded: &Loaded) -> ChartDto {
    let bars = OPEN_STAGES
        .iter()
        .map(|stage| {
            let count = |status: &str| {
                loaded
                    .open
                    .iter()
                    .filter(|g| g.stage == stage.as_str() && g.status == status)
                    .map(|g| g.deals)
                    .sum()
            };
            (
                tables::stage_label(stage.as_str()),
                vec![count("pending"), count("approved")],
            )
        })
        .collect();
    ChartDto {
        title: "Open deals by stage".into(),
        series: vec!["Pending approval".into(), "Approved".into()],
        bars,
    }
}

fn velocity_chart(loaded: &Loaded) -> ChartDto {
    ChartDto {
        title: "Registrations per week".into(),
        series: vec!["Registrations".into()],
        bars: loaded
            .weekly
            .iter()
            .map(|(week, n)| (week.to_string()[5..].to_owned(), vec![*n]))
            .collect(),
    }
}

async fn probabilities(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    program_id: Option<i64>,
    can_manage: bool,
) -> Result<Option<ProbabilitiesDto>, AppError> {
    let Some(id) = program_id else { return Ok(None) };
    let program = programs::get_in_scope(conn, scope, id)
        .await?
        .ok_or_else(|| AppError::NotFound(crate::backend::ctx::NO_SUCH_PROGRAM.into()))?;
    let p = stage_probabilities::get(conn, id).await?;
    Ok(Some(ProbabilitiesDto {
        program_id: id,
        program_name: program.name,
        stages: OPEN_STAGES
            .iter()
            .map(|s: &Stage| {
                (
                    s.as_str().to_owned(),
                    tables::stage_label(s.as_str()),
                    p.of(*s).to_string(),
                )
            })
            .collect(),
        can_manage,
    }))
}

pub async fn report(
    conn: &mut AsyncPgConnection,
    filter: Filter,
    view: &str,
    now: OffsetDateTime,
    can_manage: bool,
    scope: &Scope,
) -> Result<DealReportDto, AppError> {
    let loaded = tables::load(conn, &filter, now, &DealTable::ALL).await?;
    let quarter = loaded.quarter.clone().unwrap_or_else(|| report::quarter_of(now.date()));
    let sections = DealTable::ALL
        .into_iter()
        .map(|which| {
            let intro = intro(which, &quarter, &loaded);
            let chart = match which {
                DealTable::Stages => Some(stage_chart(&loaded)),
                DealTable::Velocity => Some(velocity_chart(&loaded)),
                _ => None,
            };
            SectionDto {
                table: table_dto(which, &loaded, &filter, view, intro),
                chart,
            }
        })
        .collect();
    // The SLA table has a row for every program with a registration in scope.
    let has_deals = !loaded.sla.is_empty();
    Ok(DealReportDto {
        programs: programs::list(conn, scope)
            .await?
            .into_iter()
            .map(|(p, _)| ProgramChoice { id: p.id, name: p.name })
            .collect(),
        kinds: PartnerKind::ALL
            .iter()
            .map(|k| (k.as_str().to_owned(), k.label().to_owned()))
            .collect(),
        program: filter.program_id,
        kind: filter.partner_kind.clone(),
        from: filter.from.map(|d| d.to_string()).unwrap_or_default(),
        to: filter.to.map(|d| d.to_string()).unwrap_or_default(),
        quarter: quarter.label.clone(),
        has_deals,
        cards: cards(&loaded),
        sections,
        probabilities: probabilities(conn, scope, filter.program_id, can_manage).await?,
    })
}

fn intro(which: DealTable, quarter: &report::Quarter, loaded: &Loaded) -> String {
    match which {
        DealTable::Stages | DealTable::Programs | DealTable::Partners => {
            "Open deals: pending approval, or approved and still protected. Weighted value is value × the program's stage probability.".into()
        }
        DealTable::Forecast => format!(
            "{} ({} to {}): open deals expected to close this quarter, weighted by stage probability, plus deals won this quarter at 100%. The dates above don't apply here.",
            quarter.label, quarter.first, quarter.last
        ),
        DealTable::Kinds => "Average won deal is the mean value of won deals; win rate is won ÷ (won + lost).".into(),
        DealTable::Velocity => match (loaded.weeks.first(), loaded.weeks.last()) {
            (Some(first), Some(last)) => format!(
                "Registrations per week (Monday to Sunday, UTC), from the week of {first} to the week of {last}."
            ),
            _ => String::new(),
        },
        DealTable::Sla => "Share of approved or rejected registrations decided within the program's approval SLA, and pending ones already past it.".into(),
        DealTable::MdfUse => "Funds whose period overlaps the dates above. Utilization is what was approved for activities (claimed, payable or paid included) over what was allocated.".into(),
        DealTable::MdfRoi => "Each activity's cost is its approved claims; its revenue is the value of won deals that name it as their source. ROI is (revenue − cost) ÷ cost.".into(),
    }
}
