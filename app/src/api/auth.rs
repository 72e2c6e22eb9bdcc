//! Who is logged in, and password resets and changes. (Login and logout are plain form posts
//! handled by the server crate, because they set and clear the session cookie.)

use super::error::AppError;
use crate::domain::access::OperatorRole;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Area {
    Console {
        role: OperatorRole,
    },
    Portal {
        partner_name: String,
        is_owner: bool,
        /// The brand the portal wears: the one of every program the partner is in, when they
        /// share one, or the one the partner switched to.
        brand: Option<PortalBrand>,
        /// Announcements this person hasn't read, for the navigation's count.
        unread_announcements: usize,
    },
}

/// How the portal wears a brand: its name and logo in the header, its colour as the accent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PortalBrand {
    pub name: String,
    pub logo_url: Option<String>,
    pub stylesheet_url: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ViewerDto {
    pub display_name: String,
    pub email: String,
    pub area: Area,
    /// The brands to switch between, for a person whose programs span several.
    pub brand_switch: Option<BrandSwitch>,
}

/// The top bar's brand switcher: the console's brand filter, the portal's brand switch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BrandSwitch {
    /// (brand id, name), by name.
    pub brands: Vec<(i64, String)>,
    /// The brand chosen; `None` shows every brand.
    pub chosen: Option<i64>,
}

impl BrandSwitch {
    /// A switch over `brands` when there are two or more, with `chosen` kept only if among them.
    pub fn over(brands: Vec<(i64, String)>, chosen: Option<i64>) -> Option<Self> {
        let chosen = chosen.filter(|c| brands.iter().any(|(id, _)| id == c));
        (brands.len() > 1).then_some(Self { brands, chosen })
    }
}

/// Shown when a reset or invitation link no longer works.
pub const EXPIRED_LINK_MESSAGE: &str = "This link has expired or has already been used. Ask for a new one below.";

#[server(input = GetUrl)]
pub async fn get_viewer() -> Result<Option<ViewerDto>, AppError> {
    use crate::backend::brand_view;
    use crate::backend::ctx;
    use crate::backend::repos::{partners, users::Account};
    use crate::domain::access::PartnerRole;
    let Some(user) = ctx::viewer().await? else {
        return Ok(None);
    };
    let chosen = brand_view::chosen(&ctx::session().await?).await;
    let mut conn = ctx::db().await?;
    let theirs = brand_view::choices(&mut conn, &user).await?;
    let switch = BrandSwitch::over(theirs.iter().map(|b| (b.id, b.name.clone())).collect(), chosen);
    let area = match user.account {
        Account::Operator(role) => Area::Console { role },
        Account::Partner { partner_id, role } => {
            let partner = partners::get(&conn, partner_id).await?;
            // The portal wears the brand switched to, or the only one.
            let worn = match switch.as_ref().and_then(|s| s.chosen) {
                Some(id) => theirs.into_iter().find(|b| b.id == id),
                None if theirs.len() == 1 => theirs.into_iter().next(),
                None => None,
            };
            let unread_announcements = super::announcements::unread_count(&mut conn, partner_id, user.id).await?;
            Area::Portal {
                unread_announcements,
                partner_name: partner.name,
                is_owner: role == PartnerRole::Owner,
                brand: worn.map(|b| PortalBrand {
                    logo_url: super::brands::build::logo_url(&b),
                    stylesheet_url: crate::domain::admin::accent::stylesheet_path(&b.primary_color),
                    name: b.name,
                }),
            }
        }
    };
    Ok(Some(ViewerDto {
        display_name: user.display_name,
        email: user.email,
        area,
        brand_switch: switch,
    }))
}

#[server]
pub async fn request_password_reset(csrf_token: String, email: String) -> Result<(), AppError> {
    use crate::backend::{ctx, flows, repos::rate_limits};
    ctx::verify_csrf(&csrf_token)?;
    let email = crate::domain::validate::email(&email).map_err(|m| AppError::field("email", m))?;
    let meta = ctx::request_meta();
    let mut conn = ctx::db().await?;
    let window = std::time::Duration::from_secs(3600);
    let usage = rate_limits::hit(&mut conn, &format!("reset-ip:{}", meta.ip), window, ctx::now()).await?;
    if usage.hits > 20 {
        let wait = (usage.resets_at - ctx::now()).whole_seconds().max(1) as u64;
        return Err(AppError::TooManyRequests { retry_after_secs: wait });
    }
    flows::passwords::request_reset(&mut conn, &ctx::state()?.settings, &email, &meta, ctx::now()).await?;
    leptos_axum::redirect("/forgot-password?sent=1");
    Ok(())
}

/// Whether a reset or invitation link still works (so the page can say so before the form).
#[server(input = GetUrl)]
pub async fn password_token_is_valid(token: String) -> Result<bool, AppError> {
    use crate::backend::{ctx, repos::password_tokens};
    let mut conn = ctx::db().await?;
    Ok(password_tokens::peek(&mut conn, &token, ctx::now()).await?.is_some())
}

#[server]
pub async fn set_password(
    csrf_token: String,
    token: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    use crate::backend::{ctx, flows};
    ctx::verify_csrf(&csrf_token)?;
    let meta = ctx::request_meta();
    let mut conn = ctx::db().await?;
    flows::passwords::set_with_token(&mut conn, &token, &password, &password_confirm, &meta, ctx::now()).await?;
    leptos_axum::redirect("/login?notice=password-set");
    Ok(())
}

#[server]
pub async fn change_password(
    csrf_token: String,
    current_password: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    use crate::backend::{auth, ctx, flows};
    ctx::verify_csrf(&csrf_token)?;
    let user = ctx::viewer().await?.ok_or(AppError::Unauthenticated)?;
    let meta = ctx::request_meta();
    let mut conn = ctx::db().await?;
    flows::passwords::change(&mut conn, &user, &current_password, &password, &password_confirm, &meta).await?;
    let session = ctx::session().await?;
    auth::refresh_session(&mut conn, &session, user.id).await?;
    // The session id changed, and with it the CSRF token of every form on the page: the page
    // loads again (with JavaScript too, see `ChangePasswordForm`) and shows this message.
    super::flash::keep_for_next_page(&session, PASSWORD_CHANGED).await
}

/// Shown once after a password change.
pub const PASSWORD_CHANGED: &str = "Your password was changed. Other sessions have been logged out.";
