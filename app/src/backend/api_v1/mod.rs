//! The machine-facing tracking API: key authentication, conversion ingestion, refunds. Errors are
//! JSON (or plain text for postbacks) with a status code a client can act on.

pub mod conversion_batch;
#[cfg(test)]
mod conversion_batch_tests;
pub mod conversion_writer;
pub mod conversions;
pub mod keys;
pub mod refunds;

use crate::domain::conversion_input::InputError;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ApiError {
    #[serde(skip)]
    pub status: u16,
    pub code: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// For a 409: the fields that differ from the stored request.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub differing_fields: Vec<String>,
}

impl ApiError {
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            field: None,
            differing_fields: Vec::new(),
        }
    }

    pub fn on_field(status: u16, field: &str, message: impl Into<String>) -> Self {
        Self {
            field: Some(field.to_owned()),
            ..Self::new(
                status,
                if status == 400 { "malformed" } else { "unprocessable" },
                message,
            )
        }
    }

    pub fn unavailable() -> Self {
        Self::new(503, "unavailable", "the database is unavailable; retry shortly")
    }

    pub fn internal(error: impl std::fmt::Display) -> Self {
        let reference = super::tokens::short_reference();
        tracing::error!(%reference, error = %error, "internal error in the tracking API");
        Self::new(500, "internal", format!("internal error; quote reference {reference}"))
    }

    /// `{"error": {...}}`
    pub fn body(&self) -> serde_json::Value {
        serde_json::json!({ "error": self })
    }
}

impl From<InputError> for ApiError {
    fn from(e: InputError) -> Self {
        Self::on_field(e.status, &e.field, e.message)
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(error: diesel::result::Error) -> Self {
        match crate::api::error::AppError::from(error) {
            crate::api::error::AppError::Unavailable => Self::unavailable(),
            crate::api::error::AppError::Conflict(m) => Self::new(409, "conflict", m),
            other => Self::new(500, "internal", other.to_string()),
        }
    }
}

impl From<diesel_async::pooled_connection::deadpool::PoolError> for ApiError {
    fn from(_: diesel_async::pooled_connection::deadpool::PoolError) -> Self {
        Self::unavailable()
    }
}
