//! Reading a plain multipart form (a file upload that works the same with or without
//! JavaScript: MDF claims, brand logos, the first-run setup). The CSRF middleware checks the
//! cookie and origin but leaves such bodies unread (they may be megabytes); the token must be
//! the form's first field and is compared here, with the one the middleware made for this
//! browser and session, before anything else is read. Files over their limit are dropped and
//! named, text fields are cut at a small limit.

use crate::pages;
use app::backend::csrf::{matches, FIELD_NAME};
use app::backend::flows::RequestMeta;
use app::domain::admin::brand_form::{LOGO_MAX_BYTES, LOGO_RULES};
use axum::extract::multipart::Field;
use axum::extract::multipart::MultipartRejection;
use axum::extract::Multipart;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use std::collections::HashMap;

/// Text fields are short. Past this they are cut, and a field cut here is still longer than any
/// form's own limit allows (the longest, an email swipe's 20,000 characters, is at most 80 KB),
/// so the form's check refuses it rather than storing it cut.
const MAX_TEXT_BYTES: usize = 96 * 1024;

#[derive(Debug, Default)]
pub struct UploadForm {
    pub text: HashMap<String, String>,
    /// (field, file name, bytes) of every non-empty file within its limit.
    pub files: Vec<(String, String, Vec<u8>)>,
    /// (field, file name) of every file over the limit.
    pub too_large: Vec<(String, String)>,
}

impl UploadForm {
    /// A text field as sent, or "" when it wasn't.
    pub fn field(&self, name: &str) -> String {
        self.text.get(name).cloned().unwrap_or_default()
    }

    /// The bytes of the file sent in `field`, if one was.
    pub fn file(&self, field: &str) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|(f, ..)| f == field)
            .map(|(_, _, bytes)| bytes.as_slice())
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum UploadRefused {
    /// No token first, or a wrong one: nothing was read further.
    Csrf,
    /// The body broke off or exceeded the route's limit.
    Unreadable,
}

/// Reads the form's first field, which must be this browser's CSRF token; nothing further is
/// read otherwise.
async fn token_first(multipart: &mut Multipart, expected_token: &str) -> Result<(), UploadRefused> {
    let field = multipart
        .next_field()
        .await
        .map_err(|_| UploadRefused::Unreadable)?
        .ok_or(UploadRefused::Csrf)?;
    let name = field.name().unwrap_or_default().to_owned();
    let token = field.text().await.map_err(|_| UploadRefused::Unreadable)?;
    if name == FIELD_NAME && matches(expected_token, &token) {
        Ok(())
    } else {
        Err(UploadRefused::Csrf)
    }
}

/// Reads the whole form. `expected_token` is the CSRF token the first field must carry.
pub async fn read(
    mut multipart: Multipart,
    expected_token: &str,
    max_file_bytes: usize,
) -> Result<UploadForm, UploadRefused> {
    let mut form = UploadForm::default();
    token_first(&mut multipart, expected_token).await?;
    while let Some(mut field) = multipart.next_field().await.map_err(|_| UploadRefused::Unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        let filename = field.file_name().map(str::to_owned);
        let limit = if filename.is_some() {
            max_file_bytes
        } else {
            MAX_TEXT_BYTES
        };
        let mut bytes = Vec::new();
        let mut over = false;
        while let Some(chunk) = field.chunk().await.map_err(|_| UploadRefused::Unreadable)? {
            if bytes.len() + chunk.len() > limit {
                over = true;
            } else if !over {
                bytes.extend_from_slice(&chunk);
            }
        }
        match filename {
            Some(filename) if over => form.too_large.push((name, filename)),
            Some(filename) if !(filename.is_empty() && bytes.is_empty()) => form.files.push((name, filename, bytes)),
            Some(_) => {}
            None => {
                form.text.insert(name, String::from_utf8_lossy(&bytes).into_owned());
            }
        }
    }
    Ok(form)
}

/// Reads a form whose one file is its last field (the content library's), streaming that file
/// instead of holding it: the CSRF token first (checked before anything else is read), then the
/// text fields, then `store` gets them with the file as it arrives (`None` when none was sent).
pub async fn stream_last_file<T>(
    mut multipart: Multipart,
    expected_token: &str,
    store: impl AsyncFnOnce(&UploadForm, Option<(String, Field<'_>)>) -> T,
) -> Result<T, UploadRefused> {
    let mut form = UploadForm::default();
    token_first(&mut multipart, expected_token).await?;
    while let Some(mut field) = multipart.next_field().await.map_err(|_| UploadRefused::Unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        if let Some(file_name) = field.file_name().map(str::to_owned) {
            if !file_name.is_empty() {
                return Ok(store(&form, Some((file_name, field))).await);
            }
            continue;
        }
        let mut bytes = Vec::new();
        let mut over = false;
        while let Some(chunk) = field.chunk().await.map_err(|_| UploadRefused::Unreadable)? {
            over = over || bytes.len() + chunk.len() > MAX_TEXT_BYTES;
            if !over {
                bytes.extend_from_slice(&chunk);
            }
        }
        form.text.insert(name, String::from_utf8_lossy(&bytes).into_owned());
    }
    Ok(store(&form, None).await)
}

/// Reads a whole upload form, or the page that refuses it: not a file upload, a bad CSRF token,
/// or a body past the route's limit (`too_large` says what the limit is).
pub async fn read_or_refuse(
    multipart: Result<Multipart, MultipartRejection>,
    expected_token: &str,
    max_file_bytes: usize,
    too_large: &str,
) -> Result<UploadForm, Response> {
    let Ok(multipart) = multipart else {
        return Err(pages::page(
            StatusCode::BAD_REQUEST,
            "Can't upload",
            "The form didn't arrive as a file upload. Reload the page and try again.",
        ));
    };
    match read(multipart, expected_token, max_file_bytes).await {
        Ok(form) => Ok(form),
        Err(UploadRefused::Csrf) => Err(pages::csrf_rejected()),
        Err(UploadRefused::Unreadable) => Err(pages::page(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Upload too large",
            too_large,
        )),
    }
}

/// Reads a form whose one file is a brand logo (the brand page's and the setup page's).
pub async fn read_logo_form(
    multipart: Result<Multipart, MultipartRejection>,
    expected_token: &str,
) -> Result<UploadForm, Response> {
    read_or_refuse(
        multipart,
        expected_token,
        LOGO_MAX_BYTES,
        &format!("The logo is too large: {LOGO_RULES}"),
    )
    .await
}

/// The request's id (set by the request-id middleware) and the client's address, for the audit
/// trail.
pub fn request_meta(headers: &HeaderMap, ip: String) -> RequestMeta {
    RequestMeta {
        request_id: headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        ip,
    }
}
