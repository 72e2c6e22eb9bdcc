//! What every CSV export shares: only operators may download, within their brand scope (narrowed
//! to the brand the console is switched to), and the answer is a CSV attachment.

use crate::pages;
use app::backend::auth;
use app::backend::db::DbConn;
use app::backend::repos::users::Account;
use app::backend::scope::Scope;
use app::backend::state::AppState;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

/// For a logged-in operator, the connection an export reads over (the replica when it is fit,
/// see `AppState::report_conn`) and the brand scope every export query takes. The session and
/// the scope are read from the primary. Anyone else gets `message` on a 403 page, and a 503
/// comes when the database or the session can't be read.
pub async fn operator_report_conn(
    state: &AppState,
    session: &Session,
    message: &str,
) -> Result<(DbConn, Scope), Response> {
    let Ok(mut conn) = state.pool.get().await else {
        return Err(pages::unavailable());
    };
    let scope = match auth::current_user(&mut conn, session, &state.settings).await {
        Ok(Some(user)) if matches!(user.account, Account::Operator(_)) => {
            // An export lists what the console shows: the one brand it is narrowed to, if any.
            let focus = app::backend::brand_view::chosen(session).await;
            let whole = Scope::of_operator(&mut conn, user.id, user.brand_scoped)
                .await
                .map_err(|_| pages::unavailable())?;
            whole
                .focused_on(&mut conn, focus)
                .await
                .map_err(|_| pages::unavailable())?
        }
        Ok(_) => return Err(pages::forbidden(message)),
        Err(_) => return Err(pages::unavailable()),
    };
    drop(conn);
    let reports = state.report_conn().await.map_err(|_| pages::unavailable())?;
    Ok((reports, scope))
}

/// `csv` as a download named `filename` (letters, digits, dots and dashes only).
pub fn csv_response(filename: &str, csv: String) -> Response {
    let safe: String = filename
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .collect();
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{safe}\"")),
        ],
        csv,
    )
        .into_response()
}
