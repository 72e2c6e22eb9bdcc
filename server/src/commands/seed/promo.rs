//! The affiliate program's rules for partners' own material (approval, "#ad", no bidding on
//! "Acme Cloud"), and one submission from Bright Reviews waiting for review with what the checks
//! flagged, made through the same flows as the forms. Runs once.

use app::api::error::AppError;
use app::backend::flows::RequestMeta;
use app::backend::promo;
use app::backend::repos::audit::Actor;
use app::backend::repos::{programs, promo as repo, users};
use app::domain::promo::{Rules, SubmissionInput};
use diesel_async::AsyncPgConnection;
use time::OffsetDateTime;

pub async fn seed(conn: &mut AsyncPgConnection, now: OffsetDateTime) -> Result<(), AppError> {
    let Some((program, _)) = programs::find_by_slug(conn, "acme-affiliates").await? else {
        return Ok(());
    };
    let (Some(admin), Some(ana)) = (
        users::find_by_email(conn, "admin@acme.test").await?,
        users::find_by_email(conn, "ana@brightreviews.test").await?,
    ) else {
        return Ok(());
    };
    if !repo::of_program(conn, program.id).await?.is_empty() {
        return Ok(());
    }
    let rules = Rules {
        require_approval: true,
        disclosure_phrases: vec!["#ad".into(), "affiliate link".into()],
        brand_terms: vec!["Acme Cloud".into()],
    };
    let meta = RequestMeta::default();
    promo::save_rules(
        conn,
        &Actor::user(admin.id, &admin.email),
        program.id,
        &rules,
        &meta,
        now,
    )
    .await?;
    let Some(partner_id) = ana.partner_id else {
        return Ok(());
    };
    let input = SubmissionInput {
        program_id: Some(program.id),
        channel: "paid_search".into(),
        url: "https://ads.brightreviews.test/hosting".into(),
        body: "Acme Cloud hosting: 30 days free\nFast, simple hosting for growing teams.".into(),
    };
    promo::submit(
        conn,
        &Actor::user(ana.id, &ana.email),
        partner_id,
        &input,
        None,
        &meta,
        now,
    )
    .await?;
    Ok(())
}
