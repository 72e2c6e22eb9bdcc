//! The demo's partner agreements, published through the console's flow: the affiliate program
//! is on its second version (with what changed), the reseller program on its first. Every demo
//! partner person has accepted the version in force, so the demo logins open the portal at once;
//! a partner approved later accepts at first login. Runs once.

use app::api::error::AppError;
use app::backend::agreements;
use app::backend::flows::RequestMeta;
use app::backend::repos::agreements as repo;
use app::backend::repos::audit::Actor;
use app::backend::repos::{programs, users};
use app::backend::schema::{program_memberships as memberships, users as people};
use app::domain::agreements::AgreementInput;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::{Duration, OffsetDateTime};

const AFFILIATE_V1: &str = "# Acme Affiliates partner agreement\n\n## 1. Promotion\nYou promote Acme Cloud honestly, disclose every link with **#ad**, and never bid on our brand name in search ads.\n\n## 2. Commission\nCommission is earned on paid, non-refunded orders within the cookie window, under the terms shown in your portal.\n\n## 3. Payouts\nPayouts are monthly in EUR once your balance passes EUR 50.";
const AFFILIATE_V2_PAYOUTS: &str = "## 3. Payouts\nPayouts are monthly in EUR once your balance passes EUR 50. A change of payout details holds the next payout for 7 days.\n\n## 4. Data\nYou keep the customer data you receive confidential and delete it when the agreement ends.";
const RESELLER_V1: &str = "# Acme Resellers partner agreement\n\n1. Register every opportunity before you quote it; approved registrations are protected for 90 days.\n2. Margins and MDF follow your tier, as set out in the partner guide.\n3. MDF claims need proof of performance within 60 days of the activity.";

/// One demo version: its text, what changed, and how long ago it was published.
struct Published {
    body: String,
    changes: &'static str,
    days_ago: i64,
}

impl Published {
    fn first(body: String, days_ago: i64) -> Self {
        Self {
            body,
            changes: "",
            days_ago,
        }
    }
}

pub async fn seed(conn: &mut AsyncPgConnection, now: OffsetDateTime) -> Result<(), AppError> {
    let Some(admin) = users::find_by_email(conn, "admin@acme.test").await? else {
        return Ok(());
    };
    let actor = Actor::user(admin.id, &admin.email);
    let affiliate_v2 = AFFILIATE_V1.replace(
        "## 3. Payouts\nPayouts are monthly in EUR once your balance passes EUR 50.",
        AFFILIATE_V2_PAYOUTS,
    );
    let versions = [
        (
            "acme-affiliates",
            "Partner agreement",
            vec![
                Published::first(AFFILIATE_V1.to_owned(), 90),
                Published {
                    body: affiliate_v2,
                    changes: "Payouts: a change of payout details now holds the next payout for 7 days.\nNew section 4 on customer data.",
                    days_ago: 20,
                },
            ],
        ),
        ("acme-resellers", "Reseller agreement", vec![Published::first(RESELLER_V1.to_owned(), 60)]),
    ];
    for (slug, title, texts) in versions {
        let Some((program, _)) = programs::find_by_slug(conn, slug).await? else {
            continue;
        };
        if repo::in_force(conn, program.id).await?.is_some() {
            continue;
        }
        for text in texts {
            let published = now - Duration::days(text.days_ago);
            let input = AgreementInput {
                title: title.into(),
                body: text.body,
                changes: text.changes.into(),
            };
            let row = agreements::publish(conn, &actor, program.id, &input, &RequestMeta::default(), published).await?;
            accept_for_everyone(conn, program.id, row.id, published + Duration::days(1)).await?;
        }
    }
    Ok(())
}

/// Every person of the program's active partners accepts version `agreement_id`.
async fn accept_for_everyone(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    agreement_id: i64,
    at: OffsetDateTime,
) -> Result<(), AppError> {
    let persons: Vec<(i64, i64, String)> = people::table
        .inner_join(memberships::table.on(memberships::partner_id.nullable().eq(people::partner_id)))
        .filter(memberships::program_id.eq(program_id))
        .filter(memberships::status.eq("active"))
        .select((people::id, memberships::partner_id, people::email))
        .load(conn)
        .await?;
    let meta = RequestMeta {
        request_id: None,
        ip: "198.51.100.24".into(),
    };
    for (user_id, partner_id, email) in persons {
        let actor = Actor::user(user_id, &email);
        agreements::accept(conn, &actor, (partner_id, user_id), agreement_id, &meta, at).await?;
    }
    Ok(())
}
