//! Two-factor sign-in against a real database: setting it up, codes good once, recovery codes
//! single-use, turning it off only with the password and a code, who must use it, and the data
//! key's rotation carrying the secrets over. Every refusal checks that nothing changed.

use super::commissions::tests::{fixture, operator};
use super::data_key::DataKey;
use super::flows::RequestMeta;
use super::repos::two_factor as repo;
use super::repos::users;
use super::settings::Settings;
use super::two_factor::{self as tf, Passed, Status};
use crate::api::error::AppError;
use crate::backend::auth::AuthUser;
use crate::backend::testing::TestDb;
use crate::domain::access::{OperatorRole, PartnerRole};
use crate::domain::two_factor::{parse_code, Entered, CODE_WRONG};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use time::{Duration, OffsetDateTime};

fn settings() -> Settings {
    Settings {
        data_key: Some(DataKey::from_base64(&DataKey::generate()).unwrap()),
        ..Settings::for_local(std::env::temp_dir())
    }
}

fn meta() -> RequestMeta {
    RequestMeta {
        request_id: None,
        ip: "127.0.0.1".into(),
    }
}

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// The secret being set up, as the app would read it off the page.
async fn secret_of(conn: &mut AsyncPgConnection, settings: &Settings, user: &AuthUser) -> Vec<u8> {
    match tf::status(conn, settings, user).await.unwrap() {
        Status::SettingUp { secret_base32, .. } => {
            data_encoding::BASE32_NOPAD.decode(secret_base32.as_bytes()).unwrap()
        }
        other => panic!("not setting up: {other:?}"),
    }
}

fn field_error(result: Result<impl std::fmt::Debug, AppError>, field: &str) -> String {
    match result {
        Err(AppError::Invalid(errors)) => errors
            .get(field)
            .unwrap_or_else(|| panic!("no {field} error"))
            .to_owned(),
        other => panic!("expected a {field} error, got {other:?}"),
    }
}

/// An operator with two-factor sign-in on; returns the secret and the recovery codes.
async fn enrolled(conn: &mut AsyncPgConnection, settings: &Settings, user: &AuthUser) -> (Vec<u8>, Vec<String>) {
    tf::start(conn, settings, user, &meta()).await.unwrap();
    let secret = secret_of(conn, settings, user).await;
    let at = now() - Duration::seconds(30);
    let codes = tf::confirm(conn, settings, user, &tf::code_at(&secret, at), &meta(), at)
        .await
        .unwrap();
    (secret, codes)
}

async fn use_code(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    user_id: i64,
    code: &str,
    at: OffsetDateTime,
) -> Option<Passed> {
    let entered = parse_code(code).unwrap();
    conn.transaction(async |conn| tf::use_code(conn, settings, user_id, &entered, at).await)
        .await
        .unwrap()
}

#[tokio::test]
async fn setting_up_needs_a_right_code_and_each_code_works_once() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let settings = settings();
    let ada = operator(&mut conn, "ada@example.com", OperatorRole::Admin).await;
    assert!(matches!(
        tf::status(&mut conn, &settings, &ada).await.unwrap(),
        Status::Off
    ));

    tf::start(&mut conn, &settings, &ada, &meta()).await.unwrap();
    let secret = secret_of(&mut conn, &settings, &ada).await;
    // The secret rests sealed: its bytes aren't in the row.
    let row = repo::find(&mut conn, ada.id).await.unwrap().unwrap();
    assert!(!row.secret_sealed.windows(secret.len()).any(|w| w == secret.as_slice()));

    // A wrong code, and a code from ten minutes ago, change nothing.
    let stale = tf::code_at(&secret, now() - Duration::minutes(10));
    for refused in ["000000", stale.as_str()] {
        let result = tf::confirm(&mut conn, &settings, &ada, refused, &meta(), now()).await;
        assert_eq!(field_error(result, "code"), CODE_WRONG);
    }
    assert!(matches!(
        tf::status(&mut conn, &settings, &ada).await.unwrap(),
        Status::SettingUp { .. }
    ));
    assert!(!tf::is_on(&mut conn, ada.id).await.unwrap());

    let at = now();
    let code = tf::code_at(&secret, at);
    let recovery = tf::confirm(&mut conn, &settings, &ada, &code, &meta(), at)
        .await
        .unwrap();
    assert_eq!(recovery.len(), 10);
    assert!(tf::is_on(&mut conn, ada.id).await.unwrap());
    assert!(matches!(
        tf::status(&mut conn, &settings, &ada).await.unwrap(),
        Status::On {
            recovery_codes_left: 10,
            ..
        }
    ));
    // The code that turned it on doesn't sign in again; the next step's code does, once.
    assert_eq!(use_code(&mut conn, &settings, ada.id, &code, at).await, None);
    let next = at + Duration::seconds(30);
    let next_code = tf::code_at(&secret, next);
    assert_eq!(
        use_code(&mut conn, &settings, ada.id, &next_code, next).await,
        Some(Passed::AppCode)
    );
    assert_eq!(use_code(&mut conn, &settings, ada.id, &next_code, next).await, None);

    // Once on, starting again is refused and the secret stays.
    let before = repo::find(&mut conn, ada.id).await.unwrap().unwrap().secret_sealed;
    assert!(
        matches!(tf::start(&mut conn, &settings, &ada, &meta()).await, Err(AppError::Conflict(m)) if m == tf::ALREADY_ON)
    );
    assert_eq!(
        repo::find(&mut conn, ada.id).await.unwrap().unwrap().secret_sealed,
        before
    );
}

#[tokio::test]
async fn recovery_codes_work_once_and_renewing_them_voids_the_old_ones() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let settings = settings();
    let ada = operator(&mut conn, "ada@example.com", OperatorRole::Admin).await;
    let (secret, codes) = enrolled(&mut conn, &settings, &ada).await;

    let first = codes[0].to_uppercase();
    assert_eq!(
        use_code(&mut conn, &settings, ada.id, &first, now()).await,
        Some(Passed::RecoveryCode)
    );
    assert_eq!(use_code(&mut conn, &settings, ada.id, &first, now()).await, None);
    assert_eq!(repo::recovery_codes_left(&mut conn, ada.id).await.unwrap(), 9);
    // Another person's code is no good here.
    let bob = operator(&mut conn, "bob@example.com", OperatorRole::Manager).await;
    let (_, bobs) = enrolled(&mut conn, &settings, &bob).await;
    assert_eq!(use_code(&mut conn, &settings, ada.id, &bobs[0], now()).await, None);

    // Renewing needs a right code; a wrong one changes nothing.
    let refused = tf::renew_recovery_codes(&mut conn, &settings, &ada, "123456", &meta(), now()).await;
    assert_eq!(field_error(refused, "code"), CODE_WRONG);
    assert_eq!(repo::recovery_codes_left(&mut conn, ada.id).await.unwrap(), 9);
    let at = now() + Duration::seconds(30);
    let fresh = tf::renew_recovery_codes(&mut conn, &settings, &ada, &tf::code_at(&secret, at), &meta(), at)
        .await
        .unwrap();
    assert_eq!(repo::recovery_codes_left(&mut conn, ada.id).await.unwrap(), 10);
    assert_eq!(use_code(&mut conn, &settings, ada.id, &codes[1], now()).await, None);
    assert_eq!(
        use_code(&mut conn, &settings, ada.id, &fresh[1], now()).await,
        Some(Passed::RecoveryCode)
    );
}

#[tokio::test]
async fn turning_it_off_needs_the_password_and_a_code_and_is_refused_while_required() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let settings = settings();
    let hash = crate::backend::passwords::hash("correct horse battery".into())
        .await
        .unwrap();
    let row = users::insert_operator(&mut conn, "ada@example.com", "Ada", OperatorRole::Admin, &hash)
        .await
        .unwrap();
    let ada = operator_from(row);
    let (secret, _) = enrolled(&mut conn, &settings, &ada).await;
    let at = now() + Duration::seconds(30);
    let code = tf::code_at(&secret, at);

    let no_password = tf::turn_off(&mut conn, &settings, &ada, "", &code, &meta(), at).await;
    assert_eq!(field_error(no_password, "password"), "Enter your password.");
    let wrong_password = tf::turn_off(&mut conn, &settings, &ada, "wrong horse", &code, &meta(), at).await;
    assert_eq!(field_error(wrong_password, "password"), tf::PASSWORD_WRONG);
    let wrong_code = tf::turn_off(
        &mut conn,
        &settings,
        &ada,
        "correct horse battery",
        "654321",
        &meta(),
        at,
    )
    .await;
    assert_eq!(field_error(wrong_code, "code"), CODE_WRONG);
    assert!(tf::is_on(&mut conn, ada.id).await.unwrap());

    // Required of every operator: it stays on, whatever is typed.
    tf::require_of_operators(&mut conn, &ada, true, &meta()).await.unwrap();
    let required = tf::turn_off(&mut conn, &settings, &ada, "correct horse battery", &code, &meta(), at).await;
    assert!(matches!(required, Err(AppError::Conflict(m)) if m.contains("every operator")));
    assert!(tf::is_on(&mut conn, ada.id).await.unwrap());

    tf::require_of_operators(&mut conn, &ada, false, &meta()).await.unwrap();
    tf::turn_off(&mut conn, &settings, &ada, "correct horse battery", &code, &meta(), at)
        .await
        .unwrap();
    assert!(!tf::is_on(&mut conn, ada.id).await.unwrap());
    assert_eq!(repo::recovery_codes_left(&mut conn, ada.id).await.unwrap(), 0);
    let mail = crate::backend::repos::outbox::list(&mut conn, 1, 10)
        .await
        .unwrap()
        .rows;
    assert!(mail
        .iter()
        .any(|m| m.to_address == "ada@example.com" && m.subject == "Two-factor sign-in was turned off"));
}

fn operator_from(row: users::UserRow) -> AuthUser {
    AuthUser {
        id: row.id,
        email: row.email,
        display_name: row.display_name,
        account: users::Account::Operator(OperatorRole::Admin),
        brand_scoped: false,
    }
}

#[tokio::test]
async fn operators_and_a_programs_partners_can_be_required_to_use_it() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let settings = settings();
    let ada = operator(&mut conn, "ada@example.com", OperatorRole::Admin).await;
    let f = fixture(&mut conn).await;
    let row = users::insert_partner_user(&mut conn, f.partner, "pat@x.test", "Pat", PartnerRole::Member)
        .await
        .unwrap();
    let pat = AuthUser {
        id: row.id,
        email: row.email,
        display_name: row.display_name,
        account: users::Account::Partner {
            partner_id: f.partner,
            role: PartnerRole::Member,
        },
        brand_scoped: false,
    };
    assert!(!tf::setup_due(&mut conn, &ada).await.unwrap());
    assert!(!tf::setup_due(&mut conn, &pat).await.unwrap());

    tf::require_of_operators(&mut conn, &ada, true, &meta()).await.unwrap();
    assert!(tf::setup_due(&mut conn, &ada).await.unwrap());
    assert!(
        !tf::setup_due(&mut conn, &pat).await.unwrap(),
        "partners aren't operators"
    );

    repo::set_program_requires(&mut conn, f.program, true).await.unwrap();
    assert_eq!(
        tf::required_because(&mut conn, &pat).await.unwrap().as_deref(),
        Some("Acme asks its partners to use two-factor sign-in.")
    );
    enrolled(&mut conn, &settings, &pat).await;
    assert!(!tf::setup_due(&mut conn, &pat).await.unwrap());
}

#[tokio::test]
async fn without_a_data_key_setting_up_is_refused_and_rotation_carries_secrets_over() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let ada = operator(&mut conn, "ada@example.com", OperatorRole::Admin).await;
    let keyless = Settings::for_local(std::env::temp_dir());
    let refused = tf::start(&mut conn, &keyless, &ada, &meta()).await;
    assert!(matches!(refused, Err(AppError::Conflict(m)) if m == tf::NEEDS_DATA_KEY));
    assert!(repo::find(&mut conn, ada.id).await.unwrap().is_none());

    let old = settings();
    let (secret, _) = enrolled(&mut conn, &old, &ada).await;
    let new = settings();
    let old_key = old.data_key.clone().unwrap();
    let new_key = new.data_key.clone().unwrap();
    // The server would refuse to start with another key, or none.
    assert!(crate::backend::payouts::keys::check(&mut conn, None).await.is_err());
    assert!(crate::backend::payouts::keys::check(&mut conn, Some(&new_key))
        .await
        .is_err());
    crate::backend::payouts::keys::rotate(&mut conn, &old_key, &new_key)
        .await
        .unwrap();
    crate::backend::payouts::keys::check(&mut conn, Some(&new_key))
        .await
        .unwrap();
    let at = now() + Duration::seconds(30);
    let code = tf::code_at(&secret, at);
    assert_eq!(parse_code(&code), Ok(Entered::AppCode(code.clone())));
    assert_eq!(
        use_code(&mut conn, &new, ada.id, &code, at).await,
        Some(Passed::AppCode)
    );
}
