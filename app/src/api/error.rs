//! The one error type of server functions and handlers. Every variant carries a message a person
//! can act on; internal details stay in the server log under a reference id.

use crate::domain::validate::FieldErrors;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please correct the fields marked below.")]
    Invalid(FieldErrors),
    #[error("Please log in to continue.")]
    Unauthenticated,
    #[error("You don't have access to this page or action.")]
    Forbidden,
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("Too many attempts. Try again in {}.", wait_text(*retry_after_secs))]
    TooManyRequests { retry_after_secs: u64 },
    #[error("This form has expired or was sent from another site. Reload the page and try again.")]
    Csrf,
    #[error("Trellis can't reach its database right now. Please try again in a moment.")]
    Unavailable,
    #[error("Something went wrong on our side. If it keeps happening, quote reference {0}.")]
    Internal(String),
    #[error("The request could not be completed: {0}")]
    Request(String),
}

impl AppError {
    /// A form error on one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid(FieldErrors::single(field, message))
    }

    pub fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            Self::Invalid(errors) => Some(errors),
            _ => None,
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            Self::Invalid(_) | Self::Request(_) => 400,
            Self::Unauthenticated => 401,
            Self::Forbidden | Self::Csrf => 403,
            Self::NotFound(_) => 404,
            Self::Conflict(_) => 409,
            Self::TooManyRequests { .. } => 429,
            Self::Unavailable => 503,
            Self::Internal(_) => 500,
        }
    }
}

/// "4 minutes", "1 minute", "30 seconds".
pub fn wait_text(secs: u64) -> String {
    match secs {
        0..=59 => format!("{} second{}", secs.max(1), if secs == 1 { "" } else { "s" }),
        _ => {
            let minutes = secs.div_ceil(60);
            format!("{minutes} minute{}", if minutes == 1 { "" } else { "s" })
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        Self::Request(value.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_plain_sentences() {
        assert_eq!(
            AppError::TooManyRequests { retry_after_secs: 125 }.to_string(),
            "Too many attempts. Try again in 3 minutes."
        );
        assert_eq!(wait_text(1), "1 second");
        assert_eq!(wait_text(60), "1 minute");
        assert_eq!(
            AppError::field("email", "bad").field_errors().unwrap().get("email"),
            Some("bad")
        );
        assert_eq!(AppError::Unavailable.status(), 503);
    }
}
