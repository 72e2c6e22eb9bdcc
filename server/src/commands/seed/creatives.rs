//! Demo creatives in the affiliate program: three generated banners in the usual sizes, a text
//! link and a social post, added through the same flow as the console's form. Runs once.

use app::api::error::AppError;
use app::backend::creatives::flows::{self, Upload};
use app::backend::creatives::image::demo_banner;
use app::backend::flows::RequestMeta;
use app::backend::repos::audit::Actor;
use app::backend::repos::{creatives, programs, users};
use app::domain::creatives::form::CreativeInput;
use diesel_async::AsyncPgConnection;
use time::OffsetDateTime;

/// (kind, name, size, colour, text, tags)
type DemoCreative = (
    &'static str,
    &'static str,
    (u32, u32),
    [u8; 3],
    &'static str,
    &'static str,
);

const DEMO: [DemoCreative; 5] = [
    (
        "banner",
        "Acme Cloud leaderboard",
        (728, 90),
        [15, 110, 90],
        "",
        "leaderboard, evergreen",
    ),
    (
        "banner",
        "Acme Cloud rectangle",
        (300, 250),
        [26, 86, 219],
        "",
        "rectangle, evergreen",
    ),
    (
        "banner",
        "Winter sale skyscraper",
        (160, 600),
        [180, 35, 24],
        "",
        "skyscraper, winter",
    ),
    (
        "text",
        "Free trial text link",
        (0, 0),
        [0, 0, 0],
        "Try Acme Cloud free for 30 days\nHosting that scales with you. No card needed.",
        "evergreen",
    ),
    (
        "social",
        "Launch post",
        (0, 0),
        [0, 0, 0],
        "We host everything on Acme Cloud, and you can try it free: {link} #ad",
        "social",
    ),
];

/// The ids of the program's creatives, made if it had none.
pub async fn seed(conn: &mut AsyncPgConnection, now: OffsetDateTime) -> Result<Vec<i64>, AppError> {
    let Some((program, _)) = programs::find_by_slug(conn, "acme-affiliates").await? else {
        return Ok(Vec::new());
    };
    let existing = creatives::of_program(conn, program.id).await?;
    if !existing.is_empty() {
        return Ok(existing.iter().map(|c| c.id).collect());
    }
    let Some(admin) = users::find_by_email(conn, "admin@acme.test").await? else {
        return Ok(Vec::new());
    };
    let actor = Actor::user(admin.id, &admin.email);
    let mut ids = Vec::new();
    for (kind, name, (width, height), colour, body, tags) in DEMO {
        let upload = (kind == "banner").then(|| Upload {
            file_name: format!("{}.png", name.to_lowercase().replace(' ', "-")),
            bytes: demo_banner(width, height, colour),
        });
        let input = CreativeInput {
            kind: kind.into(),
            name: name.into(),
            landing_url: "https://example.com/acme-cloud".into(),
            body: body.into(),
            alt_text: format!("{name}: try Acme Cloud free"),
            tags: tags.into(),
            visibility: "all".into(),
            ..Default::default()
        };
        ids.push(flows::create(conn, &actor, program.id, &input, upload, &RequestMeta::default(), now).await?);
    }
    Ok(ids)
}
