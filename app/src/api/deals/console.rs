//! The program team's side: the review queue with SLA clocks, one deal with its warnings and
//! history, decisions on registrations and extensions, and corrections.
#![allow(clippy::too_many_arguments)]

use super::{DealDetailDto, DealRowDto};
use crate::api::error::AppError;
use crate::api::Paged;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

pub const PER_PAGE: i64 = 25;

/// The queue's filters as they arrive in the URL.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DealQuery {
    pub tab: Option<String>,
    pub program: Option<i64>,
    pub q: Option<String>,
    pub sort: Option<String>,
    pub page: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DealTabDto {
    pub key: String,
    pub label: String,
    pub count: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DealQueueDto {
    pub tab: String,
    pub tabs: Vec<DealTabDto>,
    pub page: Paged<DealRowDto>,
    pub programs: Vec<(i64, String)>,
    pub sort: String,
    pub extensions_waiting: i64,
}

#[server(input = GetUrl)]
pub async fn deal_queue(query: DealQuery) -> Result<DealQueueDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::deals::{self, DealFilter};
    use crate::backend::repos::{deal_history, programs};
    use crate::domain::deals::queue::{Tab, TABS};
    let operator = ctx::require_operator().await?;
    let mut conn = ctx::db().await?;
    let tab = Tab::parse(query.tab.as_deref());
    let sort = query.sort.clone().unwrap_or_else(|| tab.default_sort().into());
    let filter = DealFilter {
        statuses: tab.statuses.iter().map(|s| s.to_string()).collect(),
        program_id: query.program,
        search: query.q.clone().map(|q| q.trim().to_owned()),
        sort: sort.clone(),
        page: query.page.unwrap_or(1).max(1),
        per_page: PER_PAGE,
    };
    let page = deals::list(&mut conn, &operator.scope, &filter).await?;
    let counts = deals::count_by_status(&mut conn, &operator.scope).await?;
    let now = ctx::now();
    let tabs = TABS
        .into_iter()
        .map(|t| DealTabDto {
            key: t.key.into(),
            label: t.label.into(),
            count: t.count(&counts),
        })
        .collect();
    Ok(DealQueueDto {
        tab: tab.key.into(),
        tabs,
        page: Paged {
            rows: page.rows.iter().map(|l| super::build::row(l, true, now)).collect(),
            total: page.total,
            page: filter.page,
            per_page: PER_PAGE,
        },
        programs: programs::list(&mut conn, &operator.scope)
            .await?
            .into_iter()
            .map(|(p, _)| (p.id, p.name))
            .collect(),
        sort,
        extensions_waiting: deal_history::pending_extension_count(&mut conn, &operator.scope).await?,
    })
}

#[cfg(feature = "ssr")]
async fn acting_approver() -> Result<
    (
        crate::backend::ctx::Operator,
        crate::backend::flows::RequestMeta,
        String,
    ),
    AppError,
> {
    use crate::backend::ctx;
    use crate::domain::access::Permission;
    let operator = ctx::require_permission(Permission::ApproveDeals).await?;
    Ok((operator, ctx::request_meta(), ctx::state()?.settings.base_url.clone()))
}

#[server(input = GetUrl)]
pub async fn deal_detail(id: i64) -> Result<DealDetailDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::deals;
    use crate::domain::access::Permission;
    let operator = ctx::require_operator().await?;
    let mut conn = ctx::db().await?;
    let listing = deals::get_in_scope(&mut conn, &operator.scope, id)
        .await?
        .ok_or_else(|| AppError::NotFound("There is no such deal.".into()))?;
    super::build::detail_of(
        &mut conn,
        listing,
        true,
        operator.role.can(Permission::ApproveDeals),
        ctx::now(),
    )
    .await
}

/// Approve or reject a registration; a rejection needs a reason.
#[server]
pub async fn decide_deal(
    csrf_token: String,
    id: i64,
    decision: String,
    #[server(default)] reason: String,
) -> Result<String, AppError> {
    use crate::backend::ctx;
    use crate::backend::deals::review::{self, Verdict};
    use crate::backend::deals::Acting;
    ctx::verify_csrf(&csrf_token)?;
    let (operator, meta, base_url) = acting_approver().await?;
    let verdict = match decision.as_str() {
        "approve" => Verdict::Approve,
        "reject" => Verdict::Reject,
        _ => return Err(AppError::field("decision", "Choose approve or reject.")),
    };
    let acting = Acting {
        user: &operator.user,
        meta: &meta,
        base_url: &base_url,
        now: ctx::now(),
    };
    review::decide(&mut *ctx::db().await?, &acting, &operator.scope, id, verdict, &reason).await?;
    let message = match verdict {
        Verdict::Approve => format!("Deal #{id} approved. The partner is protected and was emailed."),
        Verdict::Reject => format!("Deal #{id} rejected. The partner was emailed the reason."),
    };
    crate::api::flash::after_plain_post(message.clone()).await?;
    Ok(message)
}

#[server]
pub async fn decide_extension(
    csrf_token: String,
    id: i64,
    decision: String,
    #[server(default)] reason: String,
) -> Result<String, AppError> {
    use crate::backend::ctx;
    use crate::backend::deals::{extensions, Acting};
    ctx::verify_csrf(&csrf_token)?;
    let (operator, meta, base_url) = acting_approver().await?;
    let approve = match decision.as_str() {
        "approve" => true,
        "deny" => false,
        _ => return Err(AppError::field("decision", "Choose approve or deny.")),
    };
    let acting = Acting {
        user: &operator.user,
        meta: &meta,
        base_url: &base_url,
        now: ctx::now(),
    };
    extensions::decide(&mut *ctx::db().await?, &acting, &operator.scope, id, approve, &reason).await?;
    let message = format!(
        "Extension of deal #{id} {}.",
        if approve { "approved" } else { "denied" }
    );
    crate::api::flash::after_plain_post(message.clone()).await?;
    Ok(message)
}

/// An operator's correction of an open deal's stage, value or close date, with a note.
#[server]
pub async fn correct_deal(
    csrf_token: String,
    id: i64,
    stage: String,
    value: String,
    #[server(default)] expected_close: String,
    #[server(default)] note: String,
) -> Result<String, AppError> {
    use crate::backend::ctx;
    use crate::backend::deals::progress::{self, StageForm};
    use crate::backend::deals::Acting;
    use crate::backend::scope::Whose;
    ctx::verify_csrf(&csrf_token)?;
    let (operator, meta, base_url) = acting_approver().await?;
    let form = StageForm {
        stage,
        value,
        expected_close,
        note,
    };
    let acting = Acting {
        user: &operator.user,
        meta: &meta,
        base_url: &base_url,
        now: ctx::now(),
    };
    let mover = Whose::Operator(&operator.scope);
    let moved = progress::change_stage(&mut *ctx::db().await?, &acting, mover, id, &form).await?;
    let message = super::build::moved_message(&moved);
    crate::api::flash::after_plain_post(message.clone()).await?;
    Ok(message)
}
