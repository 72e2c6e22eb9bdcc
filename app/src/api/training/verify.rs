//! The public verification page of a certificate, `/verify/{code}`: the holder's name, the
//! certification, the partner company and the valid-until date, and nothing else.

use crate::api::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VerifiedDto {
    pub holder: String,
    pub certification: String,
    pub partner: String,
    pub valid_until: String,
    pub valid: bool,
}

pub const NO_SUCH_CERTIFICATE: &str = "No certificate has this code. Check the address you were given.";

#[server(input = GetUrl)]
pub async fn verify_certificate(code: String) -> Result<VerifiedDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::certifications;
    use crate::domain::format;
    let code = code.trim().to_ascii_uppercase();
    // Codes are 12 letters and digits: anything else can't be one, and isn't looked up.
    if code.len() != 12 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(AppError::NotFound(NO_SUCH_CERTIFICATE.into()));
    }
    let found = certifications::by_code(&mut *ctx::db().await?, &code)
        .await?
        .ok_or_else(|| AppError::NotFound(NO_SUCH_CERTIFICATE.into()))?;
    Ok(VerifiedDto {
        holder: found.holder,
        certification: found.certification,
        partner: found.partner,
        valid_until: format::date(found.valid_until),
        valid: found.valid_until > ctx::now(),
    })
}
