//! Market development funds in the portal: the partner's balances per fund, requests and
//! history, the request form, one request with its claims. Every read and change is scoped to
//! the partner of the session; another partner's request looks like one that doesn't exist.
//! (Claims carry files, so they are filed through a multipart form handled by the server's
//! `/portal/mdf/{id}/claim` handler, not a server function.)
// Form server functions take one argument per field.
#![allow(clippy::too_many_arguments)]

use super::error::AppError;
use super::Paged;
use crate::domain::mdf::decider::Offered;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod build;

pub const PER_PAGE: i64 = 20;
pub const HISTORY_PER_PAGE: i64 = 15;

/// One part of a balance bar: its share of the allocation, 0 to 100.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BarPart {
    pub label: String,
    pub class: String,
    pub percent: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FundBalanceDto {
    pub fund_id: i64,
    pub fund_name: String,
    pub program_name: String,
    /// "1 Apr 2026 – 30 Jun 2026"
    pub period: String,
    pub claim_days: i32,
    pub expired: bool,
    pub allocated: String,
    pub requested: String,
    pub approved: String,
    pub claimed: String,
    pub paid: String,
    pub expired_amount: String,
    pub available: String,
    pub bar: Vec<BarPart>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestLineDto {
    pub id: i64,
    pub partner_name: String,
    pub program_name: String,
    pub fund_name: String,
    pub activity: String,
    pub description: String,
    pub dates: String,
    pub currency: String,
    pub requested: String,
    /// The amounts as plain numbers, to prefill decisions.
    pub requested_plain: String,
    pub claimed_plain: Option<String>,
    pub approved: String,
    pub claimed: String,
    pub status: String,
    pub status_label: String,
    pub claim_by: String,
    pub waiting_since: String,
    pub available: String,
    pub files: i32,
    /// The decision forms the reader may use (none in the portal).
    #[serde(default)]
    pub offered: Offered,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventDto {
    pub at: String,
    pub request_id: Option<i64>,
    pub fund_name: String,
    pub label: String,
    pub amount: Option<String>,
    pub by: String,
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileDto {
    pub id: i64,
    pub filename: String,
    pub size: String,
    pub kind: String,
    /// The first 12 hex digits of its SHA-256.
    pub digest: String,
    pub href: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClaimDto {
    pub id: i64,
    pub status: String,
    pub status_label: String,
    pub amount: String,
    pub actual_cost: String,
    pub leads: i32,
    pub attendees: i32,
    pub notes: Option<String>,
    pub approved_amount: Option<String>,
    pub reason: Option<String>,
    pub submitted_at: String,
    pub decided_at: Option<String>,
    pub files: Vec<FileDto>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestDetailDto {
    pub id: i64,
    pub status: String,
    pub status_label: String,
    pub partner_name: String,
    pub program_name: String,
    pub fund_name: String,
    pub currency: String,
    pub activity: String,
    pub description: String,
    pub dates: String,
    pub requested: String,
    /// The requested amount as a plain number, to prefill an approval.
    pub requested_plain: String,
    pub approved: Option<String>,
    /// The approved amount as a plain number, to prefill a claim.
    pub approved_plain: Option<String>,
    pub expected_outcome: String,
    pub submitted_at: String,
    pub decision: Option<String>,
    pub decision_reason: Option<String>,
    /// The last day a claim is accepted.
    pub claim_by: String,
    pub can_claim: bool,
    /// A claim waiting for review: its amount as a plain number, to prefill an approval.
    pub claim_waiting: Option<String>,
    pub claims: Vec<ClaimDto>,
    pub history: Vec<EventDto>,
    pub balance: FundBalanceDto,
    /// For operators who may decide.
    /// The decision forms the reader may use (none in the portal).
    pub offered: Offered,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyMdfDto {
    pub funds: Vec<FundBalanceDto>,
    /// Funds open for requests: (id, "Q2 2026 · Acme Resellers · USD 4,000.00 available").
    pub open_funds: Vec<(String, String)>,
    pub requests: Paged<RequestLineDto>,
    pub sort: String,
    pub history: Paged<EventDto>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubmittedDto {
    pub id: i64,
    pub message: String,
}

#[server(input = GetUrl)]
pub async fn my_mdf(page: Option<i64>, sort: Option<String>, history_page: Option<i64>) -> Result<MyMdfDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::mdf_requests::{self, ListScope, ListSort};
    use crate::backend::repos::{mdf_events, mdf_funds};
    let partner = ctx::require_partner().await?;
    let now = ctx::now();
    let mut conn = ctx::db().await?;
    let funds = mdf_funds::partner_funds(&mut conn, partner.partner_id).await?;
    let sort = ListSort::parse(sort.as_deref());
    let page = page.unwrap_or(1).max(1);
    let history_page = history_page.unwrap_or(1).max(1);
    let requests = mdf_requests::list(&mut conn, ListScope::Partner(partner.partner_id), sort, page, PER_PAGE).await?;
    let history = mdf_events::for_partner(&mut conn, partner.partner_id, history_page, HISTORY_PER_PAGE).await?;
    Ok(MyMdfDto {
        open_funds: build::open_funds(&funds, now),
        funds: funds.iter().map(build::partner_fund).collect(),
        requests: Paged::from_page(requests, page, PER_PAGE, build::line),
        sort: sort.as_str().into(),
        history: Paged::from_page(history, history_page, HISTORY_PER_PAGE, build::event),
    })
}

#[server]
pub async fn submit_mdf_request(
    csrf_token: String,
    #[server(default)] fund_id: String,
    #[server(default)] activity: String,
    #[server(default)] description: String,
    #[server(default)] starts_on: String,
    #[server(default)] ends_on: String,
    #[server(default)] amount: String,
    #[server(default)] expected_outcome: String,
) -> Result<SubmittedDto, AppError> {
    use crate::backend::{ctx, mdf};
    use crate::domain::mdf::activity::RequestForm;
    ctx::verify_csrf(&csrf_token)?;
    let partner = ctx::require_partner().await?;
    let form = RequestForm {
        activity,
        description,
        starts_on,
        ends_on,
        amount,
        expected_outcome,
    };
    let mut typed = form.echo();
    typed.push(("fund_id", fund_id.as_str()));
    let keep = |e| super::terms::support::keep_typed(e, &typed);
    let fund = fund_id
        .trim()
        .parse::<i64>()
        .map_err(|_| keep(AppError::field("fund_id", "Choose one of your funds.")))?;
    let (meta, state) = (ctx::request_meta(), ctx::state()?);
    let act = build::act(Some(&partner.user), &meta, &state.settings.base_url, ctx::now());
    let mut conn = ctx::db().await?;
    let request = mdf::requests::submit(&mut conn, &act, partner.partner_id, fund, &form)
        .await
        .map_err(keep)?;
    let message = format!(
        "Request #{} sent: the program team has been emailed and will decide soon.",
        request.id
    );
    super::flash::after_plain_post(message.clone()).await?;
    Ok(SubmittedDto {
        id: request.id,
        message,
    })
}

#[server(input = GetUrl)]
pub async fn my_mdf_request(id: i64) -> Result<RequestDetailDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::mdf_requests;
    let partner = ctx::require_partner().await?;
    let mut conn = ctx::db().await?;
    let request = mdf_requests::get_for_partner(&mut conn, id, partner.partner_id)
        .await?
        .ok_or_else(|| AppError::NotFound(crate::backend::mdf::MISSING_REQUEST.into()))?;
    build::detail(&mut conn, request, Offered::default(), ctx::now()).await
}

/// The claim form's refusal after a post (kept in the session by the upload handler), once.
/// Taking it changes the session, so it is a POST.
#[server]
pub async fn take_claim_refusal(csrf_token: String, id: i64) -> Result<Option<AppError>, AppError> {
    use crate::backend::ctx;
    ctx::verify_csrf(&csrf_token)?;
    ctx::require_partner().await?;
    build::take_refusal(&ctx::session().await?, id).await
}
