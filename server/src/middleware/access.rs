//! Page-level access: `/console` is for operators, `/portal` for partner users. Visitors are
//! sent to log in and come back; the wrong kind of user gets a 403 page. (Server functions check
//! rights again themselves; this guard makes full page loads answer with the right status.)

use crate::pages;
use app::api::error::AppError;
use app::backend::auth;
use app::backend::repos::users::Account;
use app::backend::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Area {
    Console,
    Portal,
}

pub async fn guard(State(state): State<AppState>, session: Session, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let area = if super::in_area(path, "/console") {
        Area::Console
    } else if super::in_area(path, "/portal") {
        Area::Portal
    } else {
        return next.run(req).await;
    };
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.run(req).await;
    }
    let user = match state.pool.get().await {
        Ok(mut conn) => auth::current_user(&mut conn, &session, &state.settings).await,
        Err(e) => Err(AppError::from(e)),
    };
    match (area, user) {
        (_, Ok(None)) => {
            let next_path = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
            let target: String = form_urlencoded::Serializer::new(String::new())
                .append_pair("next", next_path)
                .finish();
            Redirect::to(&format!("/login?{target}")).into_response()
        }
        (Area::Console, Ok(Some(u))) if matches!(u.account, Account::Operator(_)) => next.run(req).await,
        (Area::Portal, Ok(Some(u))) if matches!(u.account, Account::Partner { .. }) => next.run(req).await,
        (Area::Console, Ok(Some(_))) => {
            pages::forbidden("The console is for the program's staff. Your partner portal is at /portal.")
        }
        (Area::Portal, Ok(Some(_))) => {
            pages::forbidden("The partner portal is for partners. Staff work in the console at /console.")
        }
        (_, Err(AppError::Unavailable)) => pages::unavailable(),
        (_, Err(e)) => {
            let mut response = pages::page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong",
                &e.to_string(),
            );
            response.headers_mut().remove(header::RETRY_AFTER);
            response
        }
    }
}
