//! The demo's partner profiles: Northwind and Lumen have complete ones; Bright Reviews (Ana)
//! gave only its website, so her dashboard's onboarding checklist asks for the rest. Runs once:
//! a profile already saved is left alone.

use app::api::error::AppError;
use app::backend::repos::{onboarding, partners};
use app::domain::onboarding::profile::Profile;
use diesel_async::AsyncPgConnection;

const PROFILES: [(&str, &str, &[&str]); 2] = [
    (
        "ops@northwind.test",
        "Cloud resellers and integrators for mid-sized manufacturers in the US Midwest.",
        &["reselling", "referrals"],
    ),
    (
        "hello@lumenmedia.test",
        "Tech news and buying guides; 40,000 newsletter readers a week.",
        &["content", "email", "social"],
    ),
];

pub async fn seed(conn: &mut AsyncPgConnection) -> Result<(), AppError> {
    for (email, about, channels) in PROFILES {
        let Some(partner) = partners::find_by_email(conn, email).await? else {
            continue;
        };
        let (_, current) = onboarding::profile(conn, partner.id).await?;
        if current.about.is_some() {
            continue;
        }
        let profile = Profile {
            website: current.website,
            about: Some(about.to_owned()),
            channels: channels.iter().map(|c| (*c).to_owned()).collect(),
        };
        onboarding::save_profile(conn, partner.id, &profile).await?;
    }
    Ok(())
}
