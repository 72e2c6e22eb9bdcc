//! Database tests of deal registration: the whole path from registration to a won deal's
//! commission, every refused input leaving nothing behind, protection extensions, and the jobs
//! that warn, expire and chase.

use super::extensions;
use super::jobs::{self, JobReport};
use super::progress::{self, StageForm, WON_EVENT};
use super::register::register;
use super::review::{self, Verdict};
use super::settings::{self, RulesForm};
use super::Acting;
use crate::api::error::AppError;
use crate::backend::auth::AuthUser;
use crate::backend::flows::RequestMeta;
use crate::backend::repos::terms::{self, NewTerms};
use crate::backend::repos::users::{self, Account};
use crate::backend::repos::{deal_catalogue, deals, plans};
use crate::backend::scope::{Scope, Whose};
use crate::backend::testing::TestDb;
use crate::domain::access::{OperatorRole, PartnerRole};
use crate::domain::commission::plan::*;
use crate::domain::deals::registration::RegistrationForm;
use diesel::sql_types::BigInt;
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

const NOW: OffsetDateTime = datetime!(2026-11-21 09:00 UTC);

#[derive(QueryableByName)]
struct N {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

async fn number(conn: &mut AsyncPgConnection, sql: &str) -> i64 {
    diesel::sql_query(sql).get_result::<N>(conn).await.unwrap().n
}

struct Fixture {
    program: i64,
    /// Two resellers and an affiliate, each with an owner user.
    reseller: (i64, AuthUser),
    rival: (i64, AuthUser),
    affiliate: (i64, AuthUser),
    manager: AuthUser,
    /// What the manager (who sees every brand) may see.
    all: Scope,
    product: i64,
}

async fn partner(conn: &mut AsyncPgConnection, program: i64, name: &str, kind: &str) -> (i64, AuthUser) {
    let id = number(
        conn,
        &format!(
            "WITH p AS (INSERT INTO partners (name, email, kind, country) VALUES ('{name}', '{name}@x.test', '{kind}', 'DE') RETURNING id)
             INSERT INTO program_memberships (partner_id, program_id, status, promotion_plan, terms_accepted_at)
             SELECT id, {program}, 'active', 'resale', now() FROM p RETURNING partner_id AS n"
        ),
    )
    .await;
    let email = format!("{name}.owner@x.test");
    let row = users::insert_partner_user(conn, id, &email, name, PartnerRole::Owner)
        .await
        .unwrap();
    let user = AuthUser {
        brand_scoped: false,
        id: row.id,
        email: row.email,
        display_name: row.display_name,
        account: Account::Partner {
            partner_id: id,
            role: PartnerRole::Owner,
        },
    };
    (id, user)
}

/// A EUR program whose terms pay 10% of a won deal's value.
async fn fixture(conn: &mut AsyncPgConnection) -> Fixture {
    let program = number(
        conn,
        "WITH b AS (INSERT INTO brands (name, slug) VALUES ('Acme', 'acme') RETURNING id)
         INSERT INTO programs (brand_id, name, slug, currency, terms) SELECT id, 'Resellers', 'resellers', 'EUR', 't' FROM b RETURNING id AS n",
    )
    .await;
    let reseller = partner(conn, program, "north", "reseller").await;
    let rival = partner(conn, program, "south", "reseller").await;
    let affiliate = partner(conn, program, "blogger", "affiliate").await;
    let manager_row = users::insert_operator(conn, "mia@x.test", "Mia", OperatorRole::Manager, "h")
        .await
        .unwrap();
    let manager = AuthUser {
        brand_scoped: false,
        id: manager_row.id,
        email: manager_row.email,
        display_name: manager_row.display_name,
        account: Account::Operator(OperatorRole::Manager),
    };
    let product = deal_catalogue::add_product(conn, program, "Cloud Suite")
        .await
        .unwrap()
        .unwrap();
    let plan = Plan {
        currency: "EUR".into(),
        period: PeriodKind::Month,
        rules: vec![Rule {
            events: vec![WON_EVENT.into()],
            model: Model::Percent {
                rate: Decimal::from(10),
            },
            recurring: Recurring::Lifetime,
            qualify: Qualification::default(),
        }],
        cap_per_conversion: None,
        cap_per_period: None,
        override_shares: vec![],
        override_cap: None,
    };
    let plan_row = plans::insert(conn, program, "Resale margin", &plan, None, NOW)
        .await
        .unwrap()
        .unwrap();
    for partner_id in [reseller.0, rival.0] {
        terms::insert(
            conn,
            &NewTerms {
                program_id: program,
                partner_id,
                plan_id: plan_row.id,
                overrides: serde_json::json!({}),
                effective_from: NOW - Duration::days(30),
                author_id: None,
                reason: "test",
            },
            NOW - Duration::days(30),
        )
        .await
        .unwrap();
    }
    Fixture {
        program,
        reseller,
        rival,
        affiliate,
        manager,
        all: Scope::everything(conn).await.unwrap(),
        product,
    }
}

fn form(domain: &str, company: &str, product: i64) -> RegistrationForm {
    RegistrationForm {
        company: company.into(),
        domain: domain.into(),
        country: "DE".into(),
        contact_name: "Eve Adams".into(),
        contact_email: "eve@acme.com".into(),
        contact_title: "CTO".into(),
        products: vec![product.to_string()],
        value: "20000".into(),
        currency: "EUR".into(),
        expected_close: "2027-02-15".into(),
        notes: "Met at the trade fair".into(),
        mdf_request: String::new(),
    }
}

static META: RequestMeta = RequestMeta {
    request_id: None,
    ip: String::new(),
};

fn acting(user: &AuthUser, now: OffsetDateTime) -> Acting<'_> {
    Acting {
        user,
        meta: &META,
        base_url: "https://trellis.test",
        now,
    }
}

/// Rows that a refused action must leave as they were.
async fn footprint(conn: &mut AsyncPgConnection) -> [i64; 6] {
    let mut counts = [0; 6];
    for (i, table) in [
        "deals",
        "deal_events",
        "deal_products",
        "email_outbox",
        "audit_events",
        "deal_extensions",
    ]
    .iter()
    .enumerate()
    {
        counts[i] = number(conn, &format!("SELECT count(*) AS n FROM {table}")).await;
    }
    counts
}

fn field_of(error: &AppError) -> String {
    error
        .field_errors()
        .and_then(|e| <[_]>::first(&e.errors))
        .map(|e| format!("{}: {}", e.field, e.message))
        .unwrap_or_else(|| format!("{error:?}"))
}

#[tokio::test]
async fn a_deal_goes_from_registration_to_a_won_commission() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let f = fixture(&mut conn).await;
    let (reseller, reseller_user) = &f.reseller;
    let deal = register(
        &mut conn,
        &acting(reseller_user, NOW),
        *reseller,
        f.program,
        &form("https://www.acme.com/", "Acme Inc.", f.product),
    )
    .await
    .unwrap();
    assert_eq!((deal.domain.as_str(), deal.status.as_str()), ("acme.com", "pending"));
    assert_eq!(deals::product_names(&mut conn, deal.id).await.unwrap(), ["Cloud Suite"]);
    assert_eq!(
        number(
            &mut conn,
            "SELECT count(*) AS n FROM email_outbox WHERE to_address = 'mia@x.test'"
        )
        .await,
        1,
        "the manager hears about the registration"
    );

    // The rival is refused the same account without learning whose it is, and nothing changes.
    let (rival, rival_user) = &f.rival;
    let before = footprint(&mut conn).await;
    let refused = register(
        &mut conn,
        &acting(rival_user, NOW),
        *rival,
        f.program,
        &form("acme.com", "ACME", f.product),
    )
    .await
    .unwrap_err();
    let message = field_of(&refused);
    assert!(
        message.starts_with("domain: acme.com is already registered"),
        "{message}"
    );
    assert!(!message.contains("north"), "never names the other partner: {message}");
    assert_eq!(footprint(&mut conn).await, before);

    // A near match goes through, with a warning for the reviewer.
    let near = register(
        &mut conn,
        &acting(rival_user, NOW),
        *rival,
        f.program,
        &form("acme.co.uk", "Acme Ltd", f.product),
    )
    .await
    .unwrap();
    assert_eq!(near.warnings.len(), 1, "{:?}", near.warnings);
    assert!(near.warnings[0].contains("acme.com"), "{:?}", near.warnings);

    // The manager approves; the partner is told and protected for the program's 90 days.
    review::decide(
        &mut conn,
        &acting(&f.manager, NOW),
        &f.all,
        deal.id,
        Verdict::Approve,
        "",
    )
    .await
    .unwrap();
    let approved = deals::get_in_scope(&mut conn, &f.all, deal.id)
        .await
        .unwrap()
        .unwrap()
        .deal;
    assert_eq!(approved.protected_until, Some(NOW + Duration::days(90)));
    assert_eq!(
        number(&mut conn, "SELECT count(*) AS n FROM email_outbox WHERE to_address = 'north.owner@x.test' AND subject LIKE 'Deal approved%'").await,
        1
    );
    // A manager limited to other brands finds no such deal, to decide or to correct.
    let nobody = Scope::nothing();
    let hidden = review::decide(
        &mut conn,
        &acting(&f.manager, NOW),
        &nobody,
        deal.id,
        Verdict::Reject,
        "x",
    )
    .await;
    assert!(matches!(hidden, Err(AppError::NotFound(_))), "{hidden:?}");
    let correction = StageForm {
        stage: "qualified".into(),
        value: "1".into(),
        note: "x".into(),
        ..StageForm::default()
    };
    let hidden = progress::change_stage(
        &mut conn,
        &acting(&f.manager, NOW),
        Whose::Operator(&nobody),
        deal.id,
        &correction,
    )
    .await;
    assert!(matches!(hidden, Err(AppError::NotFound(_))), "{hidden:?}");
    let again = review::decide(
        &mut conn,
        &acting(&f.manager, NOW),
        &f.all,
        deal.id,
        Verdict::Reject,
        "late",
    )
    .await;
    assert!(matches!(again, Err(AppError::Conflict(_))), "{again:?}");

    // The rival can't move the reseller's deal: to them it doesn't exist.
    let stage = |stage: &str, value: &str| StageForm {
        stage: stage.into(),
        value: value.into(),
        ..StageForm::default()
    };
    let later = NOW + Duration::days(10);
    let other = progress::change_stage(
        &mut conn,
        &acting(rival_user, later),
        Whose::Partner(*rival),
        deal.id,
        &stage("won", "1"),
    )
    .await
    .unwrap_err();
    assert!(matches!(other, AppError::NotFound(_)), "{other:?}");

    progress::change_stage(
        &mut conn,
        &acting(reseller_user, later),
        Whose::Partner(*reseller),
        deal.id,
        &stage("proposal", "25000"),
    )
    .await
    .unwrap();
    let won = progress::change_stage(
        &mut conn,
        &acting(reseller_user, later),
        Whose::Partner(*reseller),
        deal.id,
        &stage("won", "24000.00"),
    )
    .await
    .unwrap();
    assert_eq!(won.deal.status, "won");
    assert_eq!(
        won.commission,
        Some(Decimal::from(2400)),
        "10% of the won value, by the partner's terms"
    );
    assert_eq!(
        number(
            &mut conn,
            &format!(
                "SELECT count(*) AS n FROM commissions c JOIN conversions v ON v.id = c.conversion_id
             WHERE v.order_id = 'deal-{}' AND v.attribution = 'deal' AND c.amount = 2400 AND c.partner_id = {reseller}",
                deal.id
            )
        )
        .await,
        1
    );
    assert!(deal_catalogue::is_customer(&mut conn, f.program, "acme.com")
        .await
        .unwrap());
    // Closed is closed.
    let before = footprint(&mut conn).await;
    let closed = progress::change_stage(
        &mut conn,
        &acting(reseller_user, later),
        Whose::Partner(*reseller),
        deal.id,
        &stage("lost", "1"),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(closed, AppError::Conflict(ref m) if m.contains("closed")),
        "{closed:?}"
    );
    assert_eq!(footprint(&mut conn).await, before);
    assert_eq!(
        number(
            &mut conn,
            &format!("SELECT count(*) AS n FROM deal_events WHERE deal_id = {}", deal.id)
        )
        .await,
        4,
        "submitted, approved, stage, stage"
    );
}

#[tokio::test]
async fn bad_registrations_are_refused_with_the_field_and_change_nothing() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let f = fixture(&mut conn).await;
    let (reseller, user) = &f.reseller;
    deal_catalogue::import_customers(&mut conn, f.program, &["globex.com".to_string()], "import", NOW)
        .await
        .unwrap();
    type Spoil = fn(&mut RegistrationForm);
    let cases: Vec<(Spoil, &str)> = vec![
        (|f| f.domain = "acme".into(), "domain"),
        (
            |f| f.expected_close = "2026-11-20".into(),
            "expected_close: The expected close date is in the past",
        ),
        (|f| f.value = "0".into(), "value: The value must be greater than zero"),
        (|f| f.value = "-100".into(), "value"),
        (
            |f| f.products = vec!["999999".into()],
            "products: That product is not in this program's catalogue",
        ),
        (
            |f| f.currency = "USD".into(),
            "currency: This program takes deals in EUR only",
        ),
        (
            |f| f.domain = "globex.com".into(),
            "domain: globex.com is already a customer",
        ),
    ];
    let before = footprint(&mut conn).await;
    for (spoil, expected) in cases {
        let mut typed = form("acme.com", "Acme", f.product);
        spoil(&mut typed);
        let error = register(&mut conn, &acting(user, NOW), *reseller, f.program, &typed)
            .await
            .unwrap_err();
        assert!(
            field_of(&error).starts_with(expected),
            "{expected}: {}",
            field_of(&error)
        );
        assert_eq!(footprint(&mut conn).await, before, "{expected}");
    }
    // An affiliate may not register deals here.
    let (affiliate, affiliate_user) = &f.affiliate;
    let error = register(
        &mut conn,
        &acting(affiliate_user, NOW),
        *affiliate,
        f.program,
        &form("acme.com", "Acme", f.product),
    )
    .await
    .unwrap_err();
    assert!(field_of(&error).contains("(Affiliate)"), "{}", field_of(&error));
    assert_eq!(footprint(&mut conn).await, before);

    // With the "flag" policy an existing customer goes through, flagged for the reviewer.
    let rules = RulesForm {
        partner_kinds: vec!["reseller".into()],
        protection_days: "60".into(),
        sla_hours: "24".into(),
        existing_customer_policy: "flag".into(),
    };
    settings::update_rules(&mut conn, &f.manager, &META, f.program, &rules)
        .await
        .unwrap();
    let flagged = register(
        &mut conn,
        &acting(user, NOW),
        *reseller,
        f.program,
        &form("globex.com", "Globex", f.product),
    )
    .await
    .unwrap();
    assert!(
        flagged.warnings[0].starts_with("Existing customer"),
        "{:?}",
        flagged.warnings
    );

    // A rejected deal can't move, and rejecting needs a reason.
    let no_reason = review::decide(
        &mut conn,
        &acting(&f.manager, NOW),
        &f.all,
        flagged.id,
        Verdict::Reject,
        " ",
    )
    .await;
    assert!(matches!(no_reason, Err(AppError::Invalid(_))));
    review::decide(
        &mut conn,
        &acting(&f.manager, NOW),
        &f.all,
        flagged.id,
        Verdict::Reject,
        "Existing account",
    )
    .await
    .unwrap();
    let before = footprint(&mut conn).await;
    let moved = progress::change_stage(
        &mut conn,
        &acting(user, NOW),
        Whose::Partner(*reseller),
        flagged.id,
        &StageForm {
            stage: "won".into(),
            value: "5".into(),
            ..StageForm::default()
        },
    )
    .await
    .unwrap_err();
    assert!(
        matches!(moved, AppError::Conflict(ref m) if m.contains("rejected")),
        "{moved:?}"
    );
    assert_eq!(footprint(&mut conn).await, before);
}

async fn run(conn: &mut AsyncPgConnection, at: OffsetDateTime) -> JobReport {
    jobs::run(conn, "https://trellis.test", at).await.unwrap()
}

#[tokio::test]
async fn protection_is_extended_warned_about_and_expires_once() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let f = fixture(&mut conn).await;
    let (reseller, user) = &f.reseller;
    let deal = register(
        &mut conn,
        &acting(user, NOW),
        *reseller,
        f.program,
        &form("initech.com", "Initech", f.product),
    )
    .await
    .unwrap();
    // SLA: 48 hours to a reminder, 96 to an escalation, each once.
    assert_eq!(run(&mut conn, NOW + Duration::hours(47)).await, JobReport::default());
    assert_eq!(run(&mut conn, NOW + Duration::hours(49)).await.reminded, 1);
    assert_eq!(run(&mut conn, NOW + Duration::hours(50)).await, JobReport::default());
    assert_eq!(run(&mut conn, NOW + Duration::hours(97)).await.escalated, 1);
    assert_eq!(run(&mut conn, NOW + Duration::hours(98)).await, JobReport::default());

    let approved_at = NOW + Duration::hours(100);
    review::decide(
        &mut conn,
        &acting(&f.manager, approved_at),
        &f.all,
        deal.id,
        Verdict::Approve,
        "",
    )
    .await
    .unwrap();
    let end = approved_at + Duration::days(90);
    // An extension: one request at a time, then approved for 30 days.
    let asked = approved_at + Duration::days(1);
    extensions::request(
        &mut conn,
        &acting(user, asked),
        *reseller,
        deal.id,
        "30",
        "Board meets in March",
    )
    .await
    .unwrap();
    let twice = extensions::request(&mut conn, &acting(user, asked), *reseller, deal.id, "30", "again").await;
    assert!(matches!(twice, Err(AppError::Conflict(_))), "{twice:?}");
    let too_long = extensions::request(&mut conn, &acting(user, asked), *reseller, deal.id, "400", "x").await;
    assert!(matches!(too_long, Err(AppError::Invalid(_))), "{too_long:?}");
    let (rival, rival_user) = &f.rival;
    let foreign = extensions::request(&mut conn, &acting(rival_user, asked), *rival, deal.id, "30", "x").await;
    assert!(matches!(foreign, Err(AppError::NotFound(_))), "{foreign:?}");
    extensions::decide(&mut conn, &acting(&f.manager, asked), &f.all, deal.id, true, "")
        .await
        .unwrap();
    let end = end + Duration::days(30);
    assert_eq!(
        deals::get_in_scope(&mut conn, &f.all, deal.id)
            .await
            .unwrap()
            .unwrap()
            .deal
            .protected_until,
        Some(end)
    );

    // Warned 7 days ahead, once; expired at the end, once; then the account is free.
    assert_eq!(run(&mut conn, end - Duration::days(8)).await, JobReport::default());
    assert_eq!(run(&mut conn, end - Duration::days(6)).await.warned, 1);
    assert_eq!(run(&mut conn, end - Duration::days(5)).await, JobReport::default());
    assert_eq!(run(&mut conn, end).await.expired, 1);
    assert_eq!(run(&mut conn, end + Duration::hours(1)).await, JobReport::default());
    assert_eq!(
        deals::get_in_scope(&mut conn, &f.all, deal.id)
            .await
            .unwrap()
            .unwrap()
            .deal
            .status,
        "expired"
    );
    let subjects = number(
        &mut conn,
        "SELECT count(*) AS n FROM email_outbox WHERE to_address = 'north.owner@x.test'
         AND (subject LIKE 'Protection ends soon%' OR subject LIKE 'Protection expired%' OR subject LIKE 'Protection extension approved%')",
    )
    .await;
    assert_eq!(subjects, 3);
    let mut typed = form("initech.com", "Initech", f.product);
    typed.expected_close = "2027-12-31".into();
    let retaken = register(&mut conn, &acting(rival_user, end), *rival, f.program, &typed).await;
    assert!(retaken.is_ok(), "expired protection frees the account: {retaken:?}");
}
