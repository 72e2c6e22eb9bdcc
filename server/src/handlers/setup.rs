//! `POST /setup`: the first-run setup form (with an optional logo file). On success the new
//! admin is signed in and lands on the first program's wizard, or on the brand's page; a
//! refusal goes back to the form with its errors and what was typed, and changes nothing.

use super::upload_form::{self, UploadForm};
use crate::pages;
use app::api::error::AppError;
use app::api::setup::REFUSAL_KEY;
use app::backend::admin::setup::{self, SetupForm};
use app::backend::auth;
use app::backend::csrf::CsrfToken;
use app::backend::ctx::ClientIp;
use app::backend::state::AppState;
use app::domain::admin::brand_form::{BrandInput, LOGO_MAX_BYTES, LOGO_RULES};
use app::domain::admin::program_form::ProgramInput;
use app::domain::admin::wizard;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use tower_sessions::Session;

/// The largest setup body: a logo at its limit plus the form's text.
pub const MAX_BODY_BYTES: usize = LOGO_MAX_BYTES + 128 * 1024;

fn setup_form(form: &UploadForm) -> SetupForm {
    let brand = BrandInput {
        name: form.field("name"),
        legal_name: form.field("legal_name"),
        address: form.field("address"),
        country: form.field("country"),
        default_currency: form.field("default_currency"),
        tax_id: form.field("tax_id"),
        support_email: form.field("support_email"),
        sender_name: form.field("sender_name"),
        primary_color: form.field("primary_color"),
    };
    let program = (!form.field("program_name").trim().is_empty()).then(|| ProgramInput {
        name: form.field("program_name"),
        slug: form.field("program_slug"),
        kind: form.field("program_kind"),
        currency: brand.default_currency.clone(),
        access: form.field("program_access"),
        partner_kinds: vec![],
        description: String::new(),
        terms: String::new(),
    });
    SetupForm {
        admin_name: form.field("admin_name"),
        admin_email: form.field("admin_email"),
        password: form.field("password"),
        password_confirmation: form.field("password_confirm"),
        brand,
        program,
    }
}

fn back_to_form(token: &str) -> Response {
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("token", token)
        .finish();
    Redirect::to(&format!("/setup?{query}")).into_response()
}

pub async fn submit(
    State(state): State<AppState>,
    session: Session,
    Extension(expected): Extension<CsrfToken>,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let form = match upload_form::read_logo_form(multipart, &expected.0).await {
        Ok(form) => form,
        Err(refusal) => return refusal,
    };
    let token = form.field("token");
    let typed = setup_form(&form);
    let Ok(mut conn) = state.pool.get().await else {
        return pages::unavailable();
    };
    let device = super::login::device(&ip, &headers);
    let meta = upload_form::request_meta(&headers, ip);
    let now = state.settings.clock.now();
    let outcome = if let Some((_, name)) = form.too_large.first() {
        Err(AppError::field("logo", format!("{name} is too large: {LOGO_RULES}")))
    } else {
        setup::complete(&mut conn, &token, &typed, form.file("logo"), &meta, now).await
    };
    match outcome {
        Ok(done) => {
            if let Err(e) = auth::start_session(&mut conn, &session, done.admin_id, device, now).await {
                return pages::page(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong",
                    &e.to_string(),
                );
            }
            let _ = app::api::flash::keep_for_next_page(&session, "Welcome to Trellis. Your brand is ready.").await;
            let target = match done.program_id {
                Some(program) => wizard::first_step(program),
                None => format!("/console/brands/{}", done.brand_id),
            };
            super::login::renewing_csrf(Redirect::to(&target).into_response())
        }
        Err(AppError::NotFound(_)) => {
            pages::page(StatusCode::NOT_FOUND, "Not found", "There is no page at this address.")
        }
        Err(AppError::Unavailable) => pages::unavailable(),
        Err(error @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            if session.insert(REFUSAL_KEY, error).await.is_err() {
                return pages::unavailable();
            }
            back_to_form(&token)
        }
        Err(other) => pages::page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong",
            &other.to_string(),
        ),
    }
}
