//! Email goes out through lettre's SMTP transport to a real SMTP server (aiosmtpd, started here),
//! and two workers with their own pools (two instances) send every message exactly once.

use app::backend::db::build_pool;
use app::backend::mailer::{deliver_due, Transport};
use app::backend::repos::outbox;
use app::backend::testing::TestDb;
use app::domain::emails::application_received;
use lettre::message::Mailbox;
use std::collections::HashSet;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

struct SmtpServer {
    child: Child,
    port: u16,
    maildir: std::path::PathBuf,
}

impl SmtpServer {
    fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let maildir = std::env::temp_dir().join(format!("trellis-smtp-{}", app::backend::tokens::short_reference()));
        let child = Command::new("/usr/bin/python3")
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(&maildir)
            .spawn()
            .expect("python3-aiosmtpd is installed (make test installs it)");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "the SMTP server did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        Self { child, port, maildir }
    }

    fn messages(&self) -> Vec<String> {
        std::fs::read_dir(self.maildir.join("new"))
            .map(|dir| {
                dir.flatten()
                    .map(|e| std::fs::read_to_string(e.path()).unwrap())
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.maildir);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_send_every_message_exactly_once() {
    let smtp = SmtpServer::start();
    let db = TestDb::new().await;
    const MESSAGES: usize = 40;
    for i in 0..MESSAGES {
        let content = application_received(&format!("Partner {i}"), &format!("Program {i}"));
        outbox::enqueue(&*db.conn().await, &format!("p{i}@example.com"), &content)
            .await
            .unwrap();
    }
    let from: Mailbox = "Trellis <no-reply@trellis.test>".parse().unwrap();
    let url = format!("smtp://127.0.0.1:{}", smtp.port);
    let worker = |pool: app::backend::db::DbPool| {
        let (from, url) = (from.clone(), url.clone());
        tokio::spawn(async move {
            let transport = Transport::new(Some(&url), std::path::Path::new("/nonexistent")).unwrap();
            let mut sent = 0;
            for _ in 0..200 {
                sent += deliver_due(&pool, &transport, &from, 3).await.unwrap();
                tokio::task::yield_now().await;
            }
            sent
        })
    };
    let (a, b) = (
        worker(build_pool(db.url(), 2).unwrap()),
        worker(build_pool(db.url(), 2).unwrap()),
    );
    let (a, b) = (a.await.unwrap(), b.await.unwrap());
    assert_eq!(a + b, MESSAGES, "every message sent once in all: {a} + {b}");

    let deadline = Instant::now() + Duration::from_secs(20);
    while smtp.messages().len() < MESSAGES && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let received = smtp.messages();
    assert_eq!(
        received.len(),
        MESSAGES,
        "the SMTP server got each message exactly once"
    );
    let recipients: HashSet<String> = received
        .iter()
        .filter_map(|m| m.lines().find(|l| l.starts_with("To: ")).map(str::to_owned))
        .collect();
    assert_eq!(recipients.len(), MESSAGES, "no message twice");
    assert!(
        received[0].contains("multipart/alternative"),
        "plain text and HTML parts"
    );
    let page = outbox::list(&mut *db.conn().await, 1, 100).await.unwrap();
    assert!(page.rows.iter().all(|r| r.status == "sent" && r.attempts == 1));
}

#[tokio::test]
async fn an_unreachable_smtp_server_leaves_mail_queued_for_a_retry() {
    let db = TestDb::new().await;
    let id = outbox::enqueue(&*db.conn().await, "a@example.com", &application_received("A", "B"))
        .await
        .unwrap();
    let transport = Transport::new(Some("smtp://127.0.0.1:9"), std::path::Path::new("/nonexistent")).unwrap();
    let from: Mailbox = "no-reply@trellis.test".parse().unwrap();
    assert_eq!(deliver_due(&db.pool(), &transport, &from, 10).await.unwrap(), 0);
    let row = outbox::get(&mut *db.conn().await, id).await.unwrap();
    assert_eq!((row.status.as_str(), row.attempts), ("pending", 1));
    assert!(
        row.next_attempt_at > time::OffsetDateTime::now_utc(),
        "backs off before the next try"
    );
}
