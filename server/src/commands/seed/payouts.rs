//! Payouts for the demo: Bright Reviews (Ana) gets SEPA details and a W-8BEN, Northwind a US
//! bank account and a W-9; Acme Cloud pays from its own IBAN and self-bills; and one run is
//! complete, paid to Ana with its statement, made by finance and approved by the admin, as
//! a real run is. Newer bonuses (Ana's ten days ago, Northwind's three days ago) are payable
//! after that run, so the next runs have something to pay. Needs the data key (`make run` makes one); without it the demo has no payout details.

use app::api::error::AppError;
use app::backend::auth::AuthUser;
use app::backend::data_key::DataKey;
use app::backend::flows::RequestMeta;
use app::backend::payouts::details::{self, Saver};
use app::backend::payouts::runs::{self, RunRequest};
use app::backend::payouts::settle::{self, Settlement};
use app::backend::payouts::Finance;
use app::backend::repos::audit::Actor;
use app::backend::repos::ledger::{self, NewEntry};
use app::backend::repos::users::Account;
use app::backend::repos::{partners, payout_details, payout_runs, programs, users};
use app::backend::scope::Scope;
use app::backend::settings::Settings;
use app::domain::access::OperatorRole;
use app::domain::commission::approval::State;
use app::domain::payouts::iban;
use app::domain::payouts::method::MethodForm;
use app::domain::payouts::tax::TaxFormInput;
use diesel_async::AsyncPgConnection;
use rust_decimal::Decimal;
use time::{Duration, OffsetDateTime};

pub async fn seed(conn: &mut AsyncPgConnection, key: Option<&DataKey>, now: OffsetDateTime) -> Result<(), AppError> {
    let Some(key) = key else {
        return Ok(());
    };
    let (Some(ana), Some(northwind)) = (
        partners::find_by_email(conn, "ana@brightreviews.test").await?,
        partners::find_by_email(conn, "ops@northwind.test").await?,
    ) else {
        return Ok(());
    };
    if payout_details::methods(conn, ana.id).await?.is_empty() {
        give_details(conn, key, ana.id, northwind.id, now - Duration::days(60)).await?;
    }
    let Some((affiliates, _)) = programs::find_by_slug(conn, "acme-affiliates").await? else {
        return Ok(());
    };
    if payout_runs::any_run(conn).await? {
        return Ok(());
    }
    let (Some(finance), Some(admin)) = (
        operator(conn, "finance@acme.test").await?,
        operator(conn, "admin@acme.test").await?,
    ) else {
        return Ok(());
    };
    payout_runs::save_brand_settings(
        conn,
        affiliates.brand_id,
        (
            Some(&iban::with_check_digits("DE", "500105175407324931")),
            Some("INGDDEFFXXX"),
        ),
        true,
        "ACME-",
    )
    .await?;
    let bonus = |amount: i64, reason: &str, at: OffsetDateTime| NewEntry {
        conversion_id: None,
        program_id: affiliates.id,
        partner_id: ana.id,
        kind: "adjustment".into(),
        amount: Decimal::from(amount),
        currency: affiliates.currency.clone(),
        refund_id: None,
        explanation: format!("adjustment: {reason}"),
        terms_version_id: None,
        inputs: None,
        source_id: None,
        level: None,
        reason: Some(reason.into()),
        created_by: Some(admin.id),
        payable_at: at,
        created_at: at,
    };
    let resellers = programs::find_by_slug(conn, "acme-resellers").await?.map(|(p, _)| p);
    let mut bonuses = vec![
        bonus(240, "Spring review campaign bonus", now - Duration::days(45)),
        bonus(120, "Black Friday placement bonus", now - Duration::days(10)),
    ];
    if let Some(resellers) = &resellers {
        bonuses.push(NewEntry {
            program_id: resellers.id,
            partner_id: northwind.id,
            currency: resellers.currency.clone(),
            ..bonus(150, "Co-selling launch bonus", now - Duration::days(3))
        });
    }
    for entry in &bonuses {
        let stored = ledger::insert(conn, entry).await?;
        let at = entry.created_at;
        ledger::decide(
            conn,
            stored.id,
            1,
            State::Approved,
            Some(admin.id),
            "approved with the campaign",
            at,
        )
        .await?;
    }
    let scope = Scope::everything(conn).await?;
    let meta = RequestMeta {
        request_id: None,
        ip: "127.0.0.1".into(),
    };
    let as_finance = |user| Finance {
        user,
        scope: &scope,
        meta: &meta,
        base_url: "",
        now,
    };
    // The run of last month: made as of 40 days ago, so the newer bonus waits for the next one.
    let request = RunRequest {
        brand_id: Some(affiliates.brand_id),
        as_of: (now - Duration::days(40)).date(),
    };
    let made = runs::create(conn, &as_finance(&finance), &request).await?;
    runs::approve(conn, &as_finance(&admin), made.run_id).await?;
    for item in payout_runs::items_of_run(conn, made.run_id).await? {
        let paid = Settlement::Paid {
            paid_on: now.date().to_string(),
            bank_reference: format!("SEPA-DEMO-{}", item.id),
        };
        settle::settle_one(conn, &as_finance(&finance), made.run_id, item.id, &paid).await?;
    }
    Ok(())
}

async fn give_details(
    conn: &mut AsyncPgConnection,
    key: &DataKey,
    ana: i64,
    northwind: i64,
    at: OffsetDateTime,
) -> Result<(), AppError> {
    let settings = Settings {
        data_key: Some(key.clone()),
        ..Settings::for_local(std::env::temp_dir())
    };
    let meta = RequestMeta::default();
    let saver = |partner_id| Saver {
        partner_id,
        user_id: 0,
        actor: Actor::system("trellis seed-demo"),
    };
    let ana_saver = Saver {
        user_id: owner_id(conn, "ana@brightreviews.test").await?,
        ..saver(ana)
    };
    let sepa = MethodForm {
        currency: "EUR".into(),
        kind: "sepa".into(),
        account_holder: "Bright Reviews GmbH".into(),
        iban: "DE89370400440532013000".into(),
        bic: "COBADEFFXXX".into(),
        ..MethodForm::default()
    };
    details::save_method(conn, &settings, &ana_saver, &sepa, &meta, at).await?;
    let w8ben = TaxFormInput {
        form: "w8ben".into(),
        legal_name: "Ana Reyes".into(),
        address: "Torstraße 12, 10119 Berlin".into(),
        country: "DE".into(),
        treaty_article: "Article 7 (business profits)".into(),
        invoice_name: "Bright Reviews GmbH".into(),
        invoice_address: "Torstraße 12\n10119 Berlin\nGermany".into(),
        ..TaxFormInput::default()
    };
    details::save_tax(conn, &settings, &ana_saver, &w8ben, &meta, at).await?;
    let northwind_saver = Saver {
        user_id: owner_id(conn, "ops@northwind.test").await?,
        ..saver(northwind)
    };
    let us_bank = MethodForm {
        currency: "USD".into(),
        kind: "us_bank".into(),
        account_holder: "Northwind Systems LLC".into(),
        account_number: "000123456789".into(),
        routing_number: "021000021".into(),
        ..MethodForm::default()
    };
    details::save_method(conn, &settings, &northwind_saver, &us_bank, &meta, at).await?;
    let w9 = TaxFormInput {
        form: "w9".into(),
        legal_name: "Northwind Systems LLC".into(),
        entity_type: "llc".into(),
        tin: "12-3456789".into(),
        address: "500 Market St, San Francisco CA 94105".into(),
        country: "US".into(),
        invoice_name: "Northwind Systems LLC".into(),
        invoice_address: "500 Market St\nSan Francisco CA 94105".into(),
        ..TaxFormInput::default()
    };
    details::save_tax(conn, &settings, &northwind_saver, &w9, &meta, at).await
}

async fn owner_id(conn: &mut AsyncPgConnection, email: &str) -> Result<i64, AppError> {
    users::find_by_email(conn, email)
        .await?
        .map(|u| u.id)
        .ok_or_else(|| AppError::NotFound(format!("no user {email}")))
}

pub(super) async fn operator(conn: &mut AsyncPgConnection, email: &str) -> Result<Option<AuthUser>, AppError> {
    Ok(users::find_by_email(conn, email).await?.and_then(|u| {
        let role = OperatorRole::parse(u.operator_role.as_deref()?)?;
        Some(AuthUser {
            id: u.id,
            email: u.email,
            display_name: u.display_name,
            account: Account::Operator(role),
            brand_scoped: u.brand_scoped,
        })
    }))
}
