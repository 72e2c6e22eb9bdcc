//! Creatives over HTTP: an operator uploads them (a plain multipart form), partners get them in
//! their gallery with their own tracked link built in, the images are served by their hash with
//! `ETag` and `304`, and the redirect of a creative's code records the creative. Every refused
//! upload changes nothing; every probe of a creative that isn't the caller's is a 404.

use crate::support::{Browser, Reply, TestApp};
use app::api::creatives::ArchiveCreative;
use app::backend::creatives::image::samples::{image as sample, png_claiming};
use app::domain::creatives::image_type::ImageType;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use leptos::server_fn::ServerFn;

struct Creatives {
    app: TestApp,
    program: i64,
    admin: Browser,
    csrf: String,
}

impl Creatives {
    async fn new() -> Self {
        let app = TestApp::seeded().await;
        let program = app
            .number("SELECT id AS n FROM programs WHERE slug = 'acme-affiliates'")
            .await;
        let mut admin = app.logged_in("admin@acme.test").await;
        let csrf = admin.token().await;
        Self {
            app,
            program,
            admin,
            csrf,
        }
    }

    fn page(&self) -> String {
        format!("/console/programs/{}/creatives", self.program)
    }

    /// Posts the add form with these fields over a valid banner form's, and `image`.
    async fn add(&mut self, fields: &[(&str, &str)], image: Option<(&str, &[u8])>) -> Reply {
        let mut all: Vec<(&str, &str)> = vec![
            ("csrf_token", self.csrf.as_str()),
            ("kind", "banner"),
            ("name", "Winter sale 728x90"),
            ("landing_url", "https://example.com/winter"),
            ("alt_text", "50% off all plans"),
            ("tags", "winter, leaderboard"),
            ("visibility", "all"),
        ];
        for (name, value) in fields {
            all.retain(|(n, _)| n != name);
            all.push((name, value));
        }
        let files: Vec<(&str, &str, &[u8])> = image.map(|(name, bytes)| ("image", name, bytes)).into_iter().collect();
        let path = format!("/console/programs/{}/creatives/add", self.program);
        self.admin.post_multipart(&path, &all, &files).await
    }

    async fn footprint(&self) -> Vec<i64> {
        let mut counts = Vec::new();
        for table in ["creatives", "creative_files"] {
            counts.push(self.app.count(table).await);
        }
        // Logging in is audited too; only what a creative upload would write counts here.
        counts.push(
            self.app
                .number("SELECT count(*) AS n FROM audit_events WHERE action LIKE 'creative.%'")
                .await,
        );
        counts
    }

    /// Adds a creative that must be accepted; its id.
    async fn added(&mut self, fields: &[(&str, &str)], image: Option<(&str, &[u8])>) -> i64 {
        let reply = self.add(fields, image).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER);
        self.latest_creative().await
    }

    async fn latest_creative(&self) -> i64 {
        self.app.number("SELECT max(id) AS n FROM creatives").await
    }
}

/// A bad upload: what it is, the fields it changes, its image, and what the page must say.
type Refusal<'a> = (&'a str, Vec<(&'a str, &'a str)>, Option<(&'a str, &'a [u8])>, &'a str);

async fn ana_link_code(app: &TestApp) -> String {
    app.text(
        "SELECT l.code AS v FROM links l JOIN partners p ON p.id = l.partner_id \
         WHERE p.email = 'ana@brightreviews.test' AND l.is_default",
    )
    .await
}

#[tokio::test]
async fn a_banner_reaches_the_partner_with_its_own_link_and_its_clicks_carry_the_creative() {
    let mut c = Creatives::new().await;
    let png = sample(728, 90, ImageType::Png);
    let added = c.add(&[], Some(("winter.png", &png))).await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    assert_eq!(added.location(), c.page());
    let id = c.latest_creative().await;
    assert_eq!(
        c.app
            .text(&format!(
                "SELECT concat_ws(' ', width, height, image_type) AS v FROM creatives WHERE id = {id}"
            ))
            .await,
        "728 90 image/png",
        "the size is read from the file"
    );
    assert_eq!(c.app.count("creative_files").await, 2, "the image and its thumbnail");
    assert_eq!(
        c.app
            .number(&format!(
                "SELECT count(*) AS n FROM audit_events WHERE action = 'creative.create' AND subject_id = '{id}'"
            ))
            .await,
        1
    );
    let console = c.admin.get(&c.page()).await;
    assert!(console.body.contains("Winter sale 728x90") && console.body.contains("728 × 90"));

    let code = ana_link_code(&c.app).await;
    let mut ana = c.app.logged_in("ana@brightreviews.test").await;
    let gallery = ana.get("/portal/creatives").await;
    assert_eq!(gallery.status, StatusCode::OK);
    let tracked = format!("http://127.0.0.1:3000/r/{code}?cr={id}");
    assert!(gallery.body.contains(&tracked), "the code holds Ana's own tracked link");
    assert!(gallery
        .body
        .contains("width=&quot;728&quot; height=&quot;90&quot; alt=&quot;50% off all plans&quot;"));
    let filtered = ana.get("/portal/creatives?kind=text").await;
    assert!(filtered.body.contains("Nothing matches these filters"));
    assert!(ana.get("/portal/creatives?tag=winter").await.body.contains(&tracked));

    // The image, by its hash: cacheable for good, and a known tag is a bodiless 304.
    let sha = c
        .app
        .text(&format!("SELECT image_sha256 AS v FROM creatives WHERE id = {id}"))
        .await;
    let path = format!("/creatives/files/{sha}.png");
    let mut anyone = c.app.browser();
    let image = anyone.get(&path).await;
    assert_eq!(image.status, StatusCode::OK);
    assert_eq!(image.headers[header::CONTENT_TYPE], "image/png");
    assert_eq!(image.headers[header::ETAG], format!("\"{sha}\"").as_str());
    assert!(image.headers[header::CACHE_CONTROL]
        .to_str()
        .unwrap()
        .contains("immutable"));
    assert!(
        image.set_cookie("trellis_session").is_none(),
        "no session on an embedded image"
    );
    let revalidated = anyone
        .send(
            Request::get(&path)
                .header(header::IF_NONE_MATCH, format!("\"{sha}\""))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(revalidated.status, StatusCode::NOT_MODIFIED);
    assert!(revalidated.body.is_empty());
    assert_eq!(
        anyone.get(&format!("/creatives/files/{sha}.gif")).await.status,
        StatusCode::NOT_FOUND
    );

    // The original file, for the partner who may see it.
    let download = ana.get(&format!("/portal/creatives/{id}/download")).await;
    assert_eq!(download.status, StatusCode::OK);
    assert!(download.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .contains("winter.png"));

    // Following the code: the creative's landing page, and the click counts for the creative.
    let followed = anyone.get(&format!("/r/{code}?cr={id}")).await;
    assert_eq!(followed.status, StatusCode::FOUND);
    assert!(followed.location().starts_with("https://example.com/winter?trl_click="));
    assert_eq!(
        c.app
            .number(&format!("SELECT count(*) AS n FROM clicks WHERE creative_id = {id}"))
            .await,
        1
    );
}

#[tokio::test]
async fn a_refused_upload_names_its_fault_and_changes_nothing() {
    let mut c = Creatives::new().await;
    let png = sample(300, 250, ImageType::Png);
    let truncated = png[..png.len() / 2].to_vec();
    let bomb = png_claiming(20_000, 20_000);
    let too_large = {
        let mut bytes = png.clone();
        bytes.resize(5 * 1024 * 1024 + 1, 0);
        bytes
    };
    let before = c.footprint().await;
    let cases: Vec<Refusal> = vec![
        (
            "an SVG",
            vec![],
            Some((
                "banner.svg",
                b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>",
            )),
            "SVG and HTML files are not accepted",
        ),
        (
            "HTML named .png",
            vec![],
            Some(("banner.png", b"<!doctype html><script>alert(1)</script>")),
            "SVG and HTML files are not accepted",
        ),
        (
            "a renamed executable",
            vec![],
            Some(("banner.png", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00")),
            "not an image we accept",
        ),
        ("a truncated PNG", vec![], Some(("banner.png", &truncated)), "damaged"),
        (
            "a decompression bomb",
            vec![],
            Some(("bomb.png", &bomb)),
            "20000 × 20000 pixels",
        ),
        ("a file over 5 MB", vec![], Some(("big.png", &too_large)), "too large"),
        (
            "a banner without its image",
            vec![],
            None,
            "Choose the banner's image file",
        ),
        (
            "a landing page off the program's domains",
            vec![("landing_url", "https://evil.test/")],
            Some(("ok.png", &png)),
            "evil.test is not an allowed landing domain",
        ),
        (
            "an unknown partner kind",
            vec![("visibility", "kinds"), ("audience", "wizard")],
            Some(("ok.png", &png)),
            "is not a partner kind",
        ),
        (
            "a partner outside the program",
            vec![("visibility", "partners"), ("audience", "ops@northwind.test")],
            Some(("ok.png", &png)),
            "ops@northwind.test is not a partner in this program",
        ),
    ];
    for (what, fields, image, message) in cases {
        let reply = c.add(&fields, image).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{what}");
        let page = c.admin.get(&c.page()).await;
        assert!(page.body.contains(message), "{what}: the page says {message:?}");
        assert_eq!(c.footprint().await, before, "{what} changed nothing");
    }
    // The refusal is shown once, with what was typed kept.
    let reply = c
        .add(
            &[("name", "Kept name"), ("landing_url", "https://evil.test/")],
            Some(("ok.png", &png)),
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert!(c.admin.get(&c.page()).await.body.contains("value=\"Kept name\""));
    assert!(!c.admin.get(&c.page()).await.body.contains("evil.test is not"));

    // Without the CSRF token first, nothing is read.
    let mut bare = c.app.logged_in("admin@acme.test").await;
    let path = format!("/console/programs/{}/creatives/add", c.program);
    let forged = bare
        .post_multipart(&path, &[("kind", "text"), ("name", "x")], &[])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(c.footprint().await, before);
}

#[tokio::test]
async fn creatives_are_shown_only_to_the_partners_they_are_for() {
    let mut c = Creatives::new().await;
    let png = sample(300, 250, ImageType::Png);
    let everyone = c.added(&[("name", "For everyone")], Some(("all.png", &png))).await;
    let gold = c
        .added(
            &[("name", "Gold only"), ("visibility", "tiers"), ("audience", "Gold")],
            Some(("gold.png", &png)),
        )
        .await;
    let publishers = c
        .added(
            &[
                ("name", "Publishers only"),
                ("visibility", "kinds"),
                ("audience", "publisher"),
            ],
            Some(("pub.png", &png)),
        )
        .await;
    let lumen_only = c
        .added(
            &[
                ("name", "Lumen by name"),
                ("visibility", "partners"),
                ("audience", "hello@lumenmedia.test"),
            ],
            Some(("lumen.png", &png)),
        )
        .await;
    let scheduled = c
        .added(
            &[("name", "Next year"), ("active_from", "2099-01-01")],
            Some(("later.png", &png)),
        )
        .await;
    assert_eq!(c.app.count("creatives").await, 5);

    // Ana is a creator with no tier: she sees only the one for everyone.
    let mut ana = c.app.logged_in("ana@brightreviews.test").await;
    let gallery = ana.get("/portal/creatives").await.body;
    assert!(gallery.contains("For everyone"));
    for hidden in ["Gold only", "Publishers only", "Lumen by name", "Next year"] {
        assert!(!gallery.contains(hidden), "Ana must not see {hidden}");
    }
    for id in [gold, publishers, lumen_only, scheduled, 999_999] {
        assert_eq!(
            ana.get(&format!("/portal/creatives/{id}/download")).await.status,
            StatusCode::NOT_FOUND,
            "creative {id} is not found for Ana"
        );
    }
    // Lumen is a publisher named on one: it sees three.
    let mut lumen = c.app.logged_in("hello@lumenmedia.test").await;
    let gallery = lumen.get("/portal/creatives").await.body;
    for shown in ["For everyone", "Publishers only", "Lumen by name"] {
        assert!(gallery.contains(shown), "Lumen sees {shown}");
    }
    // Northwind is in another program: the affiliate program's creatives don't exist for it.
    let mut northwind = c.app.logged_in("ops@northwind.test").await;
    assert!(!northwind.get("/portal/creatives").await.body.contains("For everyone"));
    assert_eq!(
        northwind
            .get(&format!("/portal/creatives/{everyone}/download"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Naming a creative she may not see in her own link's `cr` gets her nothing from it: the
    // link's own page, and the click counts for no creative.
    let code = ana_link_code(&c.app).await;
    let mut visitor = c.app.browser();
    for id in [gold, publishers, lumen_only, scheduled] {
        let followed = visitor.get(&format!("/r/{code}?cr={id}")).await;
        assert_eq!(followed.status, StatusCode::FOUND);
        assert!(
            followed.location().starts_with("https://example.com/acme-cloud?"),
            "{id}: {}",
            followed.location()
        );
    }
    assert_eq!(
        c.app
            .number("SELECT count(*) AS n FROM clicks WHERE creative_id IS NOT NULL")
            .await,
        0
    );
    // Once the Gold tier is Ana's, she sees its creative.
    c.app
        .execute("UPDATE program_memberships SET tier = 'gold' WHERE partner_id = (SELECT id FROM partners WHERE email = 'ana@brightreviews.test')")
        .await;
    assert!(ana.get("/portal/creatives").await.body.contains("Gold only"));
}

#[tokio::test]
async fn archiving_hides_a_creative_and_its_code_falls_back_to_the_link() {
    let mut c = Creatives::new().await;
    let png = sample(300, 250, ImageType::Png);
    let id = c.added(&[], Some(("a.png", &png))).await;
    let code = ana_link_code(&c.app).await;
    let mut visitor = c.app.browser();
    assert!(visitor
        .get(&format!("/r/{code}?cr={id}"))
        .await
        .location()
        .starts_with("https://example.com/winter?"));

    let archived = c
        .admin
        .submit(
            ArchiveCreative::PATH,
            &[("program_id", &c.program.to_string()), ("creative_id", &id.to_string())],
        )
        .await;
    assert_eq!(archived.status, StatusCode::OK, "{}", archived.body);
    assert_eq!(
        c.app
            .number("SELECT count(*) AS n FROM audit_events WHERE action = 'creative.archive'")
            .await,
        1
    );
    let mut ana = c.app.logged_in("ana@brightreviews.test").await;
    assert!(!ana.get("/portal/creatives").await.body.contains("Winter sale 728x90"));
    assert_eq!(
        ana.get(&format!("/portal/creatives/{id}/download")).await.status,
        StatusCode::NOT_FOUND
    );
    // Both instances forgot it: the code now leads to the link's own page, counted for no creative.
    for _ in 0..2 {
        let followed = visitor.get(&format!("/r/{code}?cr={id}")).await;
        assert_eq!(followed.status, StatusCode::FOUND);
        assert!(
            !followed.location().starts_with("https://example.com/winter"),
            "{}",
            followed.location()
        );
    }
    // A made-up or foreign creative id is ignored the same way.
    let other = visitor.get(&format!("/r/{code}?cr=424242")).await;
    assert_eq!(other.status, StatusCode::FOUND);
    assert_eq!(
        c.app
            .number("SELECT count(*) AS n FROM clicks WHERE creative_id IS NOT NULL")
            .await,
        1
    );
    // Archiving twice is refused and records nothing more.
    let again = c
        .admin
        .submit(
            ArchiveCreative::PATH,
            &[("program_id", &c.program.to_string()), ("creative_id", &id.to_string())],
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert_eq!(
        c.app
            .number("SELECT count(*) AS n FROM audit_events WHERE action = 'creative.archive'")
            .await,
        1
    );
}

#[tokio::test]
async fn only_the_programs_managers_add_creatives() {
    let c = Creatives::new().await;
    let png = sample(300, 250, ImageType::Png);
    let path = format!("/console/programs/{}/creatives/add", c.program);
    let before = c.footprint().await;
    let mut finance = c.app.logged_in("finance@acme.test").await;
    let token = finance.token().await;
    let fields = [
        ("csrf_token", token.as_str()),
        ("kind", "banner"),
        ("name", "x"),
        ("landing_url", "https://example.com/"),
    ];
    let refused = finance
        .post_multipart(&path, &fields, &[("image", "a.png", &png)])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let mut ana = c.app.logged_in("ana@brightreviews.test").await;
    let token = ana.token().await;
    let fields = [
        ("csrf_token", token.as_str()),
        ("kind", "banner"),
        ("name", "x"),
        ("landing_url", "https://example.com/"),
    ];
    assert_eq!(
        ana.post_multipart(&path, &fields, &[("image", "a.png", &png)])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let mut admin = c.app.logged_in("admin@acme.test").await;
    let token = admin.token().await;
    let fields = [
        ("csrf_token", token.as_str()),
        ("kind", "banner"),
        ("name", "x"),
        ("landing_url", "https://example.com/"),
    ];
    let missing = admin
        .post_multipart(
            "/console/programs/999999/creatives/add",
            &fields,
            &[("image", "a.png", &png)],
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(c.footprint().await, before);
}

#[tokio::test]
async fn sales_through_a_creative_are_reported_for_it_and_a_rebuild_agrees() {
    let mut c = Creatives::new().await;
    let png = sample(728, 90, ImageType::Png);
    let banner = c.added(&[("name", "Leaderboard A")], Some(("a.png", &png))).await;
    let text = c
        .added(
            &[
                ("kind", "text"),
                ("name", "Text link B"),
                ("body", "Try Acme Cloud free"),
            ],
            None,
        )
        .await;
    let key = trellis::commands::api_key::create(c.app.db.url(), "acme-affiliates", "tests")
        .await
        .unwrap();
    let code = ana_link_code(&c.app).await;
    let mut visitor = c.app.browser();
    let mut click_ids = Vec::new();
    for creative in [Some(banner), Some(banner), Some(text), None] {
        let query = creative.map(|id| format!("?cr={id}")).unwrap_or_default();
        let reply = visitor.get(&format!("/r/{code}{query}")).await;
        assert_eq!(reply.status, StatusCode::FOUND);
        click_ids.push(reply.location().rsplit_once("trl_click=").unwrap().1.to_owned());
    }
    for (order, click_id) in [("A-1", &click_ids[0]), ("B-1", &click_ids[2]), ("N-1", &click_ids[3])] {
        let body = serde_json::json!({"order_id": order, "amount": "100.00", "currency": "EUR", "click_id": click_id});
        let reply = visitor
            .send(
                Request::post("/api/v1/conversions")
                    .header(header::AUTHORIZATION, format!("Bearer {key}"))
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(body.to_string()))
                    .unwrap(),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    }
    let refund = visitor
        .send(
            Request::post("/api/v1/conversions/A-1/refunds")
                .header(header::AUTHORIZATION, format!("Bearer {key}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(r#"{"refund_id": "r-1", "amount": "40.00"}"#))
                .unwrap(),
        )
        .await;
    assert_eq!(refund.status, StatusCode::CREATED, "{}", refund.body);
    assert_eq!(
        c.app
            .text("SELECT creative_id::text AS v FROM conversions WHERE order_id = 'A-1'")
            .await,
        banner.to_string(),
        "the sale keeps its click's creative"
    );
    let per_creative = |id: i64| {
        format!(
            "SELECT concat_ws(' ', sum(clicks), sum(conversions), sum(revenue)::numeric(12, 2)) AS v FROM daily_stats WHERE creative_id = {id}"
        )
    };
    assert_eq!(c.app.text(&per_creative(banner)).await, "2 1 60.00");
    assert_eq!(c.app.text(&per_creative(text)).await, "1 1 100.00");
    assert_eq!(c.app.text(&per_creative(0)).await, "1 1 100.00");

    let mut conn = c.app.db.conn().await;
    let incremental = app::backend::repos::stats::snapshot(&mut conn).await.unwrap();
    assert_eq!(app::backend::repos::stats::weeks_drift(&mut conn).await.unwrap(), 0);
    app::backend::repos::stats::rebuild(&mut conn).await.unwrap();
    assert_eq!(app::backend::repos::stats::weeks_drift(&mut conn).await.unwrap(), 0);
    assert_eq!(
        app::backend::repos::stats::snapshot(&mut conn).await.unwrap(),
        incremental
    );

    // The partner's dashboard and the program's overview list both creatives.
    let mut ana = c.app.logged_in("ana@brightreviews.test").await;
    let dashboard = ana.get("/portal").await.body;
    assert!(dashboard.contains("Your numbers by creative"));
    assert!(dashboard.contains("Leaderboard A") && dashboard.contains("Text link B"));
    let overview = c.admin.get(&format!("/console/programs/{}", c.program)).await.body;
    assert!(overview.contains("Numbers by creative"));
    assert!(overview.contains("Leaderboard A") && overview.contains("Text link B"));
}

#[tokio::test]
async fn the_gallery_pages_and_keeps_its_filters() {
    let mut c = Creatives::new().await;
    c.added(
        &[
            ("kind", "text"),
            ("name", "Text 0"),
            ("body", "Try it"),
            ("tags", "spring"),
        ],
        None,
    )
    .await;
    c.app
        .execute(
            "INSERT INTO creatives (program_id, kind, name, landing_url, body, tags, created_by)
             SELECT program_id, kind, 'Text ' || g, landing_url, body, tags, created_by
             FROM creatives, generate_series(1, 29) AS g",
        )
        .await;
    let mut ana = c.app.logged_in("ana@brightreviews.test").await;
    let first = ana.get("/portal/creatives?tag=spring").await.body;
    assert!(first.contains("30 of 30 creatives match") && first.contains("Page 1 of 2"));
    assert_eq!(first.matches("class=\"gallery-card\"").count(), 24);
    let second = ana.get("/portal/creatives?tag=spring&page=2").await.body;
    assert_eq!(second.matches("class=\"gallery-card\"").count(), 6);
    assert!(
        second.contains("Page 2 of 2") && second.contains("Text 0"),
        "oldest last"
    );
    let beyond = ana.get("/portal/creatives?tag=spring&page=99").await.body;
    assert!(beyond.contains("Page 2 of 2"), "a page past the end shows the last one");
}

#[tokio::test]
async fn a_creative_whose_landing_domain_is_no_longer_allowed_is_not_followed() {
    let mut c = Creatives::new().await;
    let png = sample(300, 250, ImageType::Png);
    let id = c.added(&[], Some(("a.png", &png))).await;
    let code = ana_link_code(&c.app).await;
    let mut visitor = c.app.browser();
    assert!(visitor
        .get(&format!("/r/{code}?cr={id}"))
        .await
        .location()
        .starts_with("https://example.com/winter?"));
    c.app
        .execute(&format!(
            "UPDATE programs SET allowed_domains = '{{shop.test}}' WHERE id = {}",
            c.program
        ))
        .await;
    // What saving the settings announces to every instance.
    for state in [&c.app.state, &c.app.other.state] {
        app::backend::tracking::cache_events::Stale::Programs.apply(&state.tracking);
    }
    for _ in 0..2 {
        let followed = visitor.get(&format!("/r/{code}?cr={id}")).await;
        assert_eq!(followed.status, StatusCode::FOUND);
        assert!(
            !followed.location().starts_with("https://example.com/winter"),
            "{}",
            followed.location()
        );
    }
    assert_eq!(
        c.app
            .number(&format!("SELECT count(*) AS n FROM clicks WHERE creative_id = {id}"))
            .await,
        1
    );
}
