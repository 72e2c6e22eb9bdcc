//! Payout details against a real PostgreSQL: secrets are sealed (the raw rows hold neither the
//! IBAN nor the TIN, in text or in hex), a change replaces the current row, keeps the old one and
//! holds payouts for the review period, every refusal changes nothing, and the key checks and
//! the rotation behave.

use super::details::{self, Saver};
use super::keys;
use crate::api::error::AppError;
use crate::backend::data_key::DataKey;
use crate::backend::flows::RequestMeta;
use crate::backend::repos::audit::Actor;
use crate::backend::repos::payout_details as repo;
use crate::backend::repos::testing_ledger;
use crate::backend::settings::Settings;
use crate::backend::testing::TestDb;
use crate::domain::payouts::method::MethodForm;
use crate::domain::payouts::tax::TaxFormInput;
use diesel::sql_types::BigInt;
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::{Duration, OffsetDateTime};

const IBAN: &str = "DE89370400440532013000";

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

async fn count(conn: &mut AsyncPgConnection, sql: &str) -> i64 {
    diesel::sql_query(sql).get_result::<Count>(conn).await.unwrap().n
}

/// Rows of payout details, outbox and audit: what a refused change must leave as it was.
async fn footprint(conn: &mut AsyncPgConnection) -> [i64; 4] {
    [
        count(conn, "SELECT count(*) AS n FROM payout_methods").await,
        count(conn, "SELECT count(*) AS n FROM tax_profiles").await,
        count(conn, "SELECT count(*) AS n FROM email_outbox").await,
        count(conn, "SELECT count(*) AS n FROM audit_events").await,
    ]
}

/// Rows of `table` whose text (bytea shown in hex) holds `secret` as text or as hex.
async fn rows_revealing(conn: &mut AsyncPgConnection, table: &str, secret: &str) -> i64 {
    let hex = hex::encode(secret);
    count(
        conn,
        &format!("SELECT count(*) AS n FROM {table} t WHERE t::text ILIKE '%{secret}%' OR t::text ILIKE '%{hex}%'"),
    )
    .await
}

fn key() -> DataKey {
    DataKey::from_base64(&DataKey::generate()).unwrap()
}

fn settings(key: Option<&DataKey>) -> Settings {
    Settings {
        data_key: key.cloned(),
        ..Settings::for_local(std::env::temp_dir())
    }
}

fn sepa(iban: &str) -> MethodForm {
    MethodForm {
        currency: "EUR".into(),
        kind: "sepa".into(),
        account_holder: "Ada Media GmbH".into(),
        iban: iban.into(),
        bic: "COBADEFFXXX".into(),
        ..MethodForm::default()
    }
}

fn meta() -> RequestMeta {
    RequestMeta {
        request_id: None,
        ip: "127.0.0.1".into(),
    }
}

async fn save(
    conn: &mut AsyncPgConnection,
    key: Option<&DataKey>,
    partner_id: i64,
    form: &MethodForm,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let saver = Saver {
        partner_id,
        user_id: admin(conn).await,
        actor: Actor::system("test"),
    };
    details::save_method(conn, &settings(key), &saver, form, &meta(), now).await
}

async fn admin(conn: &mut AsyncPgConnection) -> i64 {
    crate::backend::repos::users::find_by_email(conn, "admin@example.com")
        .await
        .unwrap()
        .unwrap()
        .id
}

#[tokio::test]
async fn an_iban_is_sealed_masked_everywhere_and_a_change_is_held_for_review() {
    let db = TestDb::new().await;
    let conn = &mut *db.conn().await;
    let (_, [ada, _]) = testing_ledger::program_with_partners(conn).await;
    let key = key();
    let now = OffsetDateTime::now_utc();
    save(conn, Some(&key), ada, &sepa("DE89 3704 0044 0532 0130 00"), now)
        .await
        .unwrap();
    let first = repo::methods(conn, ada).await.unwrap();
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].review_until, None, "first details: nothing to review");
    assert_eq!(first[0].account_last4.as_deref(), Some("3000"));
    assert_eq!(details::open_account(&key, &first[0]).unwrap().as_deref(), Some(IBAN));
    for table in ["payout_methods", "email_outbox", "audit_events"] {
        assert_eq!(rows_revealing(conn, table, IBAN).await, 0, "{table} reveals the IBAN");
        assert_eq!(rows_revealing(conn, table, "370400440532").await, 0, "{table}");
    }
    let masked = count(
        conn,
        "SELECT count(*) AS n FROM email_outbox WHERE body_text LIKE '%•••• 3000%'",
    )
    .await;
    assert_eq!(masked, 1, "the owner is emailed the masked account");

    let later = now + Duration::hours(1);
    let other = crate::domain::payouts::iban::with_check_digits("DE", "370400440532013001");
    save(conn, Some(&key), ada, &sepa(&other), later).await.unwrap();
    let current = repo::methods(conn, ada).await.unwrap();
    assert_eq!(current.len(), 1, "one current method per currency");
    assert_eq!(current[0].account_last4.as_deref(), Some("3001"));
    let held = current[0].review_until.expect("a change is held");
    assert!(
        (held - later - Duration::days(7)).abs() < Duration::milliseconds(1),
        "the default review period"
    );
    assert_eq!(
        count(conn, "SELECT count(*) AS n FROM payout_methods").await,
        2,
        "history kept"
    );
    assert_eq!(count(conn, "SELECT count(*) AS n FROM email_outbox").await, 2);
}

#[tokio::test]
async fn refused_changes_leave_nothing_behind() {
    let db = TestDb::new().await;
    let conn = &mut *db.conn().await;
    let (_, [ada, _]) = testing_ledger::program_with_partners(conn).await;
    let key = key();
    let now = OffsetDateTime::now_utc();
    let before = footprint(conn).await;
    let wrong = save(conn, Some(&key), ada, &sepa("DE89 3704 0044 0532 0130 01"), now).await;
    match wrong {
        Err(AppError::Invalid(errors)) => {
            assert!(errors.get("iban").unwrap().contains("check digits"));
            assert!(errors.submitted("iban").is_none(), "the IBAN is not sent back");
        }
        other => panic!("expected a field error, got {other:?}"),
    }
    let usd = MethodForm {
        currency: "USD".into(),
        kind: "paypal".into(),
        email: "ada@example.com".into(),
        ..MethodForm::default()
    };
    let refused = save(conn, Some(&key), ada, &usd, now).await.unwrap_err();
    assert!(matches!(&refused, AppError::Invalid(e) if e.get("currency").unwrap().contains("USD")));
    let keyless = save(conn, None, ada, &sepa(IBAN), now).await.unwrap_err();
    assert!(matches!(&keyless, AppError::Invalid(e) if e.get("iban").unwrap().contains("TRELLIS_DATA_KEY")));
    assert_eq!(footprint(conn).await, before, "nothing was written");
    // PayPal needs no key: it holds no secret.
    let paypal = MethodForm {
        currency: "EUR".into(),
        ..usd
    };
    save(conn, None, ada, &paypal, now).await.unwrap();
    assert_eq!(repo::key_ids(conn).await.unwrap(), Vec::<String>::new());
}

#[tokio::test]
async fn a_w9_tin_is_sealed_and_the_profile_replaced() {
    let db = TestDb::new().await;
    let conn = &mut *db.conn().await;
    let (_, [ada, _]) = testing_ledger::program_with_partners(conn).await;
    let key = key();
    let saver = Saver {
        partner_id: ada,
        user_id: admin(conn).await,
        actor: Actor::system("test"),
    };
    let settings = settings(Some(&key));
    let w9 = TaxFormInput {
        form: "w9".into(),
        legal_name: "Ada Media LLC".into(),
        entity_type: "llc".into(),
        tin: "12-3456789".into(),
        address: "1 Main St, Austin TX".into(),
        invoice_name: "Ada Media LLC".into(),
        invoice_address: "1 Main St, Austin TX 78701".into(),
        ..TaxFormInput::default()
    };
    let now = OffsetDateTime::now_utc();
    details::save_tax(conn, &settings, &saver, &w9, &meta(), now)
        .await
        .unwrap();
    let row = repo::tax_profile(conn, ada).await.unwrap().unwrap();
    assert_eq!(details::open_tin(&key, &row).unwrap().as_deref(), Some("123456789"));
    for table in ["tax_profiles", "email_outbox", "audit_events"] {
        assert_eq!(
            rows_revealing(conn, table, "123456789").await,
            0,
            "{table} reveals the TIN"
        );
    }
    let bad = TaxFormInput {
        tin: "123".into(),
        ..w9.clone()
    };
    let before = footprint(conn).await;
    assert!(details::save_tax(conn, &settings, &saver, &bad, &meta(), now)
        .await
        .is_err());
    assert_eq!(footprint(conn).await, before);
    let w8 = TaxFormInput {
        form: "w8bene".into(),
        entity_type: "corporation".into(),
        country: "DE".into(),
        vat_id: "DE123456789".into(),
        ..w9
    };
    details::save_tax(conn, &settings, &saver, &w8, &meta(), now)
        .await
        .unwrap();
    let current = repo::tax_profile(conn, ada).await.unwrap().unwrap();
    assert_eq!((current.form.as_str(), current.tin_last4), ("w8bene", None));
    assert_eq!(current.vat_last4.as_deref(), Some("6789"));
    assert_eq!(count(conn, "SELECT count(*) AS n FROM tax_profiles").await, 2);
}

#[tokio::test]
async fn start_up_needs_the_sealing_key_and_rotation_moves_everything() {
    let db = TestDb::new().await;
    let conn = &mut *db.conn().await;
    let (_, [ada, bob]) = testing_ledger::program_with_partners(conn).await;
    let (old, new) = (key(), key());
    assert_eq!(keys::check(conn, None).await, Ok(()), "nothing sealed yet");
    let now = OffsetDateTime::now_utc();
    save(conn, Some(&old), ada, &sepa(IBAN), now).await.unwrap();
    save(conn, Some(&old), bob, &sepa(IBAN), now + Duration::seconds(1))
        .await
        .unwrap();
    assert!(keys::check(conn, None)
        .await
        .unwrap_err()
        .contains("no data key is set"));
    assert!(keys::check(conn, Some(&new)).await.unwrap_err().contains(old.id()));
    assert_eq!(keys::check(conn, Some(&old)).await, Ok(()));
    // A wrong "old" key refuses and changes nothing.
    assert!(keys::rotate(conn, &new, &old).await.is_err());
    assert_eq!(repo::key_ids(conn).await.unwrap(), vec![old.id().to_owned()]);
    assert_eq!(keys::rotate(conn, &old, &new).await, Ok(2));
    assert_eq!(repo::key_ids(conn).await.unwrap(), vec![new.id().to_owned()]);
    assert!(keys::check(conn, Some(&old)).await.is_err());
    let row = &repo::methods(conn, bob).await.unwrap()[0];
    assert_eq!(details::open_account(&new, row).unwrap().as_deref(), Some(IBAN));
    assert!(details::open_account(&old, row).is_err());
}
