//! The command-line tools against a private database: `seed-demo` twice changes nothing, and
//! `create-operator` takes a password from stdin or prints a generated one, and refuses bad input.

use app::backend::testing::TestDb;
use std::io::Write;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_trellis");

fn trellis(db: &TestDb, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
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
    let db = TestDb::new().await;
    let first = trellis(&db, &["seed-demo"], None);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let stdout = String::from_utf8_lossy(&first.stdout);
    for login in [
        "admin@acme.test",
        "manager@acme.test",
        "finance@acme.test",
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
    ];
    let mut before = Vec::new();
    for t in tables {
        before.push(count(&db, t).await);
    }
    assert_eq!(before[..2], [1, 2]);
    assert!(trellis(&db, &["seed-demo"], None).status.success());
    for (t, n) in tables.iter().zip(before) {
        assert_eq!(count(&db, t).await, n, "{t} unchanged");
    }
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
