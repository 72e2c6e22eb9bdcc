//! The first-run setup page's data: whether the link works, and the refusal of the last
//! submission (the form is a file upload handled by `server/src/handlers/setup.rs`, which
//! leaves its errors in the session and sends the browser back here).

use super::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SetupPageDto {
    /// False: the link is missing, used, expired or replaced; the page says what to do.
    pub link_valid: bool,
    pub refusal: Option<AppError>,
    pub kinds: Vec<(String, String)>,
}

/// The session key of the setup form's last refusal.
pub const REFUSAL_KEY: &str = "setup-refusal";

#[server(input = GetUrl)]
pub async fn setup_page(token: Option<String>) -> Result<SetupPageDto, AppError> {
    use crate::backend::admin::setup::{self, SetupState};
    use crate::backend::ctx;
    use crate::domain::admin::program_form::ProgramKind;
    let mut conn = ctx::db().await?;
    let link_valid = match setup::state(&mut conn, token.as_deref().unwrap_or_default(), ctx::now()).await? {
        // Gone for good once an operator exists: the same answer as any unknown page.
        SetupState::Done => return Err(AppError::NotFound("There is no page at this address.".into())),
        SetupState::LinkInvalid => {
            ctx::set_status(403);
            false
        }
        SetupState::Open => true,
    };
    let refusal = ctx::session()
        .await?
        .remove::<AppError>(REFUSAL_KEY)
        .await
        .map_err(crate::backend::errors::internal)?;
    Ok(SetupPageDto {
        link_valid,
        refusal,
        kinds: ProgramKind::ALL
            .iter()
            .map(|k| (k.as_str().to_owned(), k.label().to_owned()))
            .collect(),
    })
}
