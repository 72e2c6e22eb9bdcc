//! `GET /creatives/files/{sha256}.{ext}`: a creative's image or thumbnail, to anyone. Partners
//! embed these on their own sites, so no session is read or set. The address is the SHA-256 of the
//! bytes, so it can be cached for good; a revalidation with the same tag is a bodiless 304.

use crate::pages;
use app::backend::db::DbPool;
use app::backend::repos::creatives;
use app::domain::creatives::image_type::ImageType;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

pub async fn serve(State(pool): State<DbPool>, Path(file): Path<String>, headers: HeaderMap) -> Response {
    let Some((sha256, image_type)) = parse(&file) else {
        return missing();
    };
    let etag = format!("\"{sha256}\"");
    let cached = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag || tag.trim() == "*"));
    if cached {
        // The bytes at this address never change: a known tag is current without asking the
        // database.
        return with_cache_headers(StatusCode::NOT_MODIFIED.into_response(), &etag);
    }
    let Ok(mut conn) = pool.get().await else {
        return pages::unavailable();
    };
    match creatives::file(&mut conn, sha256).await {
        Ok(Some((content_type, data))) if content_type == image_type.content_type() => {
            let mut response = (StatusCode::OK, data).into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(image_type.content_type()),
            );
            with_cache_headers(response, &etag)
        }
        Ok(_) => missing(),
        Err(_) => pages::unavailable(),
    }
}

/// "{64 hex}.{png|jpg|gif|webp}" → (hash, type).
fn parse(file: &str) -> Option<(&str, ImageType)> {
    let (sha256, ext) = file.split_once('.')?;
    let valid = sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    valid.then_some(())?;
    Some((sha256, ImageType::from_extension(ext)?))
}

fn with_cache_headers(mut response: Response, etag: &str) -> Response {
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(header::ETAG, value);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    // Partners' pages on other sites load these.
    headers.insert(
        header::HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static("cross-origin"),
    );
    response
}

fn missing() -> Response {
    pages::page(StatusCode::NOT_FOUND, "Not found", "There is no such image.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_full_hash_with_a_known_extension_is_an_address() {
        let sha = "a".repeat(64);
        assert_eq!(parse(&format!("{sha}.png")), Some((sha.as_str(), ImageType::Png)));
        assert_eq!(parse(&format!("{sha}.svg")), None);
        assert_eq!(parse(&format!("{}.png", "A".repeat(64))), None);
        assert_eq!(parse("abc.png"), None);
        assert_eq!(parse(&sha), None);
    }
}
