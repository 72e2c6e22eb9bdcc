//! Where database and pool errors become `AppError`s: the one mapping for the whole program.

use crate::api::error::AppError;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::pooled_connection::deadpool::PoolError;

/// Logs the real error under a short reference and returns the reference to show the user.
pub fn internal(error: impl std::fmt::Display) -> AppError {
    let reference = super::tokens::short_reference();
    tracing::error!(%reference, error = %error, "internal error");
    AppError::Internal(reference)
}

/// `NotFound` with a message that names what is missing; every other error maps as usual.
pub fn not_found_as(error: DieselError, message: &str) -> AppError {
    match error {
        DieselError::NotFound => AppError::NotFound(message.to_owned()),
        other => other.into(),
    }
}

impl From<DieselError> for AppError {
    fn from(error: DieselError) -> Self {
        match &error {
            DieselError::NotFound => AppError::NotFound("That record doesn't exist.".into()),
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                AppError::Conflict("That already exists.".into())
            }
            DieselError::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => {
                AppError::Conflict("Someone else changed this at the same moment. Reload and try again.".into())
            }
            DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, _)
            | DieselError::BrokenTransactionManager => {
                tracing::warn!(error = %error, "database connection lost");
                AppError::Unavailable
            }
            DieselError::DatabaseError(_, info) if is_connection_failure(info.message()) => {
                tracing::warn!(error = %error, "database unavailable");
                AppError::Unavailable
            }
            _ => internal(error),
        }
    }
}

fn is_connection_failure(message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    [
        "connection closed",
        "connection reset",
        "terminating connection",
        "broken pipe",
        "error connecting",
    ]
    .iter()
    .any(|needle| message.contains(needle))
}

impl From<PoolError> for AppError {
    fn from(error: PoolError) -> Self {
        tracing::warn!(error = %error, "no database connection available");
        AppError::Unavailable
    }
}
