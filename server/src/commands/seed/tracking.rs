//! Demo tracking setup: landing domains, cookie windows and a commission rule for both programs,
//! a default link for every active partner, and a coupon code for Bright Reviews. Runs once: a
//! program that already has landing domains is left alone.

use app::api::error::AppError;
use app::backend::flows::links;
use app::backend::repos::tracking_settings::{self, SettingsChange};
use app::backend::repos::{coupons, memberships, programs};
use app::domain::commission::{RuleKind, SimpleRule};
use diesel_async::AsyncPgConnection;
use rust_decimal::Decimal;
use time::OffsetDateTime;

struct DemoTracking {
    program: &'static str,
    landing: &'static str,
    rule: RuleKind,
    value: i64,
}

const DEMO: [DemoTracking; 2] = [
    DemoTracking {
        program: "acme-affiliates",
        landing: "https://example.com/acme-cloud",
        rule: RuleKind::Percent,
        value: 20,
    },
    DemoTracking {
        program: "acme-resellers",
        landing: "https://example.com/acme-cloud/partners",
        rule: RuleKind::Flat,
        value: 50,
    },
];

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
        let rule = SimpleRule {
            kind: demo.rule,
            value: Decimal::new(demo.value, 0),
        };
        tracking_settings::set_rule(conn, program.id, &rule, now).await?;
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
