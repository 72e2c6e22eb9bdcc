//! `POST /view/brand`: the top bar's brand switcher, a plain form so it works without
//! JavaScript. An operator narrows the console to one of their brands; a partner in programs of
//! several brands switches the portal to one. Either way it only changes what they look at, and
//! they go back to the page they switched on.

use crate::pages;
use app::backend::auth;
use app::backend::brand_view;
use app::backend::repos::users::Account;
use app::backend::state::AppState;
use app::domain::redirect::{back_within, home_for};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Deserialize)]
pub struct SwitchForm {
    /// A brand id, or "all".
    #[serde(default)]
    brand: String,
    /// The page to go back to.
    #[serde(default)]
    back: String,
}

pub async fn switch(State(state): State<AppState>, session: Session, Form(form): Form<SwitchForm>) -> Response {
    let Ok(mut conn) = state.pool.get().await else {
        return pages::unavailable();
    };
    let user = match auth::current_user(&mut conn, &session, &state.settings).await {
        Ok(Some(user)) => user,
        Ok(None) => return Redirect::to("/login").into_response(),
        Err(_) => return pages::unavailable(),
    };
    let brand = match form.brand.trim() {
        "" | "all" => None,
        id => match id.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => return pages::page(StatusCode::BAD_REQUEST, "Bad request", "Choose a brand from the list."),
        },
    };
    let Ok(theirs) = brand_view::choices(&mut conn, &user).await else {
        return pages::unavailable();
    };
    let message = match brand {
        None => "Showing every brand.".to_owned(),
        Some(id) => match theirs.iter().find(|b| b.id == id) {
            Some(b) => format!("Showing {} only.", b.name),
            None => return pages::page(StatusCode::NOT_FOUND, "Not found", "That brand doesn't exist."),
        },
    };
    if brand_view::choose(&session, brand).await.is_err()
        || app::api::flash::keep_for_next_page(&session, message).await.is_err()
    {
        return pages::unavailable();
    }
    let home = home_for(matches!(user.account, Account::Operator(_)));
    Redirect::to(back_within(home, &form.back)).into_response()
}
