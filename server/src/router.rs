//! The router: Leptos pages and server functions, the plain handlers, static files, and the
//! middleware stack.

use crate::handlers::{
    brand_logo, brand_view, conversions_csv, creative_files, creatives, deal_reports_csv, documents, health, library,
    login, login_code, mdf_claim, mdf_files, payout_files, promo_material, segments_csv, setup, theme, training_csv,
};
use crate::middleware::security_headers::{self, SecurityHeaders};
use crate::middleware::{access, client_ip, csrf, db_gate, request_id::RandomRequestId, server_fn_status};
use crate::static_files;
use app::backend::session_store::PgSessionStore;
use app::backend::state::AppState;
use app::ui::{shell, App};
use axum::http::{header, HeaderMap, HeaderName, StatusCode};
use axum::routing::{get, post};
use axum::{middleware::from_fn, middleware::from_fn_with_state, Router};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::sync::{Arc, OnceLock};
use tower::ServiceBuilder;
use tower_http::compression::predicate::{Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

/// Everything the router needs beyond `AppState`.
#[derive(Clone, Debug, Default)]
pub struct RouterOptions {
    pub client_ip_header: Option<String>,
    pub country_header: Option<String>,
    pub bench_routes: bool,
}

/// The app's page routes, generated once per process.
///
/// Generating them renders the app with resource loading switched off, and leptos keeps that
/// switch in one process-wide flag (`leptos::server::SuppressResourceLoad`): a resource created
/// by a page that renders on another thread meanwhile waits forever. So a router built while
/// another router serves pages (the HTTP tests build one per test, two tests at a time) could
/// hang a page render. Generating once, before any router exists, rules that out.
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Pages and server-function answers go out compressed: the partner dashboard's HTML is 23 KB
/// as it is and about a fifth of that compressed. Only HTML, JSON and CSV: uploaded files (PDFs,
/// images) are already compressed or are documents whose bytes nobody should be able to probe.
/// The CSRF token in a page is masked afresh each time (`backend::csrf::masked`), so compressed
/// sizes give a BREACH-style attacker nothing stable to guess.
fn page_compression() -> CompressionLayer<impl Predicate> {
    let compressible = |_: StatusCode, _: axum::http::Version, headers: &HeaderMap, _: &axum::http::Extensions| {
        headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| {
                ["text/html", "application/json", "text/csv"]
                    .iter()
                    .any(|c| t.starts_with(c))
            })
    };
    CompressionLayer::new().compress_when(SizeAbove::new(256).and(compressible))
}

pub fn build(state: AppState, options: RouterOptions) -> Router {
    let tracking = crate::tracking::routes(
        state.clone(),
        crate::tracking::TrackingOptions {
            client_ip_header: options.client_ip_header.clone(),
            country_header: options.country_header.clone(),
            bench_routes: options.bench_routes,
        },
    );
    let routes = page_routes();
    let leptos_options = state.leptos_options.clone();
    let context_state = state.clone();
    let provide_state = move || provide_context(context_state.clone());

    let settings = state.settings.clone();
    let pool = state.pool.clone();
    let session_layer = SessionManagerLayer::new(PgSessionStore::new(state.pool.clone()))
        .with_name("trellis_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(settings.secure_cookies)
        .with_path("/")
        // Saving on every request slides the idle expiry forward while the user is active.
        .with_always_save(true)
        .with_expiry(Expiry::OnInactivity(
            time::Duration::try_from(settings.session_idle).unwrap_or(time::Duration::hours(8)),
        ));
    let base_origin = settings.base_url.split('/').take(3).collect::<Vec<_>>().join("/");
    let csrf_config = csrf::CsrfConfig {
        secret: Arc::new(settings.secret.clone()),
        base_origin,
        secure_cookie: settings.secure_cookies,
    };
    let x_request_id = HeaderName::from_static("x-request-id");

    // Request ids and tracing for everything, static files included.
    let outer = ServiceBuilder::new()
        .layer(SetRequestIdLayer::new(x_request_id.clone(), RandomRequestId))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
                let id = req
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                // The path only: a query string may hold secrets (the postback's `key`).
                tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path())
            }),
        )
        .layer(PropagateRequestIdLayer::new(x_request_id));
    // Pages, server functions and form handlers: sessions, CSRF and the access guard.
    let middleware = ServiceBuilder::new()
        .layer(from_fn_with_state(state.pool.clone(), db_gate::db_gate))
        .layer(from_fn(server_fn_status::map_status))
        .layer(from_fn_with_state(
            Arc::new(options.client_ip_header),
            client_ip::client_ip,
        ))
        .layer(session_layer)
        .layer(from_fn_with_state(csrf_config, csrf::csrf))
        .layer(from_fn_with_state(state.clone(), access::guard));

    let security = SecurityHeaders::for_base_url(&settings.base_url);
    let site_root = leptos_options.site_root.to_string();
    let library_body = library::max_body_bytes(settings.library_max_bytes);
    let pages = Router::new()
        .route("/healthz", get(health::healthz).with_state(state.pool.clone()))
        .route("/login", post(login::login))
        .route("/login/code", post(login_code::submit))
        .route("/logout", post(login::logout))
        .route("/view/brand", post(brand_view::switch))
        .route("/console/programs/{id}/conversions.csv", get(conversions_csv::export))
        .route(
            "/portal/mdf/{id}/claim",
            post(mdf_claim::file_claim).layer(axum::extract::DefaultBodyLimit::max(
                app::domain::mdf::upload::MAX_BODY_BYTES,
            )),
        )
        .route("/mdf/files/{id}", get(mdf_files::download))
        .route(
            "/portal/documents/{requirement}",
            post(documents::upload).layer(axum::extract::DefaultBodyLimit::max(documents::MAX_BODY_BYTES)),
        )
        .route("/documents/{id}", get(documents::download))
        .route(
            "/setup",
            post(setup::submit).layer(axum::extract::DefaultBodyLimit::max(setup::MAX_BODY_BYTES)),
        )
        .route(
            "/console/brands/{id}/logo",
            post(brand_logo::upload).layer(axum::extract::DefaultBodyLimit::max(brand_logo::MAX_BODY_BYTES)),
        )
        .route("/brands/{id}/logo", get(brand_logo::serve))
        .route(
            "/console/programs/{id}/creatives/add",
            post(creatives::upload).layer(axum::extract::DefaultBodyLimit::max(creatives::MAX_BODY_BYTES)),
        )
        .route("/portal/creatives/{id}/download", get(creatives::download))
        .route(
            "/console/programs/{id}/library/add",
            post(library::publish).layer(axum::extract::DefaultBodyLimit::max(library_body)),
        )
        .route(
            "/console/programs/{id}/library/{document}/versions",
            post(library::add_version).layer(axum::extract::DefaultBodyLimit::max(library_body)),
        )
        .route(
            "/console/programs/{id}/library/{document}/versions/{number}",
            get(library::operator_download),
        )
        .route("/portal/library/{id}/download", get(library::partner_download))
        .route(
            "/portal/material/submit",
            post(promo_material::submit).layer(axum::extract::DefaultBodyLimit::max(promo_material::MAX_BODY_BYTES)),
        )
        .route("/promo/screenshots/{id}", get(promo_material::screenshot))
        .route("/console/reports/deals.csv", get(deal_reports_csv::export))
        .route("/console/programs/{id}/training.csv", get(training_csv::export))
        .route("/console/programs/{id}/segments/{file}", get(segments_csv::export))
        .route("/console/payouts/1099.csv", get(payout_files::year_end))
        .route("/console/payouts/{id}/sepa/{brand}", get(payout_files::sepa))
        .route("/console/payouts/{id}/export/{format}", get(payout_files::export))
        .route(
            "/console/payouts/{id}/settlement",
            post(payout_files::settlement).layer(axum::extract::DefaultBodyLimit::max(payout_files::MAX_BODY_BYTES)),
        )
        .leptos_routes_with_context(&state, routes, provide_state.clone(), {
            let leptos_options = leptos_options.clone();
            move || shell(leptos_options.clone())
        })
        // Whatever is neither a route nor a static file gets the app's 404 page.
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(
            provide_state,
            shell,
        ))
        .layer(middleware)
        .layer(page_compression())
        .with_state(state);
    let app = static_files::in_front_of(&site_root, pages).layer(outer);
    // Stateless, like the tracking routes: no session cookie on a cached stylesheet, nor on a
    // creative's image that partners embed on their own sites.
    let themes = Router::new().route("/theme/{file}", get(theme::stylesheet)).merge(
        Router::new()
            .route("/creatives/files/{file}", get(creative_files::serve))
            .with_state(pool),
    );
    tracking
        .merge(themes)
        .merge(app)
        .layer(from_fn_with_state(security, security_headers::security_headers))
}
