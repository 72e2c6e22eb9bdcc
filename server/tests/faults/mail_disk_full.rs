//! Email written as .eml files (no SMTP_URL) to a mail folder on a full disk: the message stays
//! pending in the outbox with the error, no partial file is left behind, and once there is space
//! again the next attempt delivers it whole. The full disk is a 64 KiB tmpfs, which needs root
//! (CI runs the tests as root); as another user the test says so and does nothing.

use crate::support::scratch_dir;
use app::backend::mailer::{deliver_due, Transport};
use app::backend::repos::outbox;
use app::backend::testing::TestDb;
use app::domain::emails::application_received;
use diesel_async::RunQueryDsl;
use lettre::message::Mailbox;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A tmpfs mounted on a folder, unmounted when dropped.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(dir: &Path) -> Self {
        std::fs::create_dir_all(dir).unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
            .arg(dir)
            .output()
            .expect("running mount");
        assert!(
            out.status.success(),
            "mount -t tmpfs (as root): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Self(dir.to_owned())
    }

    /// Writes a filler file until the disk is full.
    fn fill(&self) -> PathBuf {
        let path = self.0.join("filler");
        let mut file = std::fs::File::create(&path).unwrap();
        let block = [0u8; 4096];
        while file.write_all(&block).and_then(|()| file.sync_all()).is_ok() {}
        path
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

#[tokio::test]
async fn a_full_mail_disk_keeps_the_message_in_the_outbox_until_there_is_space() {
    if !is_root() {
        println!("skipped: mounting a 64 KiB tmpfs to fill needs root, and this test runs as another user");
        return;
    }
    let db = TestDb::new().await;
    let data_dir = scratch_dir("mail-full");
    let disk = SmallDisk::mount(&data_dir.join("mail"));
    let filler = disk.fill();
    let transport = Transport::new(None, &data_dir).unwrap();
    let from: Mailbox = "Trellis <no-reply@trellis.test>".parse().unwrap();
    let id = outbox::enqueue(
        &*db.conn().await,
        "ada@example.com",
        &application_received("Ada", "Acme"),
    )
    .await
    .unwrap();
    let eml = data_dir.join("mail").join(format!("{id:08}.eml"));

    assert_eq!(
        deliver_due(&db.pool(), &transport, &from, 10).await.unwrap(),
        0,
        "nothing sent on a full disk"
    );
    let row = outbox::get(&mut *db.conn().await, id).await.unwrap();
    assert_eq!((row.status.as_str(), row.attempts, row.sent_at), ("pending", 1, None));
    let error = row.last_error.unwrap_or_default();
    assert!(
        error.contains("No space left"),
        "the outbox keeps the reason: {error:?}"
    );
    let leftovers: Vec<_> = std::fs::read_dir(data_dir.join("mail"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name != "filler")
        .collect();
    assert!(
        leftovers.is_empty(),
        "a failed write leaves no partial message: {leftovers:?}"
    );

    std::fs::remove_file(filler).unwrap();
    // The retry delay passing, without waiting for it.
    diesel::sql_query("UPDATE email_outbox SET next_attempt_at = now() WHERE id = $1")
        .bind::<diesel::sql_types::BigInt, _>(id)
        .execute(&mut *db.conn().await)
        .await
        .unwrap();
    assert_eq!(
        deliver_due(&db.pool(), &transport, &from, 10).await.unwrap(),
        1,
        "sent once there is space"
    );
    let row = outbox::get(&mut *db.conn().await, id).await.unwrap();
    assert_eq!((row.status.as_str(), row.attempts), ("sent", 2));
    let message = std::fs::read_to_string(&eml).expect("the .eml file is written");
    assert!(message.contains("To: ada@example.com"), "{message}");
    assert!(
        message.trim_end().ends_with("--"),
        "the whole message, to its last MIME boundary: {message}"
    );
    println!(
        "FAULT full mail disk: first attempt kept pending ({error}), no partial file; sent on the next attempt once \
         space was freed ({} bytes)",
        message.len()
    );
    drop(disk);
    std::fs::remove_dir_all(&data_dir).ok();
}
