//! A demo announcement in each program, posted through the console's flow (not emailed, so the
//! demo's mailbox stays quiet). Runs once.

use app::api::error::AppError;
use app::backend::announcements;
use app::backend::flows::RequestMeta;
use app::backend::repos::audit::Actor;
use app::backend::repos::{announcements as repo, programs, users};
use app::domain::announcements::AnnouncementInput;
use diesel_async::AsyncPgConnection;
use time::OffsetDateTime;

const DEMO: [(&str, &str, &str); 2] = [
    (
        "acme-affiliates",
        "Winter promotion: 30% off every plan",
        "From **1 to 31 December** every new customer gets 30% off their first year.\n\n- New banners are in [Creatives](/portal/creatives)\n- Your commission is counted on the discounted price\n\nRemember to disclose every link with **#ad**.",
    ),
    (
        "acme-resellers",
        "New course: Selling Acme Cloud",
        "A 20-minute course on qualifying and registering deals is now in [Training](/portal/training). Pass its quiz to become an **Acme Certified Seller**.",
    ),
];

pub async fn seed(conn: &mut AsyncPgConnection, base_url: &str, now: OffsetDateTime) -> Result<(), AppError> {
    let Some(admin) = users::find_by_email(conn, "admin@acme.test").await? else {
        return Ok(());
    };
    let actor = Actor::user(admin.id, &admin.email);
    for (slug, title, body) in DEMO {
        let Some((program, _)) = programs::find_by_slug(conn, slug).await? else {
            continue;
        };
        if !repo::of_program(conn, program.id).await?.is_empty() {
            continue;
        }
        let input = AnnouncementInput {
            title: title.into(),
            body: body.into(),
            visibility: "all".into(),
            ..Default::default()
        };
        announcements::post(conn, &actor, program.id, &input, base_url, &RequestMeta::default(), now).await?;
    }
    Ok(())
}
