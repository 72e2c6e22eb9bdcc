//! Page-level access: `/console` is for operators, `/portal` for partner users. Visitors are
//! sent to log in and come back; the wrong kind of user gets a 403 page. (Server functions check
//! rights again themselves; this guard makes full page loads answer with the right status.)

use crate::pages;
use app::api::error::AppError;
use app::backend::repos::agreements;
use app::backend::repos::users::Account;
use app::backend::state::AppState;
use app::backend::{auth, ctx};
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
    let reading = matches!(*req.method(), Method::GET | Method::HEAD);
    // Posts to the console check rights themselves; posts to the portal (uploads) also wait
    // for the agreement below.
    if !reading && area == Area::Console {
        return next.run(req).await;
    }
    let (user, agreement_due) = match state.pool.get().await {
        Ok(mut conn) => match auth::current_user(&mut conn, &session, &state.settings).await {
            Ok(Some(u)) => {
                let due = match u.account {
                    Account::Partner { partner_id, .. } => agreements::any_due(&mut conn, partner_id, u.id).await,
                    Account::Operator(_) => Ok(false),
                };
                match due {
                    Ok(due) => (Ok(Some(u)), due),
                    Err(e) => (Err(AppError::from(e)), false),
                }
            }
            other => (other, false),
        },
        Err(e) => (Err(AppError::from(e)), false),
    };
    if area == Area::Portal && matches!(user, Ok(Some(_))) {
        if let Some(response) = agreement_gate(&req, reading, agreement_due) {
            return response;
        }
    }
    if !reading {
        return next.run(req).await;
    }
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

const AGREEMENTS: &str = "/portal/agreements";
const SETTINGS: &str = "/portal/settings";

/// A partner person with an agreement version to accept is sent to it from every portal page
/// (and comes back afterwards); once nothing waits, the agreements page sends them on to where
/// they were going. Only portal paths are ever a destination, so this is no open redirect.
fn agreement_gate(req: &Request, reading: bool, due: bool) -> Option<Response> {
    let path = req.uri().path();
    let on_agreements = path == AGREEMENTS;
    // The person's own account (password, sessions) stays reachable: ending a stolen session
    // mustn't wait for an agreement.
    if path == SETTINGS {
        return None;
    }
    match (due, on_agreements) {
        (true, false) if reading => {
            let next_path = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/portal");
            let target: String = form_urlencoded::Serializer::new(String::new())
                .append_pair("next", next_path)
                .finish();
            Some(Redirect::to(&format!("{AGREEMENTS}?{target}")).into_response())
        }
        (true, false) => Some(pages::page(
            StatusCode::CONFLICT,
            "Agreement waiting",
            ctx::AGREEMENT_DUE,
        )),
        (false, true) if reading => {
            let next = form_urlencoded::parse(req.uri().query().unwrap_or("").as_bytes())
                .find(|(key, _)| key == "next")
                .map(|(_, value)| value.into_owned())?;
            app::domain::redirect::portal_return_path(&next).map(|to| Redirect::to(&to).into_response())
        }
        _ => None,
    }
}
