//! `GET /mdf/files/{id}`: a proof-of-performance file. Operators may download those of the
//! programs in their brand scope; a partner only its own (another partner's or another brand's
//! file is "not found", like one that doesn't exist). Always an attachment with the stored
//! (sniffed) type, and never sniffed or run by the browser.

use crate::pages;
use app::backend::auth;
use app::backend::repos::mdf_files;
use app::backend::repos::users::Account;
use app::backend::scope::{Scope, Whose};
use app::backend::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

const MISSING: &str = "That file doesn't exist, or it isn't yours to see.";

pub async fn download(State(state): State<AppState>, session: Session, Path(id): Path<i64>) -> Response {
    let Ok(mut conn) = state.pool.get().await else {
        return pages::unavailable();
    };
    let user = match auth::current_user(&mut conn, &session, &state.settings).await {
        Ok(Some(user)) => user,
        Ok(None) => return Redirect::to(&format!("/login?next=/mdf/files/{id}")).into_response(),
        Err(_) => return pages::unavailable(),
    };
    let scope = match user.account {
        Account::Operator(_) => Scope::of_operator(&mut conn, user.id, user.brand_scoped).await.ok(),
        Account::Partner { .. } => None,
    };
    let whose = match (user.account, &scope) {
        (Account::Partner { partner_id, .. }, _) => Whose::Partner(partner_id),
        (Account::Operator(_), Some(scope)) => Whose::Operator(scope),
        (Account::Operator(_), None) => return pages::unavailable(),
    };
    let file = match mdf_files::download(&mut conn, id, whose).await {
        Ok(Some(file)) => file,
        Ok(None) => return pages::page(StatusCode::NOT_FOUND, "Not found", MISSING),
        Err(_) => return pages::unavailable(),
    };
    super::attachment::attachment(&file.filename, &file.content_type, file.data)
}
