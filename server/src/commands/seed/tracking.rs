//! Demo tracking setup: landing domains, cookie windows and a commission plan for both programs,
//! a default link for every active partner, and a coupon code for Bright Reviews. Runs once: a
//! program that already has landing domains is left alone.

use app::api::error::AppError;
use app::backend::flows::links;
use app::backend::repos::tracking_settings::{self, SettingsChange};
use app::backend::repos::{coupons, memberships, programs};
use app::backend::tracking::program_cache::ProgramSettings;
use diesel_async::AsyncPgConnection;
use rust_decimal::Decimal;
use time::OffsetDateTime;

struct DemoTracking {
    program: &'static str,
    landing: &'static str,
}

const DEMO: [DemoTracking; 2] = [
    DemoTracking {
        program: "acme-affiliates",
        landing: "https://example.com/acme-cloud",
    },
    DemoTracking {
        program: "acme-resellers",
        landing: "https://example.com/acme-cloud/partners",
    },
];

/// Thirty days of sample clicks and sales on the affiliates' default links, recorded through
/// the same click writer and conversion ingestion as real traffic, so the demo's reports have
/// something to show. Deterministic, so every demo looks the same.
pub async fn sample_traffic(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    use app::backend::api_v1::conversions;
    use app::backend::repos::clicks::ClickRow;
    use app::backend::tracking::{click_writer, new_click_id};
    use app::domain::conversion_input::ConversionInput;
    use rand::{Rng, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(2026);
    let links = app::backend::repos::links::for_program(conn, program_id).await?;
    // About half the clicks come through the program's creatives, when it has some.
    let creatives: Vec<i64> = app::backend::repos::creatives::of_program(conn, program_id)
        .await?
        .iter()
        .map(|c| c.id)
        .collect();
    let settings = ProgramSettings::load(conn, program_id).await?;
    for (link, _) in links.iter().filter(|(l, _)| l.is_default) {
        for days_ago in (1..=30).rev() {
            let day = now - time::Duration::days(days_ago);
            let mut clicks = Vec::new();
            for i in 0..rng.gen_range(4..18) {
                clicks.push(ClickRow {
                    id: new_click_id(),
                    link_id: link.id,
                    partner_id: link.partner_id,
                    program_id,
                    clicked_at: day + time::Duration::minutes(i * 37),
                    ip: format!("198.51.100.{}", rng.gen_range(1..250)),
                    user_agent: "Mozilla/5.0 (demo visitor)".into(),
                    referrer: Some("https://brightreviews.test/best-cloud-hosting".into()),
                    sub1: Some(["newsletter", "youtube", "blog"][rng.gen_range(0..3)].into()),
                    sub2: None,
                    sub3: None,
                    sub4: None,
                    sub5: None,
                    country: Some(["DE", "GB", "US", "FR"][rng.gen_range(0..4)].into()),
                    flag: (rng.gen_range(0..10) == 0).then(|| "repeat".into()),
                    creative_id: (!creatives.is_empty() && rng.gen_bool(0.5))
                        .then(|| creatives[rng.gen_range(0..creatives.len())]),
                });
            }
            click_writer::write_clicks(conn, &clicks).await?;
            for click in &clicks {
                if rng.gen_range(0..100) >= 7 {
                    continue;
                }
                let cents = rng.gen_range(1900..19900);
                let input = ConversionInput {
                    order_id: format!("DEMO-{}", &click.id[..10]),
                    event: "sale".into(),
                    amount: Some(Decimal::new(cents, 2)),
                    currency: Some("EUR".into()),
                    click_id: Some(click.id.clone()),
                    coupon: None,
                    customer_id: None,
                    customer_email: None,
                    occurred_at: Some(click.clicked_at + time::Duration::minutes(20)),
                    metadata: None,
                    program: None,
                    deductions: Decimal::ZERO,
                    deductions_detail: None,
                    country: click.country.clone(),
                };
                conversions::ingest(conn, &settings, &input, now)
                    .await
                    .map_err(|e| AppError::Request(e.message))?;
            }
        }
    }
    Ok(())
}

pub async fn seed(conn: &mut AsyncPgConnection) -> Result<(), AppError> {
    let now = OffsetDateTime::now_utc();
    for demo in &DEMO {
        let Some((program, _)) = programs::find_by_slug(conn, demo.program).await? else {
            continue;
        };
        if !tracking_settings::get(conn, program.id)
            .await?
            .allowed_domains
            .is_empty()
        {
            continue;
        }
        let change = SettingsChange {
            allowed_domains: vec!["example.com".into()],
            default_landing_url: Some(demo.landing.into()),
            cookie_days: 30,
            attribution_model: "last_click".into(),
            click_param: "trl_click".into(),
            coupons_override: false,
        };
        tracking_settings::update(conn, program.id, &change).await?;
        super::commission::seed_program(conn, program.id, &program.currency, demo.program, now).await?;
        for partner_id in memberships::active_partner_ids(conn, program.id).await? {
            links::ensure_default(conn, partner_id, program.id, now).await?;
        }
        if demo.program == "acme-affiliates" {
            if let Some(bright) = app::backend::repos::partners::find_by_email(conn, "ana@brightreviews.test").await? {
                coupons::insert(conn, program.id, bright.id, "BRIGHT20", now).await?;
            }
        }
    }
    Ok(())
}
