//! `GET|POST /postback`: the classic server-to-server postback. Same rules as the JSON API, with
//! the key and the conversion in parameters, and a one-line plain-text answer.

use app::backend::api_v1::{conversions, keys, ApiError};
use app::backend::state::AppState;
use app::domain::conversion_input;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

pub async fn postback(State(state): State<AppState>, RawQuery(query): RawQuery, body: Bytes) -> Response {
    // Parameters may come in the query string, a form body, or both (the query wins).
    let mut params: Vec<(String, String)> = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect();
    params.extend(form_urlencoded::parse(&body).into_owned());
    let outcome = async {
        let mut conn = state.pool.get().await?;
        let key = params.iter().find(|(k, _)| k == "key").map(|(_, v)| v.as_str());
        let program_id = keys::authenticate(&mut conn, key).await?;
        let input = conversion_input::from_params(&params)?;
        conversions::ingest(&mut conn, program_id, &input, state.settings.clock.now()).await
    }
    .await;
    match outcome {
        Ok(done) => {
            let r = &done.result;
            let commission = r
                .commission
                .as_ref()
                .map_or("none".to_owned(), |c| format!("{} {}", c.amount, c.currency));
            let text = format!(
                "OK {} conversion={} order_id={} attribution={} commission={}\n",
                if done.created { "created" } else { "duplicate" },
                r.id,
                r.order_id,
                r.attribution.method.as_str(),
                commission
            );
            let status = if done.created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            plain(status, text)
        }
        Err(error) => error_text(&error),
    }
}

fn error_text(error: &ApiError) -> Response {
    let status = StatusCode::from_u16(error.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let field = error.field.as_deref().map(|f| format!(" {f}:")).unwrap_or_default();
    let mut response = plain(status, format!("ERROR {}{field} {}\n", error.status, error.message));
    if error.status == 503 {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    }
    response
}

fn plain(status: StatusCode, text: String) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}
