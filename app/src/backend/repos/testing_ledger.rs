//! Test fixtures for ledger queries: a program with two active partners, and accruals in a
//! chosen approval state. Each test calls them on its own private database.

use super::conversions::{self, NewConversion};
use super::ledger::{self, NewEntry};
use super::partners::{self, NewPartner};
use super::programs::{self, NewProgram};
use super::{memberships, users};
use crate::backend::scope::Scope;
use crate::domain::access::OperatorRole;
use crate::domain::commission::approval::{Stage, State};
use diesel_async::AsyncPgConnection;
use rust_decimal::Decimal;
use time::OffsetDateTime;

/// A EUR program with two active partners, "Ada Media" and "Bob Deals".
pub async fn program_with_partners(conn: &mut AsyncPgConnection) -> (i64, [i64; 2]) {
    let brand = programs::insert_brand(conn, "Acme", "acme").await.unwrap();
    let program = programs::insert(
        conn,
        &NewProgram {
            brand_id: brand,
            name: "Acme Affiliates",
            slug: "acme-affiliates",
            currency: "EUR",
            description: "",
            terms: "Terms",
        },
    )
    .await
    .unwrap();
    let admin = users::insert_operator(conn, "admin@example.com", "Avery", OperatorRole::Admin, "h")
        .await
        .unwrap();
    let mut ids = [0; 2];
    for (i, (name, email)) in [("Ada Media", "ada@example.com"), ("Bob Deals", "bob@example.com")]
        .into_iter()
        .enumerate()
    {
        let partner = partners::insert(
            conn,
            &NewPartner {
                name,
                email,
                kind: "creator",
                country: "DE",
                website: None,
            },
        )
        .await
        .unwrap();
        let now = OffsetDateTime::now_utc();
        let m = memberships::insert_application(conn, partner.id, program.id, "Newsletter", now)
            .await
            .unwrap();
        memberships::set_status(conn, m.id, "active", None, admin.id, now)
            .await
            .unwrap();
        ids[i] = partner.id;
    }
    (program.id, ids)
}

/// An accrual of `amount` EUR on order `order`, whose single decision (made at `decided_at`)
/// leaves it in `state`. Returns its id.
pub async fn accrual(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    partner_id: i64,
    order: &str,
    amount: i64,
    state: State,
    decided_at: OffsetDateTime,
) -> i64 {
    let conversion = conversions::insert_new(
        conn,
        &NewConversion {
            program_id,
            order_id: order.into(),
            event: "sale".into(),
            amount: Some(Decimal::from(amount * 5)),
            currency: Some("EUR".into()),
            click_id: None,
            coupon: None,
            customer_id: None,
            customer_email: None,
            occurred_at: decided_at,
            received_at: decided_at,
            metadata: None,
            partner_id: Some(partner_id),
            link_id: None,
            attribution: "coupon".into(),
            attribution_note: None,
            request: serde_json::json!({}),
            deductions: Decimal::ZERO,
            country: None,
            sub1: None,
            creative_id: None,
        },
    )
    .await
    .unwrap()
    .unwrap();
    let entry = ledger::insert(
        conn,
        &NewEntry {
            conversion_id: Some(conversion.id),
            program_id,
            partner_id,
            kind: "commission".into(),
            amount: Decimal::from(amount),
            currency: "EUR".into(),
            refund_id: None,
            explanation: "20% of the amount".into(),
            terms_version_id: None,
            inputs: None,
            source_id: None,
            level: None,
            reason: None,
            created_by: None,
            payable_at: decided_at + time::Duration::days(30),
            created_at: decided_at,
        },
    )
    .await
    .unwrap();
    let why = match state {
        State::Pending(Stage::Manager) => "needs a manager",
        State::Pending(Stage::Finance) => "approved by a manager; finance next",
        State::OnHold => "held automatically: bot traffic",
        _ => "decided",
    };
    ledger::decide(conn, entry.id, 1, state, None, why, decided_at)
        .await
        .unwrap();
    entry.id
}

/// A second brand, "Globex", with its own EUR program ("Globex Partners") and one active
/// partner, "Zed Systems": what a scoped operator of the first brand must never see. Returns
/// (program, partner).
pub async fn other_brand(conn: &mut AsyncPgConnection) -> (i64, i64) {
    let brand = programs::insert_brand(conn, "Globex", "globex").await.unwrap();
    let new = NewProgram {
        brand_id: brand,
        name: "Globex Partners",
        slug: "globex-partners",
        currency: "EUR",
        description: "",
        terms: "Terms",
    };
    let program = programs::insert(conn, &new).await.unwrap();
    let partner = partners::insert(
        conn,
        &NewPartner {
            name: "Zed Systems",
            email: "zed@example.com",
            kind: "reseller",
            country: "FR",
            website: None,
        },
    )
    .await
    .unwrap();
    let now = OffsetDateTime::now_utc();
    let m = memberships::insert_application(conn, partner.id, program.id, "Resale", now)
        .await
        .unwrap();
    let admin = users::find_by_email(conn, "admin@example.com").await.unwrap().unwrap();
    memberships::set_status(conn, m.id, "active", None, admin.id, now)
        .await
        .unwrap();
    (program.id, partner.id)
}

/// The scope of an operator limited to the brand of `program_id` (tests make one program per
/// brand).
pub async fn scope_of(conn: &mut AsyncPgConnection, program_id: i64) -> Scope {
    let brand = programs::get(conn, program_id).await.unwrap().brand_id;
    Scope {
        all_brands: false,
        brands: vec![brand],
        programs: vec![program_id],
        focus: None,
    }
}

/// A manual adjustment of `amount` EUR by `author` with `reason`, whose single decision (the
/// author's) leaves it in `state`. Returns its id.
pub async fn adjustment(
    conn: &mut AsyncPgConnection,
    (program_id, partner_id): (i64, i64),
    amount: i64,
    (author, reason): (i64, &str),
    state: State,
    decided_at: OffsetDateTime,
) -> i64 {
    let entry = ledger::insert(
        conn,
        &NewEntry {
            conversion_id: None,
            program_id,
            partner_id,
            kind: "adjustment".into(),
            amount: Decimal::from(amount),
            currency: "EUR".into(),
            refund_id: None,
            explanation: format!("adjustment: {reason}"),
            terms_version_id: None,
            inputs: None,
            source_id: None,
            level: None,
            reason: Some(reason.into()),
            created_by: Some(author),
            payable_at: decided_at,
            created_at: decided_at,
        },
    )
    .await
    .unwrap();
    ledger::decide(
        conn,
        entry.id,
        1,
        state,
        Some(author),
        "approved by its author",
        decided_at,
    )
    .await
    .unwrap();
    entry.id
}
