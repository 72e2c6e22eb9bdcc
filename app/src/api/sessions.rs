//! Where the logged-in person is signed in (operators and partner people alike): their live
//! sessions with browser, address and times, and ending one of them or every other one.

use super::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionDto {
    /// Names the session in forms; not its secret id.
    pub handle: String,
    /// The session of this very request.
    pub current: bool,
    /// "Firefox on Windows".
    pub device: String,
    pub ip: String,
    pub started_at: String,
    pub expires_at: String,
}

#[server(input = GetUrl)]
pub async fn my_sessions() -> Result<Vec<SessionDto>, AppError> {
    use crate::backend::{ctx, signed_in};
    use crate::domain::{device, format::datetime};
    let me = ctx::viewer().await?.ok_or(AppError::Unauthenticated)?;
    let current = ctx::session().await?.id().map(|id| id.to_string());
    let settings = ctx::state()?.settings.clone();
    let live = signed_in::list(&mut *ctx::db().await?, me.id, current.as_deref(), &settings).await?;
    Ok(live
        .into_iter()
        .map(|s| SessionDto {
            handle: s.handle,
            current: s.current,
            device: device::label(&s.user_agent),
            ip: if s.ip.is_empty() { "unknown".into() } else { s.ip },
            started_at: datetime(s.started_at),
            expires_at: datetime(s.expires_at),
        })
        .collect())
}

/// What ending `n` sessions says (the page with JavaScript, the next page without).
pub fn ended_message(n: usize) -> String {
    match n {
        0 => "No other session was open.".to_owned(),
        1 => "That session has ended.".to_owned(),
        n => format!("{n} sessions have ended."),
    }
}

/// Ends one of the person's sessions (`handle`), or, with `others`, every one but this.
#[server]
pub async fn end_sessions(
    csrf_token: String,
    #[server(default)] handle: String,
    #[server(default)] others: Option<String>,
) -> Result<usize, AppError> {
    use crate::backend::flows::audited;
    use crate::backend::{ctx, signed_in};
    ctx::verify_csrf(&csrf_token)?;
    let me = ctx::viewer().await?.ok_or(AppError::Unauthenticated)?;
    let current = ctx::session().await?.id().map(|id| id.to_string()).unwrap_or_default();
    let settings = ctx::state()?.settings.clone();
    let mut conn = ctx::db().await?;
    let ended = if others.is_some() {
        signed_in::end_others(&mut conn, me.id, &current, &settings).await?
    } else {
        if handle == signed_in::handle(&current) {
            return Err(AppError::Conflict(
                "That is this session: use Log out to end it.".into(),
            ));
        }
        signed_in::end(&mut conn, me.id, &handle, &settings).await?;
        1
    };
    if ended > 0 {
        let after = serde_json::json!({ "ended": ended, "all_others": others.is_some() });
        audited(
            &mut conn,
            &me.actor(),
            "session.end",
            ("user", me.id.to_string()),
            after,
            &ctx::request_meta(),
        )
        .await?;
    }
    super::flash::after_plain_post(ended_message(ended)).await?;
    Ok(ended)
}
