//! Page-level access: `/console` is for operators, `/portal` for partner users. Visitors are
//! sent to log in and come back; the wrong kind of user gets a 403 page. (Server functions check
//! rights again themselves; this guard makes full page loads answer with the right status.)
//! A partner person with a partner agreement to accept is sent to it first (see `agreement_gate`).

use crate::pages;
use app::api::error::AppError;
use app::backend::auth::{self, AuthUser};
use app::backend::ctx;
use app::backend::repos::agreements;
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

pub async fn guard(State(state): State<AppState>, session: Session, mut req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let area = if super::in_area(path, "/console") {
        Area::Console
    } else if super::in_area(path, "/portal") {
        Area::Portal
    } else if PRIVATE_FILES.iter().any(|prefix| path.starts_with(prefix)) {
        return match refused_until_two_factor(&session).await {
            Some(refusal) => refusal,
            None => next.run(req).await,
        };
    } else {
        return next.run(req).await;
    };
    let reading = matches!(*req.method(), Method::GET | Method::HEAD);
    // Posts to the console check rights themselves (once two-factor sign-in is set up where it
    // must be); posts to the portal (uploads) also wait for the agreement below.
    if !reading && area == Area::Console {
        return match refused_until_two_factor(&session).await {
            Some(refusal) => refusal,
            None => next.run(req).await,
        };
    }
    let (user, agreement_due) = match viewer_and_agreements(&state, &session).await {
        Ok(found) => found,
        Err(e) => return error_page(e),
    };
    let own_area = user
        .as_ref()
        .is_some_and(|u| matches!(u.account, Account::Operator(_)) == (area == Area::Console));
    if own_area {
        match auth::two_factor_setup_due(&session).await {
            Ok(due) => {
                if let Some(response) = two_factor_gate(&req, area, reading, due) {
                    return response;
                }
            }
            Err(e) => return error_page(e),
        }
    }
    if area == Area::Portal && user.is_some() {
        if let Some(response) = agreement_gate(&req, reading, agreement_due) {
            return response;
        }
        if !agreement_due {
            req.extensions_mut().insert(ctx::AgreementsAccepted);
        }
    }
    if !reading {
        return next.run(req).await;
    }
    match (area, user) {
        (_, None) => with_next("/login", &req),
        (Area::Console, Some(u)) if matches!(u.account, Account::Operator(_)) => next.run(req).await,
        (Area::Portal, Some(u)) if matches!(u.account, Account::Partner { .. }) => next.run(req).await,
        (Area::Console, Some(_)) => {
            pages::forbidden("The console is for the program's staff. Your partner portal is at /portal.")
        }
        (Area::Portal, Some(_)) => {
            pages::forbidden("The partner portal is for partners. Staff work in the console at /console.")
        }
    }
}

/// The session's user, and whether (a partner person) they have an agreement version to accept.
async fn viewer_and_agreements(state: &AppState, session: &Session) -> Result<(Option<AuthUser>, bool), AppError> {
    let mut conn = state.pool.get().await?;
    let Some(user) = auth::current_user(&mut conn, session, &state.settings).await? else {
        return Ok((None, false));
    };
    let due = match user.account {
        Account::Partner { partner_id, .. } => agreements::any_due(&mut conn, partner_id, user.id).await?,
        Account::Operator(_) => false,
    };
    Ok((Some(user), due))
}

fn error_page(error: AppError) -> Response {
    match error {
        AppError::Unavailable => pages::unavailable(),
        e => {
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

/// A redirect to `to`, carrying the requested path and query as `next` to come back to.
fn with_next(to: &str, req: &Request) -> Response {
    let next_path = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let target: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("next", next_path)
        .finish();
    Redirect::to(&format!("{to}?{target}")).into_response()
}

/// Files outside the two areas that only signed-in people may download (their handlers check
/// who): partner documents, MDF proof files and promotion screenshots.
const PRIVATE_FILES: [&str; 3] = ["/documents/", "/mdf/files/", "/promo/screenshots/"];

/// A 409 page for a session that must set up two-factor sign-in before anything but its
/// settings (the plain handlers ask only who is signed in).
async fn refused_until_two_factor(session: &Session) -> Option<Response> {
    match auth::two_factor_setup_due(session).await {
        Ok(false) => None,
        Ok(true) => Some(two_factor_needed()),
        Err(e) => Some(error_page(e)),
    }
}

fn two_factor_needed() -> Response {
    pages::page(StatusCode::CONFLICT, "Two-factor sign-in needed", ctx::TWO_FACTOR_DUE)
}

/// A person who must set up two-factor sign-in is sent to their settings from every other page
/// of their area until they have (their sessions and password stay reachable there).
fn two_factor_gate(req: &Request, area: Area, reading: bool, due: bool) -> Option<Response> {
    let settings = match area {
        Area::Console => "/console/settings",
        Area::Portal => SETTINGS,
    };
    match (due, req.uri().path() == settings) {
        (true, false) if reading => Some(Redirect::to(settings).into_response()),
        (true, false) => Some(two_factor_needed()),
        _ => None,
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
        (true, false) if reading => Some(with_next(AGREEMENTS, req)),
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
