//! The demo's application questions, added through the console's flow: the affiliate program
//! asks for traffic, channels and a brand-bidding promise, the reseller program for markets and
//! team size. The demo's waiting applicants have answered them, so a reviewer sees answers at
//! once. Runs once.

use app::api::error::AppError;
use app::backend::flows::{questions, RequestMeta};
use app::backend::repos::application_questions as repo;
use app::backend::repos::audit::Actor;
use app::backend::repos::{memberships, partners, programs, users};
use app::domain::questions::{Answer, QuestionInput};
use diesel_async::AsyncPgConnection;
use time::OffsetDateTime;

/// (label, kind, choices one per line, required)
type Asked = (&'static str, &'static str, &'static str, bool);

const AFFILIATES: [Asked; 3] = [
    (
        "Monthly visitors to your site or channel",
        "single_choice",
        "Under 10,000\n10,000 to 100,000\nOver 100,000",
        true,
    ),
    (
        "Where you promote",
        "multiple_choice",
        "Blog or review site\nNewsletter\nYouTube or podcast\nSocial media\nCoupon or cashback site",
        false,
    ),
    ("I will not bid on “Acme Cloud” in search ads", "checkbox", "", true),
];
const RESELLERS: [Asked; 2] = [
    (
        "Markets you sell in",
        "multiple_choice",
        "Europe\nNorth America\nLatin America\nAsia Pacific",
        true,
    ),
    ("How many people sell or deliver for you?", "short_text", "", false),
];

/// (applicant's email, program slug, answers in question order; an empty answer is skipped)
const ANSWERS: [(&str, &str, &[&[&str]]); 3] = [
    (
        "team@pixeldeals.test",
        "acme-affiliates",
        &[&["Over 100,000"], &["Coupon or cashback site", "Newsletter"], &["Yes"]],
    ),
    (
        "partners@orbit.test",
        "acme-resellers",
        &[&["Europe"], &["14 consultants in Amsterdam and Utrecht"]],
    ),
    (
        "hello@lumenmedia.test",
        "acme-resellers",
        &[&["Europe", "North America"], &[]],
    ),
];

pub async fn seed(conn: &mut AsyncPgConnection, now: OffsetDateTime) -> Result<(), AppError> {
    let Some(admin) = users::find_by_email(conn, "admin@acme.test").await? else {
        return Ok(());
    };
    let actor = Actor::user(admin.id, &admin.email);
    for (slug, asked) in [("acme-affiliates", &AFFILIATES[..]), ("acme-resellers", &RESELLERS[..])] {
        let Some((program, _)) = programs::find_by_slug(conn, slug).await? else {
            continue;
        };
        if !repo::in_use(conn, program.id).await?.is_empty() {
            return Ok(());
        }
        for (label, kind, options, required) in asked {
            let input = QuestionInput {
                label: (*label).into(),
                kind: (*kind).into(),
                options: (*options).into(),
                help: String::new(),
                required: *required,
            };
            questions::save(conn, &actor, (program.id, None), &input, &RequestMeta::default(), now).await?;
        }
    }
    answer_for_applicants(conn).await
}

async fn answer_for_applicants(conn: &mut AsyncPgConnection) -> Result<(), AppError> {
    for (email, slug, given) in ANSWERS {
        let (Some(partner), Some((program, _))) = (
            partners::find_by_email(conn, email).await?,
            programs::find_by_slug(conn, slug).await?,
        ) else {
            continue;
        };
        let Some(membership) = memberships::find(conn, partner.id, program.id).await? else {
            continue;
        };
        let answers: Vec<Answer> = repo::in_use(conn, program.id)
            .await?
            .into_iter()
            .zip(given)
            .filter(|(_, values)| !values.is_empty())
            .map(|(q, values)| Answer {
                question_id: q.id,
                label: q.label,
                values: values.iter().map(|v| (*v).to_owned()).collect(),
            })
            .collect();
        repo::insert_answers(conn, membership.id, &answers).await?;
    }
    Ok(())
}
