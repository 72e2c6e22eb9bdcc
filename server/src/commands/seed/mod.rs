//! `trellis seed-demo`: the Acme Cloud brand with an affiliate program (EUR) and a reseller
//! program (USD, with deals in every stage), a second brand (Globex) with its own program and a
//! manager limited to it, six operators (two in finance), three partners with portal logins and a
//! few applications waiting for review. Running it again changes nothing.

use app::api::error::AppError;
use app::backend::passwords;
use app::backend::repos::audit::{self, Actor, NewEvent};
use app::backend::repos::partners::{self, NewPartner};
use app::backend::repos::programs::{self, NewProgram};
use app::backend::repos::{memberships, users};
use app::domain::access::{OperatorRole, PartnerRole};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use time::OffsetDateTime;

mod agreements;
mod announcements;
mod brands;
mod commission;
mod creatives;
mod deals;
mod documents;
mod library;
mod mdf;
mod payouts;
mod pipeline;
mod profiles;
mod promo;
mod questions;
mod segments;
mod team;
mod tiers;
mod tracking;
mod training;

pub const DEMO_PASSWORD: &str = "trellis-demo-2026";

pub const OPERATORS: [(&str, &str, OperatorRole); 3] = [
    ("admin@acme.test", "Avery Admin", OperatorRole::Admin),
    ("manager@acme.test", "Morgan Manager", OperatorRole::Manager),
    ("finance@acme.test", "Finley Finance", OperatorRole::Finance),
];

struct DemoPartner {
    name: &'static str,
    email: &'static str,
    kind: &'static str,
    country: &'static str,
    website: &'static str,
    /// (program slug, final status) — `applied` stays waiting for review.
    programs: &'static [(&'static str, &'static str)],
    has_login: bool,
}

const PARTNERS: [DemoPartner; 5] = [
    DemoPartner {
        name: "Bright Reviews",
        email: "ana@brightreviews.test",
        kind: "creator",
        country: "DE",
        website: "https://brightreviews.test",
        programs: &[("acme-affiliates", "active")],
        has_login: true,
    },
    DemoPartner {
        name: "Northwind Systems",
        email: "ops@northwind.test",
        kind: "reseller",
        country: "US",
        website: "https://northwind.test",
        programs: &[("acme-resellers", "active")],
        has_login: true,
    },
    DemoPartner {
        name: "Lumen Media",
        email: "hello@lumenmedia.test",
        kind: "publisher",
        country: "GB",
        website: "https://lumenmedia.test",
        programs: &[("acme-affiliates", "active"), ("acme-resellers", "applied")],
        has_login: true,
    },
    DemoPartner {
        name: "Pixel Deals",
        email: "team@pixeldeals.test",
        kind: "affiliate",
        country: "FR",
        website: "https://pixeldeals.test",
        programs: &[("acme-affiliates", "applied")],
        has_login: false,
    },
    DemoPartner {
        name: "Orbit Integrations",
        email: "partners@orbit.test",
        kind: "si",
        country: "NL",
        website: "https://orbit.test",
        programs: &[("acme-resellers", "applied")],
        has_login: false,
    },
];

const AFFILIATE_TERMS: &str = "1. You promote Acme Cloud honestly and never bid on our brand name.\n2. Commission is earned on paid, non-refunded orders within the cookie window.\n3. Payouts are monthly in EUR once your balance passes EUR 50.";
const RESELLER_TERMS: &str = "1. Register every opportunity before you quote it.\n2. Approved registrations are protected for 90 days.\n3. Margins and MDF follow your tier; details are in the partner guide.";

/// What only the interactive demo gets, once: thirty days of sample traffic in the affiliate
/// program, deals in every stage in the reseller program, a viewer, a second person in finance,
/// and a second brand with a manager limited to it (`seed-demo` does this; tests seed without it
/// so their counts start at zero and their operators are the three above).
pub async fn sample_data(database_url: &str, data_key: Option<&app::backend::data_key::DataKey>) -> Result<(), String> {
    let hash = passwords::hash(DEMO_PASSWORD.to_owned()).await?;
    let mut conn = connect(database_url).await?;
    conn.transaction::<_, AppError, _>(async |conn| {
        brands::seed(conn, &hash, OffsetDateTime::now_utc()).await?;
        creatives::seed(conn, OffsetDateTime::now_utc()).await?;
        training::seed(conn, OffsetDateTime::now_utc()).await?;
        library::seed(conn, OffsetDateTime::now_utc()).await?;
        announcements::seed(conn, "", OffsetDateTime::now_utc()).await?;
        // Before the agreements, which every demo partner person has accepted.
        team::seed(conn, &hash).await?;
        agreements::seed(conn, OffsetDateTime::now_utc()).await?;
        questions::seed(conn, OffsetDateTime::now_utc()).await?;
        promo::seed(conn, OffsetDateTime::now_utc()).await?;
        profiles::seed(conn).await?;
        traffic_once(conn).await?;
        pipeline::seed(conn, OffsetDateTime::now_utc()).await?;
        // After the traffic and the deals, which the tiers' criteria count.
        tiers::seed(conn, "", OffsetDateTime::now_utc()).await?;
        segments::seed(conn, OffsetDateTime::now_utc()).await?;
        payouts::seed(conn, data_key, OffsetDateTime::now_utc()).await?;
        documents::seed(conn, data_key, OffsetDateTime::now_utc()).await
    })
    .await
    .map_err(|e| e.to_string())
}

/// Only the sample traffic, for tests of pages that chart it.
pub async fn sample_traffic(database_url: &str) -> Result<(), String> {
    let mut conn = connect(database_url).await?;
    conn.transaction::<_, AppError, _>(async |conn| traffic_once(conn).await)
        .await
        .map_err(|e| e.to_string())
}

/// Thirty days of clicks and sales in the affiliate program, unless it has clicks already.
async fn traffic_once(conn: &mut AsyncPgConnection) -> Result<(), AppError> {
    use app::backend::schema::clicks;
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    let Some((program, _)) = programs::find_by_slug(conn, "acme-affiliates").await? else {
        return Ok(());
    };
    let existing: i64 = clicks::table
        .filter(clicks::program_id.eq(program.id))
        .count()
        .get_result(conn)
        .await?;
    if existing == 0 {
        tracking::sample_traffic(conn, program.id, OffsetDateTime::now_utc()).await?;
    }
    Ok(())
}

async fn connect(database_url: &str) -> Result<AsyncPgConnection, String> {
    app::backend::db::connect(database_url)
        .await
        .map_err(|e| format!("cannot connect to the database: {e}"))
}

/// Returns the logins to print. Seeds only an empty installation.
pub async fn run(database_url: &str) -> Result<Vec<(String, String)>, String> {
    let mut conn = connect(database_url).await?;
    let hash = passwords::hash(DEMO_PASSWORD.to_owned()).await?;
    conn.transaction::<_, AppError, _>(async |conn| {
        if programs::find_brand_by_slug(conn, "acme").await?.is_some() {
            return Ok(());
        }
        seed(conn, &hash).await
    })
    .await
    .map_err(|e| e.to_string())?;
    // Installations seeded before tracking existed get it on the next run.
    conn.transaction::<_, AppError, _>(async |conn| tracking::seed(conn).await)
        .await
        .map_err(|e| e.to_string())?;
    conn.transaction::<_, AppError, _>(async |conn| {
        deals::seed(conn, OffsetDateTime::now_utc()).await?;
        mdf::seed(conn, OffsetDateTime::now_utc()).await
    })
    .await
    .map_err(|e| e.to_string())?;
    let mut logins: Vec<(String, String)> = OPERATORS
        .iter()
        .map(|(e, _, r)| (r.label().to_owned(), e.to_string()))
        .collect();
    logins.extend(brands::OPERATORS.iter().map(|o| (o.who.to_owned(), o.email.to_owned())));
    logins.extend(
        PARTNERS
            .iter()
            .filter(|p| p.has_login)
            .map(|p| (format!("Partner · {}", p.name), p.email.to_owned())),
    );
    logins.extend(
        team::PEOPLE
            .iter()
            .map(|(email, _, _)| ("Partner finance · Bright Reviews".to_owned(), email.to_string())),
    );
    Ok(logins)
}

async fn seed(conn: &mut AsyncPgConnection, hash: &str) -> Result<(), AppError> {
    let actor = Actor::system("trellis seed-demo");
    let now = OffsetDateTime::now_utc();
    let brand = programs::insert_brand(conn, "Acme Cloud", "acme").await?;
    programs::insert(
        conn,
        &NewProgram {
            brand_id: brand,
            name: "Acme Affiliates",
            slug: "acme-affiliates",
            currency: "EUR",
            description:
                "Earn 20% on every Acme Cloud subscription you refer, for creators, publishers and review sites.",
            terms: AFFILIATE_TERMS,
        },
    )
    .await?;
    programs::insert(
        conn,
        &NewProgram {
            brand_id: brand,
            name: "Acme Resellers",
            slug: "acme-resellers",
            currency: "USD",
            description:
                "Resell and integrate Acme Cloud with deal protection, margins by tier and co-marketing funds.",
            terms: RESELLER_TERMS,
        },
    )
    .await?;
    let mut admin_id = 0;
    for (email, name, role) in OPERATORS {
        let user = users::insert_operator(conn, email, name, role, hash).await?;
        admin_id = if role == OperatorRole::Admin { user.id } else { admin_id };
    }
    for demo in &PARTNERS {
        let partner = partners::insert(
            conn,
            &NewPartner {
                name: demo.name,
                email: demo.email,
                kind: demo.kind,
                country: demo.country,
                website: Some(demo.website),
            },
        )
        .await?;
        let owner = users::insert_partner_user(conn, partner.id, demo.email, demo.name, PartnerRole::Owner).await?;
        if demo.has_login {
            users::set_password(conn, owner.id, hash).await?;
        }
        for (slug, status) in demo.programs {
            let (program, _) = programs::find_by_slug(conn, slug)
                .await?
                .ok_or_else(|| AppError::NotFound((*slug).into()))?;
            let plan = format!("{} promotes Acme Cloud to its audience.", demo.name);
            let membership = memberships::insert_application(conn, partner.id, program.id, &plan, now).await?;
            if *status != "applied" {
                memberships::set_status(conn, membership.id, status, None, admin_id, now).await?;
            }
        }
    }
    audit::record(
        conn,
        NewEvent {
            actor: &actor,
            action: "demo.seed",
            subject_type: "installation",
            subject_id: "demo".into(),
            before: None,
            after: Some(serde_json::json!({ "brands": 1, "programs": 2, "partners": PARTNERS.len() })),
            request_id: None,
        },
    )
    .await?;
    Ok(())
}
