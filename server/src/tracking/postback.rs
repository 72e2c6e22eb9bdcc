//! `GET|POST /postback`: the classic server-to-server postback. Same rules as the JSON API, with
//! the conversion in parameters and a one-line plain-text answer. The key goes in an
//! `Authorization: Bearer` header, as for `/api/v1/conversions`; platforms that can only call a
//! URL may put it in the `key` parameter instead. (Query strings end up in proxy logs and
//! browser histories, so the header is the one to recommend; Trellis itself never logs a query
//! string: its request logs carry the path only.)

use app::backend::api_v1::{keys, ApiError};
use app::backend::state::AppState;
use app::domain::conversion_input;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// The presented key: the `Authorization` header when there is one (a malformed header is
/// refused, not passed over for the parameter), else the `key` parameter.
fn presented_key<'a>(headers: &'a HeaderMap, params: &'a [(String, String)]) -> Option<&'a str> {
    match headers.get(header::AUTHORIZATION) {
        Some(value) => keys::bearer(value.to_str().ok()),
        None => params.iter().find(|(k, _)| k == "key").map(|(_, v)| v.as_str()),
    }
}

pub async fn postback(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    // Parameters may come in the query string, a form body, or both (the query wins).
    let mut params: Vec<(String, String)> = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect();
    params.extend(form_urlencoded::parse(&body).into_owned());
    let outcome = async {
        let settings = {
            let mut conn = state.pool.get().await?;
            let program_id =
                keys::authenticate(&mut conn, &state.tracking.programs, presented_key(&headers, &params)).await?;
            state.tracking.programs.settings(&mut conn, program_id).await?
        };
        let input = conversion_input::from_params(&params)?;
        let now = state.settings.clock.now();
        state
            .tracking
            .conversions
            .ingest(&state.pool, settings, input, now)
            .await
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_key_comes_first_and_the_parameter_is_the_fallback() {
        let params = vec![("key".to_owned(), "from-query".to_owned())];
        let mut headers = HeaderMap::new();
        assert_eq!(presented_key(&headers, &params), Some("from-query"));
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer from-header"));
        assert_eq!(presented_key(&headers, &params), Some("from-header"));
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic abc"));
        assert_eq!(
            presented_key(&headers, &params),
            None,
            "a malformed header is not passed over"
        );
        assert_eq!(presented_key(&HeaderMap::new(), &[]), None);
    }
}
