//! Market development funds in the console: the queue of requests and claims waiting, one
//! request's whole story, and the decisions: approve a request (possibly for less) or decline
//! it with a reason; approve a claim (up to the amount claimed) or reject it with a reason.
//! Reading is open to every operator; deciding needs the ApproveCommissions permission
//! (partner managers and admins).

use super::error::AppError;
use super::mdf::{RequestDetailDto, RequestLineDto};
use super::Paged;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

pub const PER_PAGE: i64 = 25;
/// Queue tabs: (key, label).
pub const TABS: [(&str, &str); 3] = [
    ("requests", "Requests waiting"),
    ("claims", "Claims waiting"),
    ("all", "All requests"),
];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MdfQueueDto {
    pub tab: String,
    /// (key, label, count)
    pub tabs: Vec<(String, String, i64)>,
    pub sort: String,
    pub page: Paged<RequestLineDto>,
    pub can_decide: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MdfDecidedDto {
    pub id: i64,
    pub message: String,
}

#[server(input = GetUrl)]
pub async fn mdf_queue(tab: Option<String>, sort: Option<String>, page: Option<i64>) -> Result<MdfQueueDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::mdf_requests::{self, ListScope, ListSort};
    use crate::domain::access::Permission;
    let operator = ctx::require_operator().await?;
    let scope_of = |key: &str| match key {
        "claims" => ListScope::WaitingClaims(&operator.scope),
        "all" => ListScope::All(&operator.scope),
        _ => ListScope::WaitingRequests(&operator.scope),
    };
    let tab = TABS
        .iter()
        .map(|(k, _)| *k)
        .find(|k| Some(*k) == tab.as_deref())
        .unwrap_or("requests");
    // Waiting items oldest first unless the operator sorts otherwise.
    let sort = match sort.as_deref() {
        None | Some("") if tab != "all" => ListSort::Oldest,
        other => ListSort::parse(other),
    };
    let page = page.unwrap_or(1).max(1);
    let mut conn = ctx::db().await?;
    let rows = mdf_requests::list(&mut conn, scope_of(tab), sort, page, PER_PAGE).await?;
    let mut tabs = Vec::new();
    for (key, label) in TABS {
        let total = mdf_requests::list(&mut conn, scope_of(key), sort, 1, 1).await?.total;
        tabs.push((key.to_owned(), label.to_owned(), total));
    }
    Ok(MdfQueueDto {
        tab: tab.into(),
        tabs,
        sort: sort.as_str().into(),
        page: Paged::from_page(rows, page, PER_PAGE, super::mdf::build::line),
        can_decide: operator.role.can(Permission::ApproveCommissions),
    })
}

#[server(input = GetUrl)]
pub async fn mdf_request_for_operator(id: i64) -> Result<RequestDetailDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::mdf_requests;
    use crate::domain::access::Permission;
    let operator = ctx::require_operator().await?;
    let mut conn = ctx::db().await?;
    let request = mdf_requests::get_in_scope(&mut conn, &operator.scope, id)
        .await?
        .ok_or_else(|| AppError::NotFound(crate::backend::mdf::MISSING_REQUEST.into()))?;
    let can_decide = operator.role.can(Permission::ApproveCommissions);
    super::mdf::build::detail(&mut conn, request, can_decide, ctx::now()).await
}

/// The amount of an approval as typed, or the field error.
#[cfg(feature = "ssr")]
fn approval_amount(text: &str, currency: &str) -> Result<rust_decimal::Decimal, AppError> {
    crate::domain::mdf::amount(text, currency, "Amount to approve").map_err(|m| AppError::field("amount", m))
}

/// `what` is "request" or "claim"; `decision` is "approve" (with `amount`) or "decline" /
/// "reject" (with `reason`).
#[server]
pub async fn decide_mdf(
    csrf_token: String,
    id: i64,
    what: String,
    decision: String,
    #[server(default)] amount: String,
    #[server(default)] reason: String,
) -> Result<MdfDecidedDto, AppError> {
    use crate::backend::mdf::claims::{self, ClaimDecision};
    use crate::backend::mdf::requests::{self, Decision};
    use crate::backend::repos::{mdf_funds, mdf_requests};
    use crate::backend::{ctx, mdf};
    use crate::domain::access::Permission;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_permission(Permission::ApproveCommissions).await?;
    let typed = [("amount", amount.as_str()), ("reason", reason.as_str())];
    let keep = |e| super::terms::support::keep_typed(e, &typed);
    let mut conn = ctx::db().await?;
    let request = mdf_requests::get_in_scope(&mut conn, &operator.scope, id)
        .await?
        .ok_or_else(|| AppError::NotFound(mdf::MISSING_REQUEST.into()))?;
    let currency = mdf_funds::get_fund(&mut conn, request.fund_id)
        .await?
        .map(|f| f.currency)
        .unwrap_or_default();
    let (meta, state) = (ctx::request_meta(), ctx::state()?);
    let act = super::mdf::build::act(Some(&operator.user), &meta, &state.settings.base_url, ctx::now());
    let message = match (what.as_str(), decision.as_str()) {
        ("request", "approve") => {
            let value = approval_amount(&amount, &currency).map_err(keep)?;
            requests::decide(&mut conn, &act, &operator.scope, id, &Decision::Approve(value))
                .await
                .map_err(keep)?;
            format!("Request #{id} approved: the partner has been emailed.")
        }
        ("request", "decline") => {
            requests::decide(&mut conn, &act, &operator.scope, id, &Decision::Decline(reason.clone()))
                .await
                .map_err(keep)?;
            format!("Request #{id} declined: the partner has been emailed the reason.")
        }
        ("claim", "approve") => {
            let value = approval_amount(&amount, &currency).map_err(keep)?;
            claims::decide(&mut conn, &act, &operator.scope, id, &ClaimDecision::Approve(value))
                .await
                .map_err(keep)?;
            format!("Claim for request #{id} approved: it is payable with the partner's next payout.")
        }
        ("claim", "reject") => {
            claims::decide(
                &mut conn,
                &act,
                &operator.scope,
                id,
                &ClaimDecision::Reject(reason.clone()),
            )
            .await
            .map_err(keep)?;
            format!("Claim for request #{id} rejected: the partner has been emailed the reason.")
        }
        _ => return Err(AppError::field("decision", "Choose approve, or decline with a reason.")),
    };
    super::flash::after_plain_post(message.clone()).await?;
    Ok(MdfDecidedDto { id, message })
}
