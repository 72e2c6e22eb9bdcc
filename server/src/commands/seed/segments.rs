//! The demo's segments: in the affiliate program, the content partners who earned in the last
//! 30 days (Lumen and Bright Reviews, tagged "content"), and those not activated yet; in the
//! resellers' program, partners with a won deal this quarter. Runs once: a program that already
//! has segments is left alone.

use app::api::error::AppError;
use app::backend::repos::{memberships, partners, programs, segments};
use app::domain::segments::filter::Fields;
use diesel_async::AsyncPgConnection;
use time::OffsetDateTime;

/// (program slug, segment name, filter fields)
type DemoSegment = (&'static str, &'static str, &'static [(&'static str, &'static str)]);

const SEGMENTS: [DemoSegment; 3] = [
    (
        "acme-affiliates",
        "Content partners earning lately",
        &[("tag", "content"), ("window_days", "30"), ("min_revenue", "1")],
    ),
    (
        "acme-affiliates",
        "Not activated yet",
        &[("onboarding", "not_activated")],
    ),
    (
        "acme-resellers",
        "Won a deal this quarter",
        &[("window_days", "90"), ("min_won_deals", "1")],
    ),
];

const TAGGED: [(&str, &str); 2] = [
    ("hello@lumenmedia.test", "content"),
    ("ana@brightreviews.test", "content"),
];

pub async fn seed(conn: &mut AsyncPgConnection, now: OffsetDateTime) -> Result<(), AppError> {
    if let Some((program, _)) = programs::find_by_slug(conn, "acme-affiliates").await? {
        if !segments::list(conn, program.id).await?.is_empty() {
            return Ok(());
        }
        for (email, tag) in TAGGED {
            if let Some(partner) = partners::find_by_email(conn, email).await? {
                memberships::set_tags(conn, program.id, partner.id, &[tag.to_owned()]).await?;
            }
        }
    }
    for (slug, name, pairs) in SEGMENTS {
        let Some((program, _)) = programs::find_by_slug(conn, slug).await? else {
            continue;
        };
        let fields: Fields = pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        segments::save(conn, program.id, None, name, &fields, None, now).await?;
    }
    Ok(())
}
