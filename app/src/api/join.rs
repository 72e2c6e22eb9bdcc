//! The public application form.
// One argument per form field is what makes the form work without JavaScript.
#![allow(clippy::too_many_arguments)]

use super::error::AppError;
use leptos::prelude::*;
use std::collections::HashMap;

/// Applications one address may send per hour (public form, so it is rate limited).
pub const APPLICATIONS_PER_IP_PER_HOUR: i32 = 30;

#[server]
pub async fn submit_application(
    csrf_token: String,
    program_slug: String,
    name: String,
    email: String,
    website: String,
    kind: String,
    country: String,
    promotion_plan: String,
    accept_terms: Option<String>,
    /// A master partner's invitation code from `/join/{slug}?invite=CODE` (may be empty).
    #[server(default)]
    invite: String,
    /// An invite-only program's own invitation code from `/join/{slug}?code=CODE`.
    #[server(default)]
    code: String,
    /// Answers to the program's own questions: `answers[q12]`, and `answers[q12_o3]` for each
    /// ticked choice of a multiple choice question (see `domain::questions`).
    #[server(default)]
    answers: HashMap<String, String>,
) -> Result<(), AppError> {
    use crate::backend::repos::rate_limits;
    use crate::backend::{ctx, flows};
    use crate::domain::join::ApplicationInput;
    use diesel_async::AsyncConnection;
    ctx::verify_csrf(&csrf_token)?;
    let input = ApplicationInput {
        name,
        email,
        website,
        kind,
        country,
        promotion_plan,
        accept_terms: accept_terms.is_some(),
    };
    let meta = ctx::request_meta();
    let mut conn = ctx::db().await?;
    // Every submission counts, checked or not: the flow checks the form against the program's
    // own questions, inside its transaction.
    let usage = rate_limits::hit(
        &mut conn,
        &format!("join-ip:{}", meta.ip),
        std::time::Duration::from_secs(3600),
        ctx::now(),
    )
    .await?;
    if usage.hits > APPLICATIONS_PER_IP_PER_HOUR {
        let wait = (usage.resets_at - ctx::now()).whole_seconds().max(1) as u64;
        return Err(AppError::TooManyRequests { retry_after_secs: wait });
    }
    let invite = Some(invite.trim()).filter(|code| crate::domain::join::is_invite_code(code));
    let code = Some(code.trim()).filter(|c| !c.is_empty());
    let settings = ctx::state()?.settings;
    let now = ctx::now();
    // The application and the request for documents it needs before approval commit together.
    conn.transaction::<_, AppError, _>(async |conn| {
        let submitted = flows::join::submit(conn, &program_slug, &input, &answers, invite, code, &meta, now).await?;
        crate::backend::documents::applicants::ask(conn, &settings, &submitted, now).await
    })
    .await?;
    let query = code.map(|c| format!("?code={}", urlencode(c))).unwrap_or_default();
    leptos_axum::redirect(&format!("/join/{}/thanks{query}", urlencode(&program_slug)));
    Ok(())
}

#[cfg(feature = "ssr")]
fn urlencode(segment: &str) -> String {
    segment
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}
