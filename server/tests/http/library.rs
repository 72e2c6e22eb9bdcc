//! The content library over HTTP: the program's staff publish documents and new versions
//! (plain multipart forms, the CSRF token first and the file streamed last), partners download
//! the latest version of what they may read (counted), staff download any version. Every
//! refused upload is sent back to the library page with its errors kept for it, and stores
//! nothing; every partner's probe of a document that isn't its own is a 404, as for one that
//! doesn't exist, and counts nothing.

use crate::support::{multipart, state_for, Browser, Reply, TestApp};
use app::api::error::AppError;
use app::api::library::{ArchiveDocument, MyLibrary, MyLibraryDto, ProgramLibrary, ProgramLibraryDto};
use app::backend::testing::TestDb;
use axum::http::{header, StatusCode};
use leptos::server_fn::ServerFn;
use std::sync::Arc;

const ADMIN: &str = "admin@acme.test";
const MANAGER: &str = "manager@acme.test";
const FINANCE: &str = "finance@acme.test";
/// A creator in the affiliate program, with no tier.
const ANA: &str = "ana@brightreviews.test";
/// A publisher in the affiliate program (and only an applicant in the reseller program).
const LUMEN: &str = "hello@lumenmedia.test";
/// A reseller in the reseller program.
const NORTHWIND: &str = "ops@northwind.test";

/// A PDF of `size` bytes whose bytes are all printable after its header, so a reply's text body
/// is the file exactly; `marker` tells two files apart.
fn pdf(marker: &str, size: usize) -> Vec<u8> {
    let mut bytes = format!("%PDF-1.7\n% {marker}\n").into_bytes();
    let mut i = 0u8;
    while bytes.len() < size {
        bytes.push(b'a' + i % 26);
        i = i.wrapping_add(1);
    }
    bytes
}

struct Library {
    app: TestApp,
    affiliates: i64,
    resellers: i64,
    admin: Browser,
}

impl Library {
    async fn new() -> Self {
        Self::over(TestApp::seeded().await).await
    }

    /// The demo with a library that takes files up to `max_bytes`.
    async fn limited_to(max_bytes: usize) -> Self {
        let db = TestDb::new().await;
        trellis::commands::seed::run(db.url()).await.expect("seeding the demo");
        let mut state = state_for(db.pool());
        Arc::get_mut(&mut state.settings)
            .expect("the settings are not shared yet")
            .library_max_bytes = max_bytes;
        Self::over(TestApp::new(db, state)).await
    }

    async fn over(app: TestApp) -> Self {
        let program = |slug: &str| format!("SELECT id AS n FROM programs WHERE slug = '{slug}'");
        let affiliates = app.number(&program("acme-affiliates")).await;
        let resellers = app.number(&program("acme-resellers")).await;
        let admin = app.logged_in(ADMIN).await;
        Self {
            app,
            affiliates,
            resellers,
            admin,
        }
    }

    fn page(program: i64) -> String {
        format!("/console/programs/{program}/library")
    }

    /// Rows an upload or a download would write (logging in is audited too: only the library's
    /// own events count here).
    async fn footprint(&self) -> Vec<i64> {
        let mut counts = Vec::new();
        for table in [
            "library_folders",
            "documents",
            "document_versions",
            "document_chunks",
            "document_downloads",
        ] {
            counts.push(self.app.count(table).await);
        }
        counts.push(
            self.app
                .number("SELECT coalesce(sum(downloads), 0)::bigint AS n FROM document_downloads")
                .await,
        );
        counts.push(
            self.app
                .number("SELECT count(*) AS n FROM audit_events WHERE action LIKE 'document.%'")
                .await,
        );
        counts
    }

    /// Publishes `file` as the admin with `fields` over a valid form, and returns the new id.
    async fn publish_pdf(&mut self, program: i64, fields: &[(&str, &str)], file: &[u8]) -> i64 {
        let reply = publish_as(&mut self.admin, program, fields, Some(("doc.pdf", file))).await;
        assert_sent_back(&reply, program, "publishing");
        self.latest_document().await
    }

    async fn latest_document(&self) -> i64 {
        self.app.number("SELECT max(id) AS n FROM documents").await
    }

    /// The program's library as its console page gets it (which also takes a refused form's
    /// errors from the session).
    async fn console(browser: &mut Browser, program: i64) -> ProgramLibraryDto {
        let reply = browser.fetch(&format!("{}?id={program}", ProgramLibrary::PATH)).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        serde_json::from_str(&reply.body).unwrap()
    }

    async fn downloads_of(&self, document: i64, email: &str) -> i64 {
        self.app
            .number(&format!(
                "SELECT coalesce(sum(d.downloads), 0)::bigint AS n FROM document_downloads d
                 JOIN partners p ON p.id = d.partner_id WHERE d.document_id = {document} AND p.email = '{email}'"
            ))
            .await
    }
}

/// Posts the publish form as `browser`: its CSRF token first, a valid form's fields (a new
/// folder, visible to all) with `fields` in their place, then the file.
async fn publish_as(
    browser: &mut Browser,
    program: i64,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> Reply {
    let token = browser.token().await;
    let mut all: Vec<(&str, &str)> = vec![
        ("csrf_token", token.as_str()),
        ("folder_id", ""),
        ("new_folder", "Sales decks"),
        ("title", "Battle card: Acme vs Globex"),
        ("description", "Where we win against the big suites."),
        ("tags", "competitive, sales"),
        ("visibility", "all"),
        ("audience", ""),
        ("certification_id", ""),
    ];
    for (name, value) in fields {
        match all.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value,
            None => all.push((name, value)),
        }
    }
    let files: Vec<(&str, &str, &[u8])> = file.map(|(name, bytes)| ("file", name, bytes)).into_iter().collect();
    let path = format!("/console/programs/{program}/library/add");
    browser.post_multipart(&path, &all, &files).await
}

/// Posts the new-version form as `browser`: the token, the note, the file.
async fn add_version_as(
    browser: &mut Browser,
    program: i64,
    document: i64,
    note: &str,
    file: Option<(&str, &[u8])>,
) -> Reply {
    let token = browser.token().await;
    let fields = [("csrf_token", token.as_str()), ("note", note)];
    let files: Vec<(&str, &str, &[u8])> = file.map(|(name, bytes)| ("file", name, bytes)).into_iter().collect();
    let path = format!("/console/programs/{program}/library/{document}/versions");
    browser.post_multipart(&path, &fields, &files).await
}

fn assert_sent_back(reply: &Reply, program: i64, what: &str) {
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{what}: {}", reply.body);
    assert_eq!(reply.location(), Library::page(program), "{what}");
}

/// The reply is the file `name` with exactly these bytes, typed as a PDF.
fn assert_pdf_download(reply: &Reply, name: &str, bytes: &[u8]) {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.headers[header::CONTENT_TYPE], "application/pdf");
    let disposition = reply.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment;") && disposition.contains(&format!("filename=\"{name}\"")),
        "{disposition}"
    );
    assert_eq!(reply.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(reply.headers[header::CONTENT_LENGTH], bytes.len().to_string().as_str());
    assert_eq!(reply.body.len(), bytes.len());
    assert!(reply.body.as_bytes() == bytes, "the body is the stored file");
}

#[tokio::test]
async fn a_published_pdf_reaches_its_partners_and_a_new_version_replaces_it_for_them() {
    let mut l = Library::new().await;
    let first = pdf("version one", 40 * 1024);
    let published = publish_as(&mut l.admin, l.affiliates, &[], Some(("deck.pdf", &first))).await;
    assert_sent_back(&published, l.affiliates, "publishing");
    let id = l.latest_document().await;
    assert_eq!(
        l.app
            .text(&format!(
                "SELECT concat_ws(' | ', f.name, d.title, d.visibility, d.latest_version, v.file_name, v.content_type, v.size_bytes)
                 AS v FROM documents d JOIN library_folders f ON f.id = d.folder_id
                 JOIN document_versions v ON v.document_id = d.id WHERE d.id = {id}"
            ))
            .await,
        format!(
            "Sales decks | Battle card: Acme vs Globex | all | 1 | deck.pdf | application/pdf | {}",
            first.len()
        ),
        "the new folder, the document and its first version"
    );
    assert_eq!(
        l.app
            .number(&format!(
                "SELECT count(*) AS n FROM audit_events WHERE action = 'document.publish' AND subject_id = '{id}'"
            ))
            .await,
        1
    );

    // Ana, a partner of the program, downloads it: the file itself, counted for her.
    let mut ana = l.app.logged_in(ANA).await;
    let path = format!("/portal/library/{id}/download");
    assert_pdf_download(&ana.get(&path).await, "deck.pdf", &first);
    assert_eq!(l.downloads_of(id, ANA).await, 1, "the download is counted");
    assert_eq!(l.app.count("document_downloads").await, 1);

    // A second version, larger than one stored chunk: Ana gets it from now on.
    let second = pdf("version two", 2 * 1024 * 1024 + 1234);
    let added = add_version_as(
        &mut l.admin,
        l.affiliates,
        id,
        "Prices from January",
        Some(("deck-2027.pdf", &second)),
    )
    .await;
    assert_sent_back(&added, l.affiliates, "a new version");
    assert_eq!(
        l.app
            .number(&format!(
                "SELECT latest_version::bigint AS n FROM documents WHERE id = {id}"
            ))
            .await,
        2
    );
    assert_eq!(
        l.app
            .number(&format!(
                "SELECT count(*) AS n FROM document_chunks c JOIN document_versions v ON v.id = c.version_id
                 WHERE v.document_id = {id} AND v.version = 2"
            ))
            .await,
        second.len().div_ceil(1024 * 1024) as i64,
        "stored in chunks of a mebibyte"
    );
    assert_pdf_download(&ana.get(&path).await, "deck-2027.pdf", &second);
    assert_eq!(l.downloads_of(id, ANA).await, 2);

    // The staff keep the history: any version, from the console's route, by any operator role.
    let console = |n: i32| format!("/console/programs/{}/library/{id}/versions/{n}", l.affiliates);
    assert_pdf_download(&l.admin.get(&console(1)).await, "deck.pdf", &first);
    assert_pdf_download(&l.admin.get(&console(2)).await, "deck-2027.pdf", &second);
    let mut finance = l.app.logged_in(FINANCE).await;
    assert_pdf_download(&finance.get(&console(1)).await, "deck.pdf", &first);
    assert_eq!(l.admin.get(&console(3)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        l.admin
            .get(&format!("/console/programs/{}/library/{id}/versions/1", l.resellers))
            .await
            .status,
        StatusCode::NOT_FOUND,
        "the document is not the other program's"
    );
    assert_eq!(l.downloads_of(id, ANA).await, 2, "staff downloads are not counted");

    // The console's server function lists both versions, newest first, and Ana's downloads.
    let library = Library::console(&mut l.admin, l.affiliates).await;
    assert!(library.can_manage);
    assert_eq!(library.max_upload, "25 MB");
    assert_eq!(
        library.folders.iter().map(|f| f.1.as_str()).collect::<Vec<_>>(),
        ["Sales decks"]
    );
    let [document] = library.documents.as_slice() else {
        panic!("one document: {:?}", library.documents)
    };
    assert_eq!((document.id, document.downloads), (id, 2));
    let versions: Vec<(i32, &str, &str)> = document
        .versions
        .iter()
        .map(|v| (v.number, v.file_name.as_str(), v.note.as_str()))
        .collect();
    assert_eq!(
        versions,
        [(2, "deck-2027.pdf", "Prices from January"), (1, "deck.pdf", "")]
    );
    assert_eq!(document.versions[1].download_path, console(1));
    assert_eq!(library.downloads.len(), 1);
    assert_eq!(
        (library.downloads[0].partner.as_str(), library.downloads[0].downloads),
        ("Bright Reviews", 2)
    );
    let finance_view = Library::console(&mut finance, l.affiliates).await;
    assert!(
        !finance_view.can_manage,
        "finance reads the library but doesn't publish"
    );
    assert_eq!(finance_view.documents.len(), 1);

    // Withdrawn: Ana no longer gets it; the staff still do.
    let archived = l
        .admin
        .submit(
            ArchiveDocument::PATH,
            &[
                ("program_id", &l.affiliates.to_string()),
                ("document_id", &id.to_string()),
            ],
        )
        .await;
    assert_eq!(archived.status, StatusCode::OK, "{}", archived.body);
    assert_eq!(ana.get(&path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(l.downloads_of(id, ANA).await, 2);
    assert_eq!(l.admin.get(&console(2)).await.status, StatusCode::OK);
    let again = l
        .admin
        .submit(
            ArchiveDocument::PATH,
            &[
                ("program_id", &l.affiliates.to_string()),
                ("document_id", &id.to_string()),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND, "{}", again.body);
    assert_eq!(
        l.app
            .number("SELECT count(*) AS n FROM audit_events WHERE action = 'document.archive'")
            .await,
        1
    );
}

/// A bad publish form: what it is, the fields it changes, its file, and the field the refusal
/// names with (part of) its message.
type Refusal<'a> = (
    &'a str,
    Vec<(&'a str, String)>,
    Option<(&'a str, Vec<u8>)>,
    &'a str,
    &'a str,
);

/// A bad new-version form: what it is, its note, its file, and the field the refusal names with
/// (part of) its message.
type VersionRefusal<'a> = (&'a str, &'a str, Option<(&'a str, &'a [u8])>, &'a str, &'a str);

#[tokio::test]
async fn a_refused_upload_is_sent_back_with_its_fault_and_stores_nothing() {
    const LIMIT: usize = 256 * 1024;
    let mut l = Library::limited_to(LIMIT).await;
    let good = pdf("good", 1000);
    // What belongs to the other program: a folder, a certification, a document.
    let published = publish_as(
        &mut l.admin,
        l.resellers,
        &[("new_folder", "Reseller kit")],
        Some(("kit.pdf", &good)),
    )
    .await;
    assert_sent_back(&published, l.resellers, "publishing in the reseller program");
    let foreign_document = l.latest_document().await;
    let foreign_folder = l
        .app
        .number("SELECT id AS n FROM library_folders WHERE name = 'Reseller kit'")
        .await;
    let foreign_certification = l
        .app
        .number(&format!(
            "INSERT INTO certifications (program_id, name, valid_months, course_ids, created_by)
             SELECT {}, 'Reseller installer', 12, '{{1}}', id FROM users WHERE email = '{ADMIN}' RETURNING id AS n",
            l.resellers
        ))
        .await;
    let published = publish_as(&mut l.admin, l.affiliates, &[], Some(("deck.pdf", &good))).await;
    assert_sent_back(&published, l.affiliates, "publishing in the affiliate program");
    let document = l.latest_document().await;

    let before = l.footprint().await;
    let over = pdf("over", LIMIT + 1);
    let cases: Vec<Refusal> = vec![
        (
            "a renamed executable",
            vec![],
            Some(("deck.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\xff\xff".to_vec())),
            "file",
            "deck.pdf is not really a PDF",
        ),
        (
            "HTML named .png",
            vec![],
            Some(("banner.png", b"<!doctype html><script>alert(1)</script>".to_vec())),
            "file",
            "banner.png is not really a PNG",
        ),
        (
            "an SVG",
            vec![],
            Some((
                "logo.svg",
                b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>".to_vec(),
            )),
            "file",
            "logo.svg is not a file the library takes",
        ),
        (
            "an empty file",
            vec![],
            Some(("empty.pdf", Vec::new())),
            "file",
            "empty.pdf is empty",
        ),
        ("no file", vec![], None, "file", "Choose the file to upload"),
        (
            "no file chosen",
            vec![],
            Some(("", Vec::new())),
            "file",
            "Choose the file to upload",
        ),
        (
            "a file over the limit by a byte",
            vec![],
            Some(("big.pdf", over.clone())),
            "file",
            "big.pdf is too large: the library takes files up to",
        ),
        (
            "no title",
            vec![("title", String::new())],
            Some(("deck.pdf", good.clone())),
            "title",
            "Title is required",
        ),
        (
            "a certification of another program",
            vec![
                ("visibility", "certification".into()),
                ("certification_id", foreign_certification.to_string()),
            ],
            Some(("deck.pdf", good.clone())),
            "certification_id",
            "Choose one of this program's certifications",
        ),
        (
            "a folder of another program",
            vec![("new_folder", String::new()), ("folder_id", foreign_folder.to_string())],
            Some(("deck.pdf", good.clone())),
            "folder_id",
            "Choose one of this program's folders",
        ),
        (
            "an unknown partner kind",
            vec![("visibility", "kinds".into()), ("audience", "wizard".into())],
            Some(("deck.pdf", good.clone())),
            "audience",
            "is not a partner kind",
        ),
    ];
    for (what, fields, file, field, message) in &cases {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let file = file.as_ref().map(|(name, bytes)| (*name, bytes.as_slice()));
        let reply = publish_as(&mut l.admin, l.affiliates, &fields, file).await;
        assert_sent_back(&reply, l.affiliates, what);
        assert_eq!(l.footprint().await, before, "{what} stored nothing");
        let refused = Library::console(&mut l.admin, l.affiliates).await.refused;
        let Some(AppError::Invalid(errors)) = &refused else {
            panic!("{what}: the page gets the refusal: {refused:?}")
        };
        let said = errors.get(field).unwrap_or_default();
        assert!(said.contains(message), "{what}: {field} says {said:?}");
        assert_eq!(
            errors.submitted("description"),
            Some("Where we win against the big suites."),
            "{what}: what was typed comes back"
        );
        assert_eq!(
            Library::console(&mut l.admin, l.affiliates).await.refused,
            None,
            "{what}: the refusal is shown once"
        );
    }

    // A file far past the route's limit is refused whole too.
    let huge = pdf("huge", LIMIT + 512 * 1024);
    let reply = publish_as(&mut l.admin, l.affiliates, &[], Some(("huge.pdf", &huge))).await;
    assert!(
        matches!(reply.status, StatusCode::SEE_OTHER | StatusCode::PAYLOAD_TOO_LARGE),
        "{}: {}",
        reply.status,
        reply.body
    );
    assert_eq!(
        l.footprint().await,
        before,
        "a file past the route's limit stored nothing"
    );
    let _ = Library::console(&mut l.admin, l.affiliates).await;

    // New versions: a bad file or note is sent back beside its document; the document stays at
    // version 1.
    let long_note = "n".repeat(501);
    let versions: [VersionRefusal; 4] = [
        (
            "a renamed executable",
            "",
            Some(("deck.pdf", b"MZ\x90\x00\x03\x00\x00\x00")),
            "file",
            "not really a PDF",
        ),
        (
            "a file over the limit",
            "",
            Some(("deck.pdf", &over)),
            "file",
            "too large",
        ),
        ("no file", "", None, "file", "Choose the file to upload"),
        ("a note too long", &long_note, Some(("deck.pdf", &good)), "note", ""),
    ];
    for (what, note, file, field, message) in versions {
        let reply = add_version_as(&mut l.admin, l.affiliates, document, note, file).await;
        assert_sent_back(&reply, l.affiliates, what);
        assert_eq!(l.footprint().await, before, "version: {what} stored nothing");
        let refused = Library::console(&mut l.admin, l.affiliates).await.version_refused;
        let Some(refusal) = refused else {
            panic!("version: {what}: the page gets the refusal")
        };
        assert_eq!(refusal.document_id, document, "version: {what}");
        let AppError::Invalid(errors) = &refusal.error else {
            panic!("version: {what}: {:?}", refusal.error)
        };
        let said = errors.get(field).unwrap_or_default();
        assert!(
            !said.is_empty() && said.contains(message),
            "version: {what}: {field} says {said:?}"
        );
    }
    // A version of a document that isn't the program's, or doesn't exist, is "not found".
    for missing in [foreign_document, 999_999] {
        let reply = add_version_as(&mut l.admin, l.affiliates, missing, "", Some(("deck.pdf", &good))).await;
        assert_eq!(
            reply.status,
            StatusCode::NOT_FOUND,
            "document {missing}: {}",
            reply.body
        );
    }
    assert_eq!(l.footprint().await, before);
    assert_eq!(
        l.app
            .number(&format!(
                "SELECT latest_version::bigint AS n FROM documents WHERE id = {document}"
            ))
            .await,
        1
    );
}

#[tokio::test]
async fn an_upload_without_the_csrf_token_first_is_refused_unread() {
    let mut l = Library::new().await;
    let good = pdf("good", 1000);
    let published = publish_as(&mut l.admin, l.affiliates, &[], Some(("deck.pdf", &good))).await;
    assert_sent_back(&published, l.affiliates, "publishing");
    let document = l.latest_document().await;
    let before = l.footprint().await;

    let token = l.admin.token().await;
    let wrong = "0".repeat(64);
    let fields = [("new_folder", "Forged"), ("title", "Forged"), ("visibility", "all")];
    let file = [("file", "forged.pdf", good.as_slice())];
    let publish = format!("/console/programs/{}/library/add", l.affiliates);
    let version = format!("/console/programs/{}/library/{document}/versions", l.affiliates);
    for path in [&publish, &version] {
        for (what, token) in [("without a token", ""), ("with a wrong token", wrong.as_str())] {
            let reply = l
                .admin
                .send(multipart(path, token, &fields, &file, "application/pdf"))
                .await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path} {what}: {}", reply.body);
            assert_eq!(l.footprint().await, before, "{path} {what} stored nothing");
        }
        // The right token, but not first.
        let late = [
            ("title", "Forged"),
            ("csrf_token", token.as_str()),
            ("new_folder", "Forged"),
            ("visibility", "all"),
        ];
        let reply = l.admin.post_multipart(path, &late, &file).await;
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{path} with the token late: {}",
            reply.body
        );
        assert_eq!(l.footprint().await, before, "{path} with the token late stored nothing");
    }
    // Another browser's token, for the same operator, is not this one's.
    let mut other = l.app.logged_in(ADMIN).await;
    let others = other.token().await;
    let reply = l
        .admin
        .send(multipart(&publish, &others, &fields, &file, "application/pdf"))
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    assert_eq!(l.footprint().await, before);
}

#[tokio::test]
async fn partners_get_only_what_their_program_kind_and_tier_admit_and_probes_count_nothing() {
    let mut l = Library::new().await;
    let file = pdf("gated", 2000);
    let everyone = l.publish_pdf(l.affiliates, &[("title", "For everyone")], &file).await;
    let publishers = l
        .publish_pdf(
            l.affiliates,
            &[
                ("title", "For publishers"),
                ("visibility", "kinds"),
                ("audience", "publisher"),
            ],
            &file,
        )
        .await;
    let gold = l
        .publish_pdf(
            l.affiliates,
            &[
                ("title", "Gold price list"),
                ("visibility", "tiers"),
                ("audience", "Gold"),
            ],
            &file,
        )
        .await;
    let resellers_only = l.publish_pdf(l.resellers, &[("title", "Reseller kit")], &file).await;

    let mut ana = l.app.logged_in(ANA).await;
    let mut lumen = l.app.logged_in(LUMEN).await;
    let mut northwind = l.app.logged_in(NORTHWIND).await;
    let download = |id: i64| format!("/portal/library/{id}/download");
    let missing = ana.get(&download(999_999)).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    // Each partner's probes of documents that aren't its own.
    let probes = [
        (
            ANA,
            vec![
                ("another kind", publishers),
                ("no tier", gold),
                ("another program", resellers_only),
            ],
        ),
        (
            LUMEN,
            vec![("a program she only applied to", resellers_only), ("no tier", gold)],
        ),
        (
            NORTHWIND,
            vec![("another program", everyone), ("another program's kind", publishers)],
        ),
    ];
    for (who, cases) in &probes {
        let browser = match *who {
            ANA => &mut ana,
            LUMEN => &mut lumen,
            _ => &mut northwind,
        };
        for (what, id) in cases {
            let reply = browser.get(&download(*id)).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{who}: {what}");
            assert_eq!(
                reply.body, missing.body,
                "{who}: {what}: as for a document that doesn't exist"
            );
        }
    }
    assert_eq!(
        l.app.count("document_downloads").await,
        0,
        "refused downloads count nothing"
    );

    for (who, id) in [
        (ANA, everyone),
        (LUMEN, everyone),
        (LUMEN, publishers),
        (NORTHWIND, resellers_only),
    ] {
        let browser = match who {
            ANA => &mut ana,
            LUMEN => &mut lumen,
            _ => &mut northwind,
        };
        let reply = browser.get(&download(id)).await;
        assert_eq!(reply.status, StatusCode::OK, "{who} gets document {id}");
        assert_eq!(reply.body.as_bytes(), file.as_slice());
        assert_eq!(l.downloads_of(id, who).await, 1, "{who}: document {id} counted once");
    }
    assert_eq!(l.app.count("document_downloads").await, 4);

    // Once Gold is Ana's tier, the Gold price list is hers.
    l.app
        .execute(&format!(
            "UPDATE program_memberships SET tier = 'gold' WHERE program_id = {} AND partner_id = (SELECT id FROM partners WHERE email = '{ANA}')",
            l.affiliates
        ))
        .await;
    assert_eq!(ana.get(&download(gold)).await.status, StatusCode::OK);
    assert_eq!(l.downloads_of(gold, ANA).await, 1);

    // Operators are not partners: the portal (its downloads too) is not theirs.
    let before = l.footprint().await;
    for email in [ADMIN, FINANCE] {
        let mut operator = l.app.logged_in(email).await;
        let reply = operator.get(&download(everyone)).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{email}");
        assert!(reply.body.contains("The partner portal is for partners"), "{email}");
    }
    // A partner may not use the staff's route, nor publish.
    let staff_route = format!("/console/programs/{}/library/{everyone}/versions/1", l.affiliates);
    assert_eq!(ana.get(&staff_route).await.status, StatusCode::FORBIDDEN);
    let reply = publish_as(&mut ana, l.affiliates, &[], Some(("deck.pdf", &file))).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    let reply = add_version_as(&mut ana, l.affiliates, everyone, "", Some(("deck.pdf", &file))).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    assert_eq!(
        ana.fetch(&format!("{}?id={}", ProgramLibrary::PATH, l.affiliates))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(l.footprint().await, before, "nothing counted or stored");
}

#[tokio::test]
async fn the_manager_publishes_finance_cannot_and_a_brand_scoped_operator_finds_nothing_outside_its_brand() {
    let mut l = Library::new().await;
    let file = pdf("roles", 1500);
    let before = l.footprint().await;

    // Finance reads the library but doesn't change it.
    let mut finance = l.app.logged_in(FINANCE).await;
    let refused = publish_as(&mut finance, l.affiliates, &[], Some(("deck.pdf", &file))).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert_eq!(l.footprint().await, before, "finance stored nothing");

    let mut manager = l.app.logged_in(MANAGER).await;
    let published = publish_as(&mut manager, l.affiliates, &[], Some(("deck.pdf", &file))).await;
    assert_sent_back(&published, l.affiliates, "the manager publishing");
    let document = l.latest_document().await;
    assert_eq!(
        l.app
            .text(&format!(
                "SELECT u.email AS v FROM documents d JOIN users u ON u.id = d.created_by WHERE d.id = {document}"
            ))
            .await,
        MANAGER
    );
    let after_publish = l.footprint().await;
    let refused = add_version_as(&mut finance, l.affiliates, document, "", Some(("deck.pdf", &file))).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let archive = finance
        .submit(
            ArchiveDocument::PATH,
            &[
                ("program_id", &l.affiliates.to_string()),
                ("document_id", &document.to_string()),
            ],
        )
        .await;
    assert_eq!(archive.status, StatusCode::FORBIDDEN, "{}", archive.body);
    assert_eq!(l.footprint().await, after_publish, "finance changed nothing");
    assert_eq!(
        l.app
            .number(&format!(
                "SELECT count(*) AS n FROM documents WHERE id = {document} AND archived_at IS NULL"
            ))
            .await,
        1
    );

    // A second brand with its own program and a document; the manager limited to Acme.
    l.app
        .execute(&format!(
            "INSERT INTO brands (name, slug) VALUES ('Zenith Forge', 'zenith');
             INSERT INTO programs (brand_id, name, slug, currency, terms)
                 SELECT id, 'Zenith Partners', 'zenith-partners', 'EUR', 'Terms.' FROM brands WHERE slug = 'zenith';
             UPDATE users SET brand_scoped = true WHERE email = '{MANAGER}';
             INSERT INTO operator_brands (user_id, brand_id)
                 SELECT u.id, b.id FROM users u, brands b WHERE u.email = '{MANAGER}' AND b.slug = 'acme';"
        ))
        .await;
    let zenith = l
        .app
        .number("SELECT id AS n FROM programs WHERE slug = 'zenith-partners'")
        .await;
    let published = publish_as(
        &mut l.admin,
        zenith,
        &[("title", "Zenith deck")],
        Some(("zenith.pdf", &file)),
    )
    .await;
    assert_sent_back(&published, zenith, "the admin publishing for Zenith");
    let zenith_document = l.latest_document().await;
    let before = l.footprint().await;

    let mut scoped = l.app.logged_in(MANAGER).await;
    let own = format!("/console/programs/{}/library/{document}/versions/1", l.affiliates);
    assert_eq!(scoped.get(&own).await.status, StatusCode::OK, "Acme's own document");
    for (what, path) in [
        (
            "Zenith's document",
            format!("/console/programs/{zenith}/library/{zenith_document}/versions/1"),
        ),
        (
            "Zenith's document under an Acme program",
            format!(
                "/console/programs/{}/library/{zenith_document}/versions/1",
                l.affiliates
            ),
        ),
        (
            "a program that doesn't exist",
            "/console/programs/999999/library/1/versions/1".to_owned(),
        ),
    ] {
        let reply = scoped.get(&path).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{what}: {}", reply.body);
        assert!(!reply.body.contains("Zenith"), "{what}");
    }
    let reply = scoped.fetch(&format!("{}?id={zenith}", ProgramLibrary::PATH)).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
    assert!(!reply.body.contains("Zenith deck"));
    let reply = publish_as(&mut scoped, zenith, &[], Some(("deck.pdf", &file))).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
    let reply = add_version_as(&mut scoped, zenith, zenith_document, "", Some(("deck.pdf", &file))).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
    let archive = scoped
        .submit(
            ArchiveDocument::PATH,
            &[
                ("program_id", &zenith.to_string()),
                ("document_id", &zenith_document.to_string()),
            ],
        )
        .await;
    assert_eq!(archive.status, StatusCode::NOT_FOUND, "{}", archive.body);
    assert_eq!(
        l.footprint().await,
        before,
        "the scoped manager changed nothing of Zenith's"
    );
}

#[tokio::test]
async fn a_visitor_is_asked_to_log_in_first() {
    let l = Library::new().await;
    let mut visitor = l.app.browser();
    // Where the login page sends the visitor back to.
    let next = |reply: &Reply| -> String {
        assert!(
            matches!(reply.status, StatusCode::SEE_OTHER | StatusCode::FOUND),
            "{}",
            reply.status
        );
        let query = reply
            .location()
            .strip_prefix("/login?")
            .unwrap_or_else(|| panic!("to the login page: {}", reply.location()));
        form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == "next")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    let reply = visitor.get("/portal/library/1/download").await;
    assert_eq!(next(&reply), "/portal/library/1/download");
    let console = format!("/console/programs/{}/library/1/versions/1", l.affiliates);
    let reply = visitor.get(&console).await;
    assert!(next(&reply).starts_with(&format!("/console/programs/{}/library", l.affiliates)));
    assert_eq!(visitor.fetch(MyLibrary::PATH).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(l.app.count("document_downloads").await, 0);
}

#[tokio::test]
async fn a_partner_searches_its_library_and_opens_a_folder() {
    let mut l = Library::new().await;
    let file = pdf("search", 1000);
    let battle = l.publish_pdf(l.affiliates, &[], &file).await;
    let prices = l
        .publish_pdf(
            l.affiliates,
            &[
                ("new_folder", "Price lists"),
                ("title", "Price list 2027"),
                ("description", "List prices for every plan."),
                ("tags", "pricing"),
            ],
            &file,
        )
        .await;
    let gold = l
        .publish_pdf(
            l.affiliates,
            &[
                ("new_folder", "Price lists"),
                ("title", "Gold discounts"),
                ("tags", "pricing"),
                ("visibility", "tiers"),
                ("audience", "Gold"),
            ],
            &file,
        )
        .await;
    let _elsewhere = l
        .publish_pdf(l.resellers, &[("title", "Reseller pricing")], &file)
        .await;
    let folder = l
        .app
        .number(&format!(
            "SELECT id AS n FROM library_folders WHERE name = 'Price lists' AND program_id = {}",
            l.affiliates
        ))
        .await;

    let mut ana = l.app.logged_in(ANA).await;
    let mut library = async |query: &str| -> MyLibraryDto {
        let reply = ana.fetch(&format!("{}{query}", MyLibrary::PATH)).await;
        assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.body);
        serde_json::from_str(&reply.body).unwrap()
    };
    let ids = |dto: &MyLibraryDto| dto.documents.iter().map(|d| d.id).collect::<Vec<_>>();
    let all = library("").await;
    assert_eq!(all.total, 2, "Ana sees neither the Gold list nor the reseller kit");
    let mut listed = ids(&all);
    listed.sort();
    assert_eq!(listed, [battle, prices]);
    assert!(!ids(&all).contains(&gold));
    let names: Vec<(&str, usize)> = all.folders.iter().map(|f| (f.name.as_str(), f.documents)).collect();
    assert_eq!(names, [("Price lists", 1), ("Sales decks", 1)]);
    let found = library("?q=prices").await;
    assert_eq!(ids(&found), [prices], "stemmed: prices finds price");
    assert_eq!(
        found.documents[0].download_path,
        format!("/portal/library/{prices}/download")
    );
    assert_eq!(found.documents[0].file, "PDF · 1 KB");
    assert_eq!(found.total, 2);
    assert_eq!(ids(&library("?q=competitive").await), [battle], "tags are searched");
    assert!(ids(&library("?q=gold").await).is_empty(), "search keeps the gates");
    assert!(ids(&library("?q=reseller").await).is_empty(), "and the programs");
    assert!(
        ids(&library("?q=%22unterminated%20%27%20%26%20%7C%20!").await).is_empty(),
        "any text is a safe search"
    );
    assert_eq!(ids(&library(&format!("?folder={folder}")).await), [prices]);
    assert!(ids(&library(&format!("?q=battle&folder={folder}")).await).is_empty());
    let long = "x".repeat(201);
    let reply = ana.fetch(&format!("{}?q={long}", MyLibrary::PATH)).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    // Searching downloads nothing.
    assert_eq!(l.app.count("document_downloads").await, 0);
    // Operators have no partner library.
    assert_eq!(l.admin.fetch(MyLibrary::PATH).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_head_request_answers_like_the_download_but_counts_nothing() {
    let mut l = Library::new().await;
    let file = pdf("head", 1200);
    let id = l
        .publish_pdf(l.affiliates, &[("title", "Checked by a link checker")], &file)
        .await;
    let mut ana = l.app.logged_in(ANA).await;
    let head = axum::http::Request::builder()
        .method("HEAD")
        .uri(format!("/portal/library/{id}/download"))
        .body(axum::body::Body::empty())
        .unwrap();
    let reply = ana.send(head).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.headers[header::CONTENT_TYPE], "application/pdf");
    assert_eq!(l.downloads_of(id, ANA).await, 0, "a HEAD request is not a download");
    let got = ana.get(&format!("/portal/library/{id}/download")).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(l.downloads_of(id, ANA).await, 1);
}
