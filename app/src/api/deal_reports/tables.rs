//! The report's tables, defined once for the page and the CSV export. Each table names the
//! queries it needs; `load` runs only those, and `table` turns their rows into typed cells.
//! A new table is a variant here, its query, and its rows below.

use crate::backend::repos::deal_reports::{
    self as q, Filter, ForecastGroup, KindOutcome, OpenGroup, PartnerGroup, SlaGroup,
};
use crate::backend::repos::mdf_reports::{self, ActivityReturn, FundUse};
use crate::backend::repos::stage_probabilities;
use crate::domain::deals::forecast::{self, Probabilities, Stage};
use crate::domain::deals::report::{self, Quarter, SlaCounts};
use crate::domain::partner_kind::PartnerKind;
use crate::domain::report_table::{Cell, Table};
use diesel::QueryResult;
use diesel_async::AsyncPgConnection;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};
use time::{Date, OffsetDateTime};

/// Weeks in the registration velocity table and chart.
pub const WEEKS: usize = 12;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DealTable {
    Stages,
    Forecast,
    Programs,
    Partners,
    Kinds,
    Velocity,
    Sla,
    MdfUse,
    MdfRoi,
}

impl DealTable {
    /// In the page's order.
    pub const ALL: [DealTable; 9] = [
        Self::Stages,
        Self::Forecast,
        Self::Programs,
        Self::Partners,
        Self::Kinds,
        Self::Velocity,
        Self::Sla,
        Self::MdfUse,
        Self::MdfRoi,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Self::Stages => "stages",
            Self::Forecast => "forecast",
            Self::Programs => "programs",
            Self::Partners => "partners",
            Self::Kinds => "kinds",
            Self::Velocity => "velocity",
            Self::Sla => "sla",
            Self::MdfUse => "mdf_utilization",
            Self::MdfRoi => "mdf_roi",
        }
    }

    pub fn parse(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.slug() == slug)
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::Stages => "Pipeline by stage",
            Self::Forecast => "This quarter's forecast",
            Self::Programs => "Pipeline by program",
            Self::Partners => "Pipeline by partner",
            Self::Kinds => "Deal size and win rate by partner kind",
            Self::Velocity => "Registration velocity",
            Self::Sla => "Approval SLA compliance",
            Self::MdfUse => "MDF utilization",
            Self::MdfRoi => "MDF return on investment",
        }
    }

    pub fn empty(self) -> &'static str {
        match self {
            Self::Stages | Self::Programs | Self::Partners => {
                "No open deals match these filters. Deals show here once partners register them in the portal \
                 (pending or approved); widen the dates or clear the filters to see more."
            }
            Self::Forecast => {
                "No open deal is expected to close this quarter and none was won in it. Partners set the \
                 expected close date when they register a deal; approved deals move through the stages."
            }
            Self::Kinds => "No deals were registered by partners of these kinds in this period.",
            Self::Velocity => "No deals were registered in these twelve weeks.",
            Self::Sla => {
                "No registrations match these filters, so there is nothing to measure yet. Each program's \
                 approval SLA is set in its deal settings."
            }
            Self::MdfUse => "No market development funds match these filters. Funds are set up in a program's MDF tab.",
            Self::MdfRoi => {
                "No MDF activity has an approved claim or a won deal yet. Partners name the activity that \
                 sourced a deal when they register it."
            }
        }
    }
}

/// The rows the tables are made of; only what the requested tables need is loaded.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    pub quarter: Option<Quarter>,
    /// The Mondays of the velocity weeks, oldest first.
    pub weeks: Vec<Date>,
    pub probabilities: HashMap<i64, Probabilities>,
    pub open: Vec<OpenGroup>,
    pub partners: Vec<PartnerGroup>,
    pub forecast: Vec<ForecastGroup>,
    pub kinds: Vec<KindOutcome>,
    pub weekly: Vec<(Date, i64)>,
    pub sla: Vec<SlaGroup>,
    pub fund_use: Vec<FundUse>,
    pub returns: Vec<ActivityReturn>,
}

impl Loaded {
    fn probabilities_of(&self, program_id: i64) -> Probabilities {
        self.probabilities.get(&program_id).cloned().unwrap_or_default()
    }
}

/// Runs the queries `tables` need. The quarter is today's; the velocity weeks end with the
/// filter's end date (or today).
pub async fn load(
    conn: &mut AsyncPgConnection,
    filter: &Filter,
    now: OffsetDateTime,
    tables: &[DealTable],
) -> QueryResult<Loaded> {
    use DealTable::*;
    let needs = |wanted: &[DealTable]| tables.iter().any(|t| wanted.contains(t));
    let today = now.date();
    let mut loaded = Loaded::default();
    if needs(&[Stages, Programs, Forecast]) {
        loaded.probabilities = stage_probabilities::all(conn).await?;
    }
    if needs(&[Stages, Programs]) {
        loaded.open = q::open_pipeline(conn, filter).await?;
    }
    if needs(&[Partners]) {
        loaded.partners = q::open_by_partner(conn, filter).await?;
    }
    if needs(&[Forecast]) {
        let quarter = report::quarter_of(today);
        loaded.forecast = q::forecast(conn, filter, quarter.first, quarter.last).await?;
        loaded.quarter = Some(quarter);
    }
    if needs(&[Kinds]) {
        loaded.kinds = q::outcomes_by_kind(conn, filter).await?;
    }
    if needs(&[Velocity]) {
        let last = filter.to.unwrap_or(today);
        loaded.weeks = report::weeks_ending(last, WEEKS);
        let first = loaded.weeks.first().copied().unwrap_or(last);
        let counted = q::weekly_registrations(conn, filter, first, last).await?;
        loaded.weekly = report::per_week(&loaded.weeks, &counted);
    }
    if needs(&[Sla]) {
        loaded.sla = q::sla_by_program(conn, filter, now).await?;
    }
    if needs(&[MdfUse]) {
        loaded.fund_use = mdf_reports::fund_use(conn, filter).await?;
    }
    if needs(&[MdfRoi]) {
        loaded.returns = mdf_reports::activity_returns(conn, filter).await?;
    }
    Ok(loaded)
}

pub fn stage_label(stage: &str) -> String {
    let mut chars = stage.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

pub fn kind_label(kind: &str) -> String {
    PartnerKind::parse(kind).map_or_else(|_| kind.to_owned(), |k| k.label().to_owned())
}

fn text(value: impl Into<String>) -> Cell {
    Cell::Text(value.into())
}

fn money(amount: Decimal, currency: &str) -> Cell {
    Cell::Money(amount, currency.to_owned())
}

fn percent(value: Option<Decimal>) -> Cell {
    value.map_or(Cell::Missing, Cell::Percent)
}

/// Value times each program's probability for its stage, summed.
fn weighted<'a>(groups: impl Iterator<Item = &'a OpenGroup>, loaded: &Loaded) -> Decimal {
    groups
        .map(|g| {
            let stage = Stage::parse(&g.stage).unwrap_or(Stage::Registered);
            forecast::weighted(g.value, stage, &loaded.probabilities_of(g.program_id))
        })
        .sum()
}

/// The open groups, gathered under a key (kept in key order).
fn gather<K: Ord>(groups: &[OpenGroup], key: impl Fn(&OpenGroup) -> K) -> BTreeMap<K, Vec<&OpenGroup>> {
    let mut map: BTreeMap<K, Vec<&OpenGroup>> = BTreeMap::new();
    for g in groups {
        map.entry(key(g)).or_default().push(g);
    }
    map
}

fn count_where(groups: &[&OpenGroup], status: Option<&str>) -> i64 {
    groups
        .iter()
        .filter(|g| status.is_none_or(|s| g.status == s))
        .map(|g| g.deals)
        .sum()
}

pub fn table(which: DealTable, loaded: &Loaded) -> Table {
    match which {
        DealTable::Stages => stages(loaded),
        DealTable::Forecast => forecast_table(loaded),
        DealTable::Programs => programs(loaded),
        DealTable::Partners => partners(loaded),
        DealTable::Kinds => kinds(loaded),
        DealTable::Velocity => velocity(loaded),
        DealTable::Sla => sla(loaded),
        DealTable::MdfUse => mdf_use(loaded),
        DealTable::MdfRoi => mdf_roi(loaded),
    }
}

fn stages(loaded: &Loaded) -> Table {
    let mut t = Table::new(&[
        ("stage", "Stage"),
        ("currency", "Currency"),
        ("deals", "Open deals"),
        ("pending", "Pending approval"),
        ("approved", "Approved"),
        ("value", "Value"),
        ("weighted_value", "Weighted value"),
    ]);
    let order = |stage: &str| Stage::parse(stage).map_or(9, |s| s as usize);
    for ((_, stage, currency), groups) in
        gather(&loaded.open, |g| (order(&g.stage), g.stage.clone(), g.currency.clone()))
    {
        let value = groups.iter().map(|g| g.value).sum();
        t.push(vec![
            text(stage_label(&stage)),
            text(&currency),
            Cell::Count(count_where(&groups, None)),
            Cell::Count(count_where(&groups, Some("pending"))),
            Cell::Count(count_where(&groups, Some("approved"))),
            money(value, &currency),
            money(weighted(groups.into_iter(), loaded), &currency),
        ]);
    }
    t
}

fn programs(loaded: &Loaded) -> Table {
    let mut t = Table::new(&[
        ("program", "Program"),
        ("currency", "Currency"),
        ("deals", "Open deals"),
        ("value", "Value"),
        ("weighted_value", "Weighted value"),
    ]);
    for ((program, _, currency), groups) in
        gather(&loaded.open, |g| (g.program.clone(), g.program_id, g.currency.clone()))
    {
        t.push(vec![
            text(program),
            text(&currency),
            Cell::Count(count_where(&groups, None)),
            money(groups.iter().map(|g| g.value).sum(), &currency),
            money(weighted(groups.into_iter(), loaded), &currency),
        ]);
    }
    t
}

/// One program's forecast in one currency.
#[derive(Clone, Debug, PartialEq)]
pub struct ForecastRow {
    pub program: String,
    pub currency: String,
    pub open_deals: i64,
    pub open_value: Decimal,
    pub weighted: Decimal,
    pub won: Decimal,
    /// Weighted open value plus won value.
    pub total: Decimal,
}

pub fn forecast_rows(loaded: &Loaded) -> Vec<ForecastRow> {
    let mut by_program: BTreeMap<(String, i64, String), Vec<&ForecastGroup>> = BTreeMap::new();
    for g in &loaded.forecast {
        by_program
            .entry((g.program.clone(), g.program_id, g.currency.clone()))
            .or_default()
            .push(g);
    }
    by_program
        .into_iter()
        .map(|((program, program_id, currency), groups)| {
            let p = loaded.probabilities_of(program_id);
            let staged: Vec<(Decimal, Stage)> = groups
                .iter()
                .map(|g| (g.value, Stage::parse(&g.stage).unwrap_or(Stage::Registered)))
                .collect();
            let open: Vec<_> = staged.iter().copied().filter(|(_, s)| !s.is_closed()).collect();
            ForecastRow {
                program,
                currency,
                open_deals: groups.iter().filter(|g| g.stage != "won").map(|g| g.deals).sum(),
                open_value: open.iter().map(|(v, _)| *v).sum(),
                weighted: forecast::forecast(open.iter().copied(), &p),
                won: staged.iter().filter(|(_, s)| *s == Stage::Won).map(|(v, _)| *v).sum(),
                total: forecast::forecast(staged, &p),
            }
        })
        .collect()
}

fn forecast_table(loaded: &Loaded) -> Table {
    let mut t = Table::new(&[
        ("program", "Program"),
        ("currency", "Currency"),
        ("open_deals", "Open deals closing"),
        ("open_value", "Their value"),
        ("weighted_value", "Weighted"),
        ("won_value", "Won this quarter"),
        ("forecast", "Forecast"),
    ]);
    for row in forecast_rows(loaded) {
        let c = &row.currency;
        t.push(vec![
            text(&row.program),
            text(c),
            Cell::Count(row.open_deals),
            money(row.open_value, c),
            money(row.weighted, c),
            money(row.won, c),
            money(row.total, c),
        ]);
    }
    t
}

fn partners(loaded: &Loaded) -> Table {
    let mut t = Table::new(&[
        ("partner", "Partner"),
        ("kind", "Kind"),
        ("currency", "Currency"),
        ("deals", "Open deals"),
        ("value", "Value"),
    ]);
    for g in &loaded.partners {
        t.push(vec![
            text(&g.partner),
            text(kind_label(&g.kind)),
            text(&g.currency),
            Cell::Count(g.deals),
            money(g.value, &g.currency),
        ]);
    }
    t
}

fn kinds(loaded: &Loaded) -> Table {
    let mut t = Table::new(&[
        ("partner_kind", "Partner kind"),
        ("currency", "Currency"),
        ("registered", "Registered"),
        ("won", "Won"),
        ("lost", "Lost"),
        ("win_rate", "Win rate"),
        ("average_won", "Average won deal"),
    ]);
    for k in &loaded.kinds {
        t.push(vec![
            text(kind_label(&k.kind)),
            text(&k.currency),
            Cell::Count(k.registered),
            Cell::Count(k.won),
            Cell::Count(k.lost),
            percent(report::win_rate(k.won, k.lost)),
            report::average(k.won_value, k.won).map_or(Cell::Missing, |a| money(a, &k.currency)),
        ]);
    }
    t
}

fn velocity(loaded: &Loaded) -> Table {
    let mut t = Table::new(&[("week", "Week of"), ("registrations", "Registrations")]);
    if loaded.weekly.iter().all(|(_, n)| *n == 0) {
        return t;
    }
    for (week, n) in &loaded.weekly {
        t.push(vec![Cell::Day(*week), Cell::Count(*n)]);
    }
    t
}

pub fn sla_counts(g: &SlaGroup) -> SlaCounts {
    SlaCounts {
        decided: g.decided,
        decided_on_time: g.decided_on_time,
        pending: g.pending,
        pending_overdue: g.pending_overdue,
    }
}

fn sla(loaded: &Loaded) -> Table {
    let mut t = Table::new(&[
        ("program", "Program"),
        ("sla_hours", "SLA (hours)"),
        ("decided", "Decided"),
        ("decided_on_time", "Decided in time"),
        ("compliance", "Compliance"),
        ("pending", "Pending"),
        ("pending_overdue", "Pending and overdue"),
    ]);
    for g in &loaded.sla {
        let counts = sla_counts(g);
        t.push(vec![
            text(&g.program),
            Cell::Count(i64::from(g.sla_hours)),
            Cell::Count(g.decided),
            Cell::Count(g.decided_on_time),
            percent(counts.compliance()),
            Cell::Count(g.pending),
            Cell::Count(g.pending_overdue),
        ]);
    }
    t
}

/// The part of `whole` that `part` is, in percent; none of nothing.
fn share(part: Decimal, whole: Decimal) -> Cell {
    percent((!whole.is_zero()).then(|| (part * Decimal::ONE_HUNDRED / whole).round_dp(1)))
}

fn mdf_use(loaded: &Loaded) -> Table {
    let mut t = Table::new(&[
        ("program", "Program"),
        ("fund", "Fund"),
        ("currency", "Currency"),
        ("partners", "Partners"),
        ("allocated", "Allocated"),
        ("committed", "Approved for activities"),
        ("claimed", "Claimed"),
        ("paid", "Paid"),
        ("expired", "Expired"),
        ("available", "Available"),
        ("utilization", "Utilization"),
    ]);
    for f in &loaded.fund_use {
        let c = &f.currency;
        t.push(vec![
            text(&f.program),
            text(&f.fund),
            text(c),
            Cell::Count(f.partners),
            money(f.allocated, c),
            money(f.committed, c),
            money(f.claimed, c),
            money(f.paid, c),
            money(f.expired, c),
            money(f.available, c),
            share(f.committed, f.allocated),
        ]);
    }
    t
}

fn mdf_roi(loaded: &Loaded) -> Table {
    let mut t = Table::new(&[
        ("request", "Activity"),
        ("partner", "Partner"),
        ("currency", "Currency"),
        ("cost", "Cost (approved claims)"),
        ("won_deals", "Won deals"),
        ("revenue", "Won revenue"),
        ("roi", "ROI"),
    ]);
    for r in &loaded.returns {
        let c = &r.currency;
        t.push(vec![
            text(format!("#{} {}", r.request_id, r.activity)),
            text(&r.partner),
            text(c),
            money(r.cost, c),
            Cell::Count(r.won_deals),
            money(r.revenue, c),
            // Return on what the activity cost: (revenue - cost) / cost.
            share(r.revenue - r.cost, r.cost),
        ]);
    }
    t
}
