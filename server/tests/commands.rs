//! The command-line tools against a private database: `seed-demo` twice changes nothing,
//! `create-operator` takes a password from stdin or prints a generated one, and refuses bad input,
//! `verify-commissions` passes on engine-computed commissions and lists one that differs, and
//! `serve` refuses to start without the key that sealed payout details, which `rotate-key` changes.

use app::backend::testing::TestDb;
use std::io::Write;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_trellis");

fn trellis(db: &TestDb, args: &[&str], stdin: Option<&str>) -> Output {
    trellis_with(db, args, stdin, &[])
}

fn trellis_with(db: &TestDb, args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .envs(env.iter().copied())
        .env("DATABASE_URL", db.url())
        .env("RUST_LOG", "off")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.unwrap_or("").as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

async fn count(db: &TestDb, table: &str) -> i64 {
    use diesel::sql_types::BigInt;
    use diesel_async::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let row: Count = diesel::sql_query(format!("SELECT count(*) AS n FROM {table}"))
        .get_result(&mut *db.conn().await)
        .await
        .unwrap();
    row.n
}

#[tokio::test]
async fn seeding_twice_changes_nothing() {
    use diesel_async::RunQueryDsl;
    let db = TestDb::new().await;
    let first = trellis(&db, &["seed-demo"], None);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let stdout = String::from_utf8_lossy(&first.stdout);
    for login in [
        "admin@acme.test",
        "manager@acme.test",
        "finance@acme.test",
        "viewer@acme.test",
        "payables@acme.test",
        "manager@globex.test",
        "ana@brightreviews.test",
    ] {
        assert!(stdout.contains(login), "prints {login}");
    }
    let tables = [
        "brands",
        "programs",
        "partners",
        "users",
        "program_memberships",
        "audit_events",
        "deals",
        "operator_brands",
    ];
    let mut before = Vec::new();
    for t in tables {
        before.push(count(&db, t).await);
    }
    // Two brands (Acme Cloud with two programs, Globex with one), deals in every stage, and
    // Globex's manager limited to Globex.
    assert_eq!(before[..2], [2, 3]);
    assert_eq!(before[6..], [5, 1]);
    // Two people in finance, so that a payout run one of them makes, the other approves.
    assert_eq!(count(&db, "users WHERE operator_role = 'finance'").await, 2);
    assert!(trellis(&db, &["seed-demo"], None).status.success());
    for (t, n) in tables.iter().zip(before) {
        assert_eq!(count(&db, t).await, n, "{t} unchanged");
    }

    // A demo seeded before the second finance person existed gets them on its next run.
    diesel::sql_query("DELETE FROM users WHERE email = 'payables@acme.test'")
        .execute(&mut *db.conn().await)
        .await
        .unwrap();
    assert!(trellis(&db, &["seed-demo"], None).status.success());
    assert_eq!(count(&db, "users WHERE operator_role = 'finance'").await, 2);
}

#[tokio::test]
async fn create_operator_reads_or_generates_a_password() {
    let db = TestDb::new().await;
    let piped = trellis(
        &db,
        &[
            "create-operator",
            "--email",
            "ops@example.com",
            "--role",
            "finance",
            "--password-stdin",
        ],
        Some("a chosen password\n"),
    );
    assert!(piped.status.success(), "{}", String::from_utf8_lossy(&piped.stderr));
    assert!(
        !String::from_utf8_lossy(&piped.stdout).contains("Password"),
        "a chosen password is never printed"
    );

    let generated = trellis(
        &db,
        &["create-operator", "--email", "boss@example.com", "--role", "admin"],
        None,
    );
    assert!(generated.status.success());
    assert!(String::from_utf8_lossy(&generated.stdout).contains("Password (shown once):"));
    assert_eq!(count(&db, "users").await, 2);

    for (args, stdin, message) in [
        (
            vec!["create-operator", "--email", "ops@example.com", "--role", "admin"],
            None,
            "already exists",
        ),
        (
            vec!["create-operator", "--email", "not-an-email", "--role", "admin"],
            None,
            "--email",
        ),
        (
            vec!["create-operator", "--email", "x@example.com", "--role", "owner"],
            None,
            "--role",
        ),
        (
            vec![
                "create-operator",
                "--email",
                "y@example.com",
                "--role",
                "viewer",
                "--password-stdin",
            ],
            Some("short"),
            "password",
        ),
    ] {
        let out = trellis(&db, &args, stdin);
        assert!(!out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(message),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(count(&db, "users").await, 2, "refused commands change nothing");
    assert_eq!(count(&db, "audit_events").await, 2, "each creation is audited");
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn verify_commissions_recomputes_every_commission_and_lists_those_that_differ() {
    use diesel::sql_types::{BigInt, Numeric};
    use diesel_async::RunQueryDsl;
    let db = TestDb::new().await;
    let seed = ["bench-seed-commissions", "--count", "2000"];
    let refused = trellis(&db, &seed, None);
    assert!(!refused.status.success());
    assert!(text(&refused.stderr).contains("TRELLIS_BENCH_ROUTES=true"));
    assert_eq!(count(&db, "conversions").await, 0, "refused before writing anything");

    let seeded = trellis_with(&db, &seed, None, &[("TRELLIS_BENCH_ROUTES", "true")]);
    assert!(seeded.status.success(), "{}", text(&seeded.stderr));
    assert_eq!(count(&db, "conversions").await, 2000);
    let stored = count(&db, "commissions").await;
    assert!(stored >= 2000, "an accrual per conversion, and the masters' overrides");
    assert_eq!(
        count(&db, "commission_decisions").await,
        2000,
        "a routing decision per accrual"
    );
    let again = trellis_with(&db, &seed, None, &[("TRELLIS_BENCH_ROUTES", "true")]);
    assert!(!again.status.success(), "a second seeding is refused");
    assert!(text(&again.stderr).contains("fresh database"));

    let clean = trellis(&db, &["verify-commissions"], None);
    assert!(clean.status.success(), "{}", text(&clean.stderr));
    let summary = text(&clean.stdout);
    assert!(
        summary.starts_with(&format!("checked {stored} commissions in ")),
        "{summary}"
    );
    assert!(summary.trim_end().ends_with(": all match"), "{summary}");

    // A commission stored with a cent more than its terms and inputs give (the ledger is
    // append-only, so a second conversion with a copy of the first one's accrual, plus 0.01).
    #[derive(diesel::QueryableByName)]
    struct Tampered {
        #[diesel(sql_type = BigInt)]
        id: i64,
        #[diesel(sql_type = Numeric)]
        amount: rust_decimal::Decimal,
    }
    let mut conn = db.conn().await;
    diesel::sql_query(
        "INSERT INTO conversions (program_id, order_id, event, amount, currency, customer_id, occurred_at,
                                  received_at, partner_id, attribution, request, deductions, country)
         SELECT program_id, 'tampered', event, amount, currency, customer_id, occurred_at, received_at,
                partner_id, 'customer', request, deductions, country
         FROM conversions ORDER BY id LIMIT 1",
    )
    .execute(&mut *conn)
    .await
    .unwrap();
    let tampered: Tampered = diesel::sql_query(
        "INSERT INTO commissions (conversion_id, program_id, partner_id, kind, amount, currency, explanation,
                                  terms_version_id, inputs, payable_at, created_at)
         SELECT (SELECT id FROM conversions WHERE order_id = 'tampered'), program_id, partner_id, kind,
                amount + 0.01, currency, explanation, terms_version_id, inputs, payable_at, created_at
         FROM commissions WHERE kind = 'commission' ORDER BY id LIMIT 1
         RETURNING id, amount",
    )
    .get_result(&mut *conn)
    .await
    .unwrap();
    drop(conn);
    let recomputed = tampered.amount - rust_decimal::Decimal::new(1, 2);
    let expected_line = format!(
        "  commission {}: stored {:.2}, recomputed {:.2}",
        tampered.id, tampered.amount, recomputed
    );

    let found = trellis(&db, &["verify-commissions", "--program", "bench-commissions"], None);
    assert!(!found.status.success(), "a difference fails the command");
    let out = text(&found.stdout);
    assert!(
        out.starts_with(&format!("checked {} commissions in ", stored + 1)),
        "{out}"
    );
    assert!(out.contains(": 1 differ\n"), "{out}");
    assert!(out.contains(&expected_line), "{out} lacks {expected_line}");
    assert!(text(&found.stderr).contains("1 of"), "{}", text(&found.stderr));

    let unknown = trellis(&db, &["verify-commissions", "--program", "no-such-program"], None);
    assert!(!unknown.status.success());
    assert!(text(&unknown.stderr).contains("no-such-program"));
}

#[tokio::test]
async fn retention_refuses_a_cutoff_inside_a_cookie_window_and_keeps_every_click() {
    let db = TestDb::new().await;
    assert!(trellis(&db, &["seed-demo"], None).status.success());
    let clicks = count(&db, "clicks").await;
    assert!(clicks > 0);
    let refused = trellis(&db, &["retention", "--clicks-older-than", "10d"], None);
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("inside the longest cookie window"),
        "{}",
        text(&refused.stderr)
    );
    let bad = trellis(&db, &["retention", "--clicks-older-than", "13w"], None);
    assert!(!bad.status.success());
    assert!(
        text(&bad.stderr).contains("not an age like 400d, 13m or 2y"),
        "{}",
        text(&bad.stderr)
    );
    assert_eq!(count(&db, "clicks").await, clicks);
    assert_eq!(count(&db, "click_retention").await, 0);
    // Thirteen months is outside every window; the demo's clicks are recent, so nothing goes.
    let kept = trellis(&db, &["retention", "--clicks-older-than", "13m"], None);
    assert!(kept.status.success(), "{}", text(&kept.stderr));
    assert!(text(&kept.stdout).contains("nothing to drop"), "{}", text(&kept.stdout));
    assert_eq!(count(&db, "clicks").await, clicks);
}

/// Seals Ana's IBAN under `key` through the same flow the portal uses.
async fn seal_a_method(db: &TestDb, key: &app::backend::data_key::DataKey) {
    use app::backend::payouts::details::{self, Saver};
    use app::backend::repos::{audit::Actor, partners, users};
    let conn = &mut *db.conn().await;
    let ana = partners::find_by_email(conn, "ana@brightreviews.test")
        .await
        .unwrap()
        .unwrap();
    let user = users::partner_owner(conn, ana.id).await.unwrap().unwrap();
    let settings = app::backend::settings::Settings {
        data_key: Some(key.clone()),
        ..app::backend::settings::Settings::for_local(std::env::temp_dir())
    };
    let form = app::domain::payouts::method::MethodForm {
        currency: "EUR".into(),
        kind: "sepa".into(),
        account_holder: "Ana Reyes".into(),
        iban: "DE89370400440532013000".into(),
        bic: "COBADEFFXXX".into(),
        ..Default::default()
    };
    let saver = Saver {
        partner_id: ana.id,
        user_id: user.id,
        actor: Actor::user(user.id, &user.email),
    };
    let meta = app::backend::flows::RequestMeta {
        request_id: None,
        ip: "127.0.0.1".into(),
    };
    details::save_method(conn, &settings, &saver, &form, &meta, time::OffsetDateTime::now_utc())
        .await
        .unwrap();
}

#[tokio::test]
async fn serve_refuses_to_start_without_the_data_key_and_rotate_key_reseals_all_or_nothing() {
    use app::backend::data_key::DataKey;
    let db = TestDb::new().await;
    assert!(trellis(&db, &["seed-demo"], None).status.success());
    let printed = trellis(&db, &["new-data-key"], None);
    let old_text = text(&printed.stdout).trim().to_owned();
    let old = DataKey::from_base64(&old_text).expect("new-data-key prints a usable key");
    seal_a_method(&db, &old).await;
    let dir = tempfile_dir();
    let serve_env = [
        ("TRELLIS_ADDR", "127.0.0.1:0"),
        ("TRELLIS_DATA_DIR", dir.to_str().unwrap()),
    ];
    let refused = trellis_with(&db, &["serve"], None, &serve_env);
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("no data key is set"),
        "{}",
        text(&refused.stderr)
    );
    let other = DataKey::generate();
    let wrong_env = [serve_env[0], serve_env[1], ("TRELLIS_DATA_KEY", other.as_str())];
    let wrong = trellis_with(&db, &["serve"], None, &wrong_env);
    assert!(!wrong.status.success());
    assert!(
        text(&wrong.stderr).contains(&format!("sealed with data key {}", old.id())),
        "{}",
        text(&wrong.stderr)
    );

    // Rotation with the wrong current key changes nothing and leaves no key file behind.
    let new_file = dir.join("new.key");
    let new_file_arg = new_file.to_str().unwrap();
    let failed = trellis_with(
        &db,
        &["rotate-key", "--new-key-file", new_file_arg],
        None,
        &wrong_env[1..],
    );
    assert!(!failed.status.success());
    assert!(
        text(&failed.stderr).contains("nothing was changed"),
        "{}",
        text(&failed.stderr)
    );
    assert!(!new_file.exists());
    let old_env = [
        ("TRELLIS_DATA_DIR", dir.to_str().unwrap()),
        ("TRELLIS_DATA_KEY", old_text.as_str()),
    ];
    let rotated = trellis_with(&db, &["rotate-key", "--new-key-file", new_file_arg], None, &old_env);
    assert!(rotated.status.success(), "{}", text(&rotated.stderr));
    let new = DataKey::from_base64(&std::fs::read_to_string(&new_file).unwrap()).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&new_file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let conn = &mut *db.conn().await;
    assert_eq!(
        app::backend::repos::payout_details::key_ids(conn).await.unwrap(),
        vec![new.id().to_owned()]
    );
    assert!(app::backend::payouts::keys::check(conn, Some(&old)).await.is_err());
    let again = trellis_with(&db, &["rotate-key", "--new-key-file", new_file_arg], None, &old_env);
    assert!(
        text(&again.stderr).contains("exists already"),
        "{}",
        text(&again.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("trellis-key-{}", app::backend::tokens::short_reference()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
