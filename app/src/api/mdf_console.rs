//! Market development funds in the console: the queue of requests and claims waiting, one
//! request's whole story, and the decisions: approve a request (possibly for less) or decline
//! it with a reason; approve a claim (up to the amount claimed) or reject it with a reason.
//! Reading is open to every operator. Requests are decided with DecideMdfRequests (managers),
//! claims with DecideMdfClaims (finance), never both approvals by one person
//! (`domain::mdf::decider`); each row and page offers only the forms its reader may use.

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
    /// False for those who decide nothing here (viewers).
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
    use crate::domain::mdf::decider;
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
        .unwrap_or(decider::first_tab(operator.role));
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
    let actor = operator.actor();
    let line = |r: mdf_requests::ListRow| RequestLineDto {
        offered: decider::offered(actor, r.decided_by),
        ..super::mdf::build::line(r)
    };
    Ok(MdfQueueDto {
        tab: tab.into(),
        tabs,
        sort: sort.as_str().into(),
        page: Paged::from_page(rows, page, PER_PAGE, line),
        can_decide: operator.role.can(Permission::DecideMdfRequests) || operator.role.can(Permission::DecideMdfClaims),
    })
}

#[server(input = GetUrl)]
pub async fn mdf_request_for_operator(id: i64) -> Result<RequestDetailDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::mdf_requests;
    use crate::domain::mdf::decider;
    let operator = ctx::require_operator().await?;
    let mut conn = ctx::db().await?;
    let request = mdf_requests::get_in_scope(&mut conn, &operator.scope, id)
        .await?
        .ok_or_else(|| AppError::NotFound(crate::backend::mdf::MISSING_REQUEST.into()))?;
    let offered = decider::offered(operator.actor(), request.decided_by);
    super::mdf::build::detail(&mut conn, request, offered, ctx::now()).await
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
    use crate::backend::{ctx, mdf::decisions};
    use crate::domain::mdf::decider;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_operator().await?;
    let (subject, verdict) = decider::parse(&what, &decision)
        .ok_or_else(|| AppError::field("decision", "Choose approve, or decline with a reason."))?;
    if !operator.role.can(subject.permission()) {
        return Err(AppError::Forbidden);
    }
    let typed = [("amount", amount.as_str()), ("reason", reason.as_str())];
    let (meta, state) = (ctx::request_meta(), ctx::state()?);
    let act = super::mdf::build::act(Some(&operator.user), &meta, &state.settings.base_url, ctx::now());
    let decision = (subject, verdict);
    let message = decisions::decide(
        &mut *ctx::db().await?,
        &act,
        &operator.scope,
        id,
        decision,
        &amount,
        &reason,
    )
    .await
    .map_err(|e| super::terms::support::keep_typed(e, &typed))?;
    super::flash::after_plain_post(message.clone()).await?;
    Ok(MdfDecidedDto { id, message })
}
