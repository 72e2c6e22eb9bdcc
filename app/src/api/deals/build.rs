//! DTOs from deal rows: names, labels, money and dates as the pages show them.

use super::{DealDetailDto, DealRowDto, ExtensionDto, HistoryLineDto, StageTotalDto};
use crate::backend::repos::deal_history::{DealEventRow, ExtensionRow};
use crate::backend::repos::deals::DealListing;
use crate::domain::commission::sla;
use crate::domain::deals::forecast::Stage;
use crate::domain::deals::lifecycle::{self, stage_label, Status};
use crate::domain::partner_kind::PartnerKind;
use crate::domain::{country, format, money};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use time::OffsetDateTime;

pub fn row(listing: &DealListing, console: bool, now: OffsetDateTime) -> DealRowDto {
    let deal = &listing.deal;
    let status = Status::parse(&deal.status).unwrap_or(Status::Rejected);
    let stage = Stage::parse(&deal.stage).unwrap_or(Stage::Registered);
    let (sla_state, waited) = if status == Status::Pending {
        let due = sla::sla(
            deal.submitted_at,
            now,
            listing.sla_hours,
            listing.sla_hours.saturating_mul(2),
        );
        (Some(due), sla::waited_text(deal.submitted_at, now))
    } else {
        (None, String::new())
    };
    DealRowDto {
        id: deal.id,
        company: deal.company.clone(),
        domain: deal.domain.clone(),
        program_name: listing.program_name.clone(),
        partner_name: if console {
            listing.partner_name.clone()
        } else {
            String::new()
        },
        partner_kind: PartnerKind::parse(&listing.partner_kind)
            .map_or(listing.partner_kind.clone(), |k| k.label().into()),
        stage: stage.as_str().into(),
        stage_label: stage_label(stage).into(),
        status: status.as_str().into(),
        status_label: status.label().into(),
        value: money::format(deal.value, &deal.currency),
        expected_close: deal.expected_close.to_string(),
        protected_until: deal.protected_until.map(format::date),
        submitted_at: format::datetime(deal.submitted_at),
        sla: sla_state.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        sla_label: sla_state
            .map(|s| format!("{} (SLA {} h)", s.label(), listing.sla_hours))
            .unwrap_or_default(),
        waited,
        warnings: if console { deal.warnings.clone() } else { vec![] },
    }
}

/// Count and value per stage, open stages first; values are summed per currency.
pub fn stage_totals(listings: &[DealListing]) -> Vec<StageTotalDto> {
    Stage::ALL
        .into_iter()
        .map(|stage| {
            let mut sums: BTreeMap<&str, Decimal> = BTreeMap::new();
            let mut count = 0;
            for l in listings
                .iter()
                .filter(|l| l.deal.stage == stage.as_str() && l.deal.status != "rejected" && l.deal.status != "expired")
            {
                count += 1;
                *sums.entry(l.deal.currency.as_str()).or_default() += l.deal.value;
            }
            let value = if sums.is_empty() {
                "—".to_owned()
            } else {
                sums.iter()
                    .map(|(c, v)| money::format(*v, c))
                    .collect::<Vec<_>>()
                    .join(" + ")
            };
            StageTotalDto {
                stage: stage.as_str().into(),
                label: stage_label(stage).into(),
                count,
                value,
            }
        })
        .collect()
}

fn event_text(event: &DealEventRow, currency: &str) -> String {
    let value = event.value.map(|v| money::format(v, currency));
    let stage = event
        .stage
        .as_deref()
        .and_then(Stage::parse)
        .map(stage_label)
        .unwrap_or_default();
    let mut text = match event.kind.as_str() {
        "submitted" => format!("Registered at {}", value.unwrap_or_default()),
        "approved" => "Approved; the account is protected".into(),
        "rejected" => "Rejected".into(),
        "stage" => format!("Moved to {stage} at {}", value.unwrap_or_default()),
        "corrected" => format!(
            "Corrected by the program team: {stage} at {}",
            value.unwrap_or_default()
        ),
        "extension_requested" => "Asked for more protection".into(),
        "extension_approved" => "Extension approved".into(),
        "extension_denied" => "Extension denied".into(),
        "expiry_warned" => "Warned that protection ends within 7 days".into(),
        "expired" => "Protection expired".into(),
        "reminded" => "Review overdue: reminder sent to managers".into(),
        "escalated" => "Review overdue: escalated to admins".into(),
        other => other.to_owned(),
    };
    if let Some(note) = &event.note {
        text.push_str(&format!(" — “{note}”"));
    }
    text
}

pub struct DetailParts {
    pub events: Vec<DealEventRow>,
    pub extensions: Vec<ExtensionRow>,
    pub products: Vec<String>,
    pub commission: Option<Decimal>,
    pub near_matches: Vec<String>,
    pub max_extension_days: i32,
    pub can_decide: bool,
}

pub fn detail(listing: &DealListing, parts: DetailParts, console: bool, now: OffsetDateTime) -> DealDetailDto {
    let deal = &listing.deal;
    let status = Status::parse(&deal.status).unwrap_or(Status::Rejected);
    let protected = lifecycle::is_protected(status, deal.protected_until, now);
    let extension_waiting = parts.extensions.iter().any(|e| e.status == "pending");
    DealDetailDto {
        row: row(listing, console, now),
        country: country::name(&deal.country).unwrap_or(&deal.country).to_owned(),
        contact: match &deal.contact_title {
            Some(title) => format!("{} ({title})", deal.contact_name),
            None => deal.contact_name.clone(),
        },
        contact_email: deal.contact_email.clone(),
        products: parts.products,
        notes: deal.notes.clone(),
        decision_reason: deal.decision_reason.clone(),
        value_input: format!("{:.*}", money::minor_units(&deal.currency) as usize, deal.value),
        currency: deal.currency.clone(),
        expected_close_input: deal.expected_close.to_string(),
        history: parts
            .events
            .iter()
            .map(|e| HistoryLineDto {
                at: format::datetime(e.at),
                who: e.actor.clone().unwrap_or_else(|| "Trellis".into()),
                what: event_text(e, &deal.currency),
            })
            .collect(),
        extensions: parts
            .extensions
            .iter()
            .map(|e| ExtensionDto {
                requested_at: format::datetime(e.requested_at),
                days: e.days,
                reason: e.reason.clone(),
                status: e.status.clone(),
                decision: e.decision_reason.clone(),
            })
            .collect(),
        next_stages: if protected { super::movable_stages() } else { vec![] },
        can_extend: protected && !extension_waiting && !console,
        extension_waiting,
        max_extension_days: parts.max_extension_days,
        commission: parts.commission.map(|c| money::format(c, &deal.currency)),
        mdf_request_id: deal.mdf_request_id,
        near_matches: parts.near_matches,
        can_decide: parts.can_decide,
    }
}

/// The page of one deal, for its partner (`console` false) or the program team.
pub async fn detail_of(
    conn: &mut diesel_async::AsyncPgConnection,
    listing: crate::backend::repos::deals::DealListing,
    console: bool,
    can_decide: bool,
    now: time::OffsetDateTime,
) -> Result<DealDetailDto, crate::api::error::AppError> {
    use crate::backend::repos::{deal_catalogue, deal_history, deals};
    let deal = &listing.deal;
    let commission = match deal.conversion_id {
        Some(id) => deals::commission_of(conn, id).await?,
        None => None,
    };
    let near_matches = if console {
        crate::backend::deals::register::near_matches(conn, deal.program_id, &deal.domain, &deal.company, Some(deal.id))
            .await?
    } else {
        vec![]
    };
    let parts = DetailParts {
        events: deal_history::events(conn, deal.id).await?,
        extensions: deal_history::extensions(conn, deal.id).await?,
        products: deals::product_names(conn, deal.id).await?,
        commission,
        near_matches,
        max_extension_days: deal_catalogue::protection_days(conn, deal.program_id, deal.partner_id).await?,
        can_decide,
    };
    Ok(detail(&listing, parts, console, now))
}

pub fn moved_message(moved: &crate::backend::deals::progress::Moved) -> String {
    use crate::domain::money;
    match (moved.deal.status.as_str(), moved.commission) {
        ("won", Some(amount)) => format!(
            "Deal #{} is won. Its commission of {} is in your ledger.",
            moved.deal.id,
            money::format(amount, &moved.deal.currency)
        ),
        ("won", None) => format!("Deal #{} is won.", moved.deal.id),
        ("lost", _) => format!("Deal #{} is closed as lost; its protection is released.", moved.deal.id),
        _ => format!("Deal #{} moved to {}.", moved.deal.id, moved.deal.stage),
    }
}
