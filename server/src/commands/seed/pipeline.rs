//! Demo deals in every stage, registered, decided and moved through the real flows, so the
//! pipeline report and the queues aren't empty on first login: one waiting for review, one
//! protected and qualified, one won (its margin becomes a commission), one lost, and one whose
//! protection runs out in a few days.

use app::api::error::AppError;
use app::backend::auth::AuthUser;
use app::backend::deals::progress::{self, StageForm};
use app::backend::deals::review::{self, Verdict};
use app::backend::deals::{register::register, Acting};
use app::backend::flows::RequestMeta;
use app::backend::repos::users::{self, Account};
use app::backend::repos::{deal_catalogue, programs};
use app::backend::scope::{Scope, Whose};
use app::domain::deals::registration::RegistrationForm;
use diesel::prelude::*;
use diesel_async::AsyncPgConnection;
use diesel_async::RunQueryDsl;
use time::{Duration, OffsetDateTime};

/// (company, domain, value in USD, days ago it was registered, what happened next)
const DEALS: [(&str, &str, &str, i64, &str); 5] = [
    ("Initech", "initech.example", "18000", 1, "pending"),
    ("Umbrella Corp", "umbrella.example", "64000", 12, "qualified"),
    ("Hooli", "hooli.example", "48000", 30, "won"),
    ("Vandelay Industries", "vandelay.example", "22000", 40, "lost"),
    // Protected for the program's 90 days from approval: runs out in four days.
    ("Soylent", "soylent.example", "35000", 86, "approved"),
];

async fn user(conn: &mut AsyncPgConnection, email: &str) -> Result<Option<AuthUser>, AppError> {
    let Some(row) = users::find_by_email(conn, email).await? else {
        return Ok(None);
    };
    Ok(row.account().map(|account: Account| AuthUser {
        id: row.id,
        email: row.email.clone(),
        display_name: row.display_name.clone(),
        account,
        brand_scoped: row.brand_scoped,
    }))
}

pub async fn seed(conn: &mut AsyncPgConnection, now: OffsetDateTime) -> Result<(), AppError> {
    let Some((program, _)) = programs::find_by_slug(conn, "acme-resellers").await? else {
        return Ok(());
    };
    let (Some(partner), Some(admin)) = (
        user(conn, "ops@northwind.test").await?,
        user(conn, "admin@acme.test").await?,
    ) else {
        return Ok(());
    };
    let Account::Partner { partner_id, .. } = partner.account else {
        return Ok(());
    };
    let existing: i64 = app::backend::schema::deals::table
        .filter(app::backend::schema::deals::program_id.eq(program.id))
        .count()
        .get_result(conn)
        .await?;
    if existing > 0 {
        return Ok(());
    }
    let catalogue = deal_catalogue::products(conn, program.id).await?;
    let product = <[_]>::first(&catalogue).map(|p| p.id);
    let meta = RequestMeta::default();
    for (company, domain, value, days_ago, outcome) in DEALS {
        let at = now - Duration::days(days_ago);
        let acting = |user| Acting {
            user,
            meta: &meta,
            base_url: "http://127.0.0.1:3000",
            now: at,
        };
        let form = RegistrationForm {
            company: company.into(),
            domain: domain.into(),
            country: "US".into(),
            contact_name: "Pat Buyer".into(),
            contact_email: format!("pat@{domain}"),
            contact_title: "Head of IT".into(),
            products: product.map(|p| vec![p.to_string()]).unwrap_or_default(),
            value: value.into(),
            currency: program.currency.clone(),
            expected_close: (now + Duration::days(60)).date().to_string(),
            notes: "Demo opportunity.".into(),
            mdf_request: String::new(),
        };
        let deal = register(conn, &acting(&partner), partner_id, program.id, &form).await?;
        if outcome == "pending" {
            continue;
        }
        let everything = Scope::everything(conn).await?;
        review::decide(conn, &acting(&admin), &everything, deal.id, Verdict::Approve, "").await?;
        let stage = match outcome {
            "qualified" | "won" | "lost" => outcome,
            _ => continue,
        };
        let moved_at = at + Duration::days(5);
        let form = StageForm {
            stage: stage.into(),
            value: value.into(),
            expected_close: String::new(),
            note: String::new(),
        };
        let acting = Acting {
            now: moved_at,
            ..acting(&partner)
        };
        progress::change_stage(conn, &acting, Whose::Partner(partner_id), deal.id, &form).await?;
    }
    Ok(())
}
