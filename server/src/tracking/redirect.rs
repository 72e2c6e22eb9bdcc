//! `GET /r/{code}`: look the link up, record the click durably, then redirect to the stored
//! destination with the click id appended. No recorded click, no redirect.

use super::TrackingOptions;
use app::backend::ctx::ClientIp;
use app::backend::repos::clicks::ClickRow;
use app::backend::repos::creatives::CreativeTarget;
use app::backend::repos::links::RedirectTarget;
use app::backend::state::AppState;
use app::backend::tracking::click_writer::RecordError;
use app::backend::tracking::new_click_id;
use app::domain::admin::program_form::links_ended;
use app::domain::creatives::Audience;
use app::domain::{bots, destination};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use std::sync::Arc;
use std::time::Instant;
use time::OffsetDateTime;

pub async fn redirect(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(params): Query<Vec<(String, String)>>,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    Extension(options): Extension<Arc<TrackingOptions>>,
    headers: HeaderMap,
) -> Response {
    let Prepared {
        target,
        click,
        creative,
    } = match prepare(&state, &code, &params, &ip, &headers, &options).await {
        Ok(prepared) => prepared,
        Err(response) => return response,
    };
    let click_id = click.id.clone();
    let destination = creative.as_ref().map_or(&target.destination, |c| &c.landing_url);
    match state.tracking.clicks.record(click).await {
        Ok(()) => found(&state, &target, destination, &click_id),
        Err(RecordError::Busy | RecordError::Unavailable) => unavailable(),
    }
}

/// What a redirect sends and records.
pub struct Prepared {
    pub target: Arc<RedirectTarget>,
    pub click: ClickRow,
    /// The creative whose code was followed (`cr`): its landing page replaces the link's.
    pub creative: Option<Arc<CreativeTarget>>,
}

/// The link and the click to record, or the answer to give instead (404 or 503).
pub async fn prepare(
    state: &AppState,
    code: &str,
    params: &[(String, String)],
    ip: &str,
    headers: &HeaderMap,
    options: &TrackingOptions,
) -> Result<Prepared, Response> {
    let now = state.settings.clock.now();
    match find_target(state, code).await {
        Ok(Some(target)) if links_ended(target.links_end_at, now) => Err(program_ended()),
        Ok(Some(target)) => {
            let creative = find_creative(state, &target, params, now).await;
            let mut click = click_for(state, &target, params, ip, headers, options);
            click.creative_id = creative.as_ref().map(|(id, _)| *id);
            Ok(Prepared {
                target,
                click,
                creative: creative.map(|(_, c)| c),
            })
        }
        Ok(None) => Err(not_found()),
        Err(()) => Err(unavailable()),
    }
}

/// The creative named by `cr`, when it is a live creative of the link's program that this
/// partner may use and that still lands on an allowed domain. Any other value (made up, another
/// program's, gated, archived, outside its window) is ignored: the visitor still gets the link's
/// own destination, and the click counts for no creative. So is a failed lookup: the click
/// itself is what matters.
async fn find_creative(
    state: &AppState,
    target: &RedirectTarget,
    params: &[(String, String)],
    now: time::OffsetDateTime,
) -> Option<(i64, Arc<CreativeTarget>)> {
    let id = params
        .iter()
        .find(|(k, _)| k == "cr")
        .and_then(|(_, v)| v.parse::<i64>().ok())
        .filter(|id| *id > 0)?;
    let creative = match state.tracking.creatives.get(id) {
        Some(hit) => hit,
        None => {
            let mut conn = state.pool.get().await.ok()?;
            state
                .tracking
                .creatives
                .lookup(&mut conn, id)
                .await
                .inspect_err(|e| tracing::warn!(error = %e, "creative lookup failed"))
                .ok()?
        }
    };
    let who = Audience {
        partner_id: target.partner_id,
        kind: &target.partner_kind,
        tier: target.tier.as_deref(),
    };
    creative
        .filter(|c| c.program_id == target.program_id && c.serves(&who, now))
        .map(|c| (id, c))
}

/// The live link for a code; `Err` when the database can't be asked.
pub async fn find_target(state: &AppState, code: &str) -> Result<Option<Arc<RedirectTarget>>, ()> {
    if !(6..=32).contains(&code.len()) || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Ok(None);
    }
    if let Some(hit) = state.tracking.links.get(code) {
        return Ok(Some(hit));
    }
    let mut conn = state.pool.get().await.map_err(|_| ())?;
    state.tracking.links.lookup(&mut conn, code).await.map_err(|e| {
        tracing::warn!(error = %e, "link lookup failed");
    })
}

fn header_text(headers: &HeaderMap, name: &str, max: usize) -> Option<String> {
    let value = headers.get(name)?.to_str().ok()?.trim();
    (!value.is_empty()).then(|| value.chars().take(max).collect())
}

/// Sub-ids from the query (`sub1` … `sub5`) win over the link's own.
pub fn click_for(
    state: &AppState,
    target: &RedirectTarget,
    params: &[(String, String)],
    ip: &str,
    headers: &HeaderMap,
    options: &TrackingOptions,
) -> ClickRow {
    let param = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().chars().take(100).collect::<String>())
            .filter(|v| !v.is_empty() && !v.chars().any(char::is_control))
    };
    let (s1, s2, s3, s4, s5) = &target.subs;
    let user_agent = header_text(headers, "user-agent", 500).unwrap_or_default();
    let country = options
        .country_header
        .as_deref()
        .and_then(|name| header_text(headers, name, 8))
        .map(|c| c.to_ascii_uppercase())
        .filter(|c| c.len() == 2 && c.chars().all(|ch| ch.is_ascii_alphabetic()));
    let flag = if bots::is_bot(&user_agent) {
        Some("bot".to_owned())
    } else if state.tracking.repeats.is_repeat(target.link_id, ip, Instant::now()) {
        Some("repeat".to_owned())
    } else {
        None
    };
    ClickRow {
        id: new_click_id(),
        link_id: target.link_id,
        partner_id: target.partner_id,
        program_id: target.program_id,
        clicked_at: OffsetDateTime::now_utc(),
        ip: ip.to_owned(),
        user_agent,
        referrer: header_text(headers, "referer", 1000),
        sub1: param("sub1").or_else(|| s1.clone()),
        sub2: param("sub2").or_else(|| s2.clone()),
        sub3: param("sub3").or_else(|| s3.clone()),
        sub4: param("sub4").or_else(|| s4.clone()),
        sub5: param("sub5").or_else(|| s5.clone()),
        country,
        flag,
        creative_id: None,
    }
}

/// The 302 to the stored destination, with the click id and a first-party cookie that lasts for
/// the program's cookie window.
pub fn found(state: &AppState, target: &RedirectTarget, destination: &str, click_id: &str) -> Response {
    let location = destination::with_param(destination, &target.click_param, click_id);
    let secure = if state.settings.secure_cookies { "; Secure" } else { "" };
    let cookie = format!(
        "trl_{}={click_id}; Max-Age={}; Path=/; HttpOnly; SameSite=Lax{secure}",
        target.program_id,
        i64::from(target.cookie_days) * 86_400
    );
    let mut response = StatusCode::FOUND.into_response();
    let headers = response.headers_mut();
    match HeaderValue::from_str(&location) {
        Ok(value) => headers.insert(header::LOCATION, value),
        Err(_) => return not_found(),
    };
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        headers.insert(header::SET_COOKIE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer-when-downgrade"),
    );
    response
}

pub fn not_found() -> Response {
    crate::pages::page(
        StatusCode::NOT_FOUND,
        "Link not found",
        "This link doesn't exist or has been switched off. If someone sent it to you, ask them for a new one.",
    )
}

/// The link of an archived program after its last day: gone for good (410), said kindly.
pub fn program_ended() -> Response {
    crate::pages::page(
        StatusCode::GONE,
        "This program has ended",
        "The partner program behind this link has ended, so the link no longer leads anywhere. Thank you for your interest.",
    )
}

pub fn unavailable() -> Response {
    let mut response = crate::pages::page(
        StatusCode::SERVICE_UNAVAILABLE,
        "Busy for a moment",
        "We couldn't record your visit just now, so we didn't send you on. Please try the link again in a few seconds.",
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
    response
}
