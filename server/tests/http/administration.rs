//! Running an installation from the browser: the one-time setup link, brands, programs
//! (slug rules, archiving and the "program ended" page) and operators (invitations, roles, the
//! last admin). Every refusal leaves the database as it was.

use crate::support::{TestApp, DEMO_PASSWORD};
use app::api::auth::SetPassword;
use app::api::brands::CreateBrand;
use app::api::operators::{ChangeOperator, InviteOperator};
use app::api::program_create::{ArchiveProgram, CreateProgram};
use axum::http::StatusCode;
use leptos::server_fn::ServerFn;
use time::OffsetDateTime;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

/// The rows an administrative refusal must leave as they were.
async fn footprint(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in [
        "users",
        "brands",
        "programs",
        "commission_plans",
        "operator_brands",
        "email_outbox",
        "audit_events",
    ] {
        counts.push(app.count(table).await);
    }
    counts.push(
        app.number("SELECT count(*) AS n FROM setup_tokens WHERE used_at IS NOT NULL")
            .await,
    );
    counts.push(
        app.number("SELECT count(*) AS n FROM brands WHERE logo IS NOT NULL")
            .await,
    );
    counts
}

async fn setup_link(app: &TestApp, now: OffsetDateTime) -> String {
    let mut conn = app.db.conn().await;
    app::backend::admin::setup::issue_link(&mut conn, now)
        .await
        .unwrap()
        .expect("no operator yet, so a link")
}

fn setup_fields<'a>(token: &'a str, csrf: &'a str, brand: &'a str, slug: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf_token", csrf),
        ("token", token),
        ("admin_name", "Ada Admin"),
        ("admin_email", "ada@globex.test"),
        ("password", "a long enough password"),
        ("password_confirm", "a long enough password"),
        ("name", brand),
        ("legal_name", "Globex Corporation Ltd"),
        ("country", "GB"),
        ("default_currency", "GBP"),
        ("primary_color", "#7a3db8"),
        ("program_name", "Globex Creators"),
        ("program_slug", slug),
        ("program_kind", "affiliate"),
        ("program_access", "public"),
    ]
}

#[tokio::test]
async fn the_setup_link_works_once_and_then_the_page_is_gone() {
    let app = TestApp::empty().await;
    let mut browser = app.browser();
    let missing = browser.get("/setup").await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    assert!(missing.body.contains("Restart `trellis serve`"), "{}", missing.body);

    // An expired link, and a link replaced by a newer one, don't work either.
    let expired = setup_link(&app, OffsetDateTime::now_utc() - time::Duration::hours(2)).await;
    assert_eq!(
        browser.get(&format!("/setup?token={expired}")).await.status,
        StatusCode::FORBIDDEN
    );
    let token = setup_link(&app, OffsetDateTime::now_utc()).await;
    let page = browser.get(&format!("/setup?token={token}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Set up Trellis") && page.body.contains("Legal entity name"));
    let csrf = page.csrf_token();

    // Bad input: a reserved slug, an unknown currency and a file that isn't an image.
    let before = footprint(&app).await;
    let mut bad = setup_fields(&token, &csrf, "Globex", "console");
    bad.retain(|(k, _)| *k != "default_currency");
    bad.push(("default_currency", "XYZ"));
    let refused = browser
        .post_multipart("/setup", &bad, &[("logo", "logo.svg", b"<svg onload=alert(1)>")])
        .await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER, "{}", refused.body);
    assert!(refused.location().starts_with("/setup?token="));
    assert_eq!(footprint(&app).await, before, "a refused setup writes nothing");
    let again = browser.get(refused.location()).await;
    for message in ["reserved", "XYZ", "isn't an image"] {
        assert!(again.body.contains(message), "{message}");
    }
    assert!(again.body.contains("value=\"Globex\""), "what was typed comes back");
    // The refusal started a session (it carries the errors back), so the form's token is new.
    let csrf = again.csrf_token();
    // The setup form checks its token itself, before reading the rest.
    let forged = browser
        .post_multipart(
            "/setup",
            &setup_fields(&token, "forged", "Globex", "globex-creators"),
            &[],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(footprint(&app).await, before);

    let done = browser
        .post_multipart(
            "/setup",
            &setup_fields(&token, &csrf, "Globex", "globex-creators"),
            &[("logo", "logo.png", PNG)],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert!(done.location().ends_with("/settings?wizard=1"), "{}", done.location());
    assert_eq!(
        app.number("SELECT count(*) AS n FROM users WHERE operator_role = 'admin'")
            .await,
        1
    );
    assert_eq!(app.text("SELECT logo_type AS v FROM brands").await, "image/png");
    assert_eq!(
        app.number("SELECT count(*) AS n FROM programs p JOIN commission_plans c ON c.id = p.default_plan_id WHERE p.slug = 'globex-creators'").await,
        1,
        "the new program pays from day one"
    );
    // The new admin is signed in and lands in the wizard.
    let wizard = browser.get(done.location()).await;
    assert_eq!(wizard.status, StatusCode::OK);
    assert!(wizard.body.contains("Step 1 of 4"), "{}", wizard.body);
    assert_eq!(browser.get("/join/globex-creators").await.status, StatusCode::OK);

    // Gone for good: the used link, a new link and no link all answer 404, and change nothing.
    let after = footprint(&app).await;
    let mut stranger = app.browser();
    for path in [format!("/setup?token={token}"), "/setup".to_owned()] {
        assert_eq!(stranger.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    let csrf = stranger.token().await;
    let replay = stranger
        .post_multipart("/setup", &setup_fields(&token, &csrf, "Evil", "evil"), &[])
        .await;
    assert_eq!(replay.status, StatusCode::NOT_FOUND);
    assert!(
        app::backend::admin::setup::issue_link(&mut *app.db.conn().await, OffsetDateTime::now_utc())
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(footprint(&app).await, after);
}

#[tokio::test]
async fn programs_need_a_free_safe_slug_and_a_known_currency() {
    let app = TestApp::seeded().await;
    let mut admin = app.logged_in("admin@acme.test").await;
    let brand = app
        .number("SELECT id AS n FROM brands WHERE slug = 'acme'")
        .await
        .to_string();
    let mut manager = app.logged_in("manager@acme.test").await;
    let before = footprint(&app).await;
    for (slug, currency, message) in [
        ("acme-affiliates", "EUR", "Another program already uses this address"),
        ("portal", "EUR", "reserved"),
        ("Acme Partners", "EUR", "lowercase"),
        ("acme-new", "XYZ", "not a currency code"),
    ] {
        let reply = admin
            .submit(
                CreateProgram::PATH,
                &[
                    ("brand_id", &brand),
                    ("name", "New"),
                    ("slug", slug),
                    ("kind", "affiliate"),
                    ("currency", currency),
                    ("access", "public"),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{slug}: {}", reply.body);
        assert!(reply.body.contains(message), "{slug}: {}", reply.body);
    }
    // A manager runs partners, not the company's programs.
    let reply = manager
        .submit(
            CreateProgram::PATH,
            &[
                ("brand_id", &brand),
                ("name", "New"),
                ("slug", "acme-new"),
                ("kind", "affiliate"),
                ("currency", "EUR"),
                ("access", "public"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(footprint(&app).await, before);

    let made = admin
        .submit(
            CreateProgram::PATH,
            &[
                ("brand_id", &brand),
                ("name", "Acme Referrals"),
                ("slug", "acme-referrals"),
                ("kind", "referral"),
                ("currency", "usd"),
                ("access", "invite"),
                ("partner_kinds[]", "referral"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    assert_eq!(
        app.text("SELECT currency || ' ' || is_open::text AS v FROM programs WHERE slug = 'acme-referrals'")
            .await,
        "USD false"
    );
    // Invite-only: the join page needs the invitation code.
    let mut visitor = app.browser();
    assert_eq!(visitor.get("/join/acme-referrals").await.status, StatusCode::NOT_FOUND);
    let code = app
        .text("SELECT invite_code AS v FROM programs WHERE slug = 'acme-referrals'")
        .await;
    let invited = visitor.get(&format!("/join/acme-referrals?code={code}")).await;
    assert_eq!(invited.status, StatusCode::OK);
    assert!(invited.body.contains("Acme Cloud"), "the join page shows the brand");
    assert!(
        app.number("SELECT count(*) AS n FROM audit_events WHERE action = 'program.create'")
            .await
            == 1
    );

    // A brand needs its legal name; a manager can't make one.
    let before = footprint(&app).await;
    let no_legal = admin
        .submit(
            CreateBrand::PATH,
            &[
                ("name", "Initech"),
                ("legal_name", ""),
                ("country", "US"),
                ("default_currency", "USD"),
            ],
        )
        .await;
    assert_eq!(no_legal.status, StatusCode::BAD_REQUEST);
    let by_manager = manager
        .submit(
            CreateBrand::PATH,
            &[
                ("name", "Initech"),
                ("legal_name", "Initech LLC"),
                ("country", "US"),
                ("default_currency", "USD"),
            ],
        )
        .await;
    assert_eq!(by_manager.status, StatusCode::FORBIDDEN);
    assert_eq!(footprint(&app).await, before);
}

#[tokio::test]
async fn a_brand_logo_must_be_an_image() {
    let app = TestApp::seeded().await;
    let mut admin = app.logged_in("admin@acme.test").await;
    let brand = app.number("SELECT id AS n FROM brands WHERE slug = 'acme'").await;
    let path = format!("/console/brands/{brand}/logo");
    let csrf = admin.token().await;
    let before = footprint(&app).await;
    for (name, bytes) in [
        ("logo.pdf", b"%PDF-1.7".as_slice()),
        ("logo.html", b"<html>".as_slice()),
    ] {
        let reply = admin
            .post_multipart(&path, &[("csrf_token", &csrf)], &[("logo", name, bytes)])
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{name}");
        let page = admin.get(&format!("/console/brands/{brand}")).await;
        assert!(page.body.contains("isn't an image Trellis accepts"), "{name}");
    }
    assert_eq!(footprint(&app).await, before);
    let saved = admin
        .post_multipart(&path, &[("csrf_token", &csrf)], &[("logo", "logo.png", PNG)])
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let logo = app.browser().get(&format!("/brands/{brand}/logo?v=1")).await;
    assert_eq!(logo.status, StatusCode::OK);
    assert_eq!(logo.headers["content-type"], "image/png");
    assert_eq!(logo.headers["x-content-type-options"], "nosniff");
    assert!(
        app.number("SELECT count(*) AS n FROM audit_events WHERE action = 'brand.logo'")
            .await
            == 1
    );
}

#[tokio::test]
async fn archived_programs_stop_taking_applications_and_their_links_end() {
    let app = TestApp::seeded().await;
    let mut admin = app.logged_in("admin@acme.test").await;
    let program = app
        .number("SELECT id AS n FROM programs WHERE slug = 'acme-affiliates'")
        .await
        .to_string();
    app.execute("UPDATE programs SET allowed_domains = '{shop.example}' WHERE slug = 'acme-affiliates';
        INSERT INTO links (program_id, partner_id, code, destination, created_at)
        SELECT p.id, m.partner_id, 'ENDTEST01', 'https://shop.example/', now() FROM programs p
        JOIN program_memberships m ON m.program_id = p.id AND m.status = 'active' WHERE p.slug = 'acme-affiliates' LIMIT 1")
        .await;
    let before = footprint(&app).await;
    let past = admin
        .submit(ArchiveProgram::PATH, &[("id", &program), ("links_end", "2020-01-01")])
        .await;
    assert_eq!(past.status, StatusCode::BAD_REQUEST);
    assert_eq!(footprint(&app).await, before);

    let today = OffsetDateTime::now_utc().date().to_string();
    let archived = admin
        .submit(ArchiveProgram::PATH, &[("id", &program), ("links_end", &today)])
        .await;
    assert_eq!(archived.status, StatusCode::OK, "{}", archived.body);
    let twice = admin
        .submit(ArchiveProgram::PATH, &[("id", &program), ("links_end", &today)])
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    // From the start of today the link says the program ended, without recording a click.
    let clicks = app.count("clicks").await;
    let ended = app.browser().get("/r/ENDTEST01").await;
    assert_eq!(ended.status, StatusCode::GONE);
    assert!(ended.body.contains("This program has ended"));
    assert_eq!(app.count("clicks").await, clicks);
    assert_eq!(
        app.browser().get("/join/acme-affiliates").await.status,
        StatusCode::NOT_FOUND
    );
    // Nothing was deleted.
    assert_eq!(
        app.number("SELECT count(*) AS n FROM links WHERE code = 'ENDTEST01'")
            .await,
        1
    );
}

#[tokio::test]
async fn operators_are_invited_and_the_last_admin_stays() {
    let app = TestApp::seeded().await;
    let mut admin = app.logged_in("admin@acme.test").await;
    let mut manager = app.logged_in("manager@acme.test").await;
    let before = footprint(&app).await;
    for (email, message) in [
        ("manager@acme.test", "already an operator"),
        ("ana@brightreviews.test", "belongs to a partner"),
        ("not an email", "email"),
    ] {
        let reply = admin
            .submit(
                InviteOperator::PATH,
                &[
                    ("name", "X"),
                    ("email", email),
                    ("role", "viewer"),
                    ("all_brands", "yes"),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{email}");
        assert!(reply.body.contains(message), "{email}: {}", reply.body);
    }
    let admin_id = app
        .number("SELECT id AS n FROM users WHERE email = 'admin@acme.test'")
        .await
        .to_string();
    for (what, role) in [("role", "manager"), ("deactivate", "")] {
        let reply = admin
            .submit(
                ChangeOperator::PATH,
                &[("id", &admin_id), ("what", what), ("role", role)],
            )
            .await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{what}");
        assert!(reply.body.contains("last active admin"));
    }
    let reply = manager
        .submit(
            InviteOperator::PATH,
            &[
                ("name", "V"),
                ("email", "vera@acme.test"),
                ("role", "admin"),
                ("all_brands", "yes"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "a manager can't invite");
    assert_eq!(footprint(&app).await, before);

    let invited = admin
        .submit(
            InviteOperator::PATH,
            &[
                ("name", "Vera"),
                ("email", "vera@acme.test"),
                ("role", "viewer"),
                ("all_brands", "yes"),
            ],
        )
        .await;
    assert_eq!(invited.status, StatusCode::OK, "{}", invited.body);
    let mail = app
        .text("SELECT body_text AS v FROM email_outbox WHERE to_address = 'vera@acme.test'")
        .await;
    let link = mail
        .split_whitespace()
        .find(|w| w.contains("/set-password?token="))
        .unwrap();
    let token = link.split("token=").nth(1).unwrap();
    // The invited person chooses a password and signs in with the role given.
    let mut vera = app.browser();
    let set = vera
        .submit(
            SetPassword::PATH,
            &[
                ("token", token),
                ("password", DEMO_PASSWORD),
                ("password_confirm", DEMO_PASSWORD),
            ],
        )
        .await;
    assert!(set.status.is_success() || set.status.is_redirection(), "{}", set.body);
    let mut vera = app.logged_in("vera@acme.test").await;
    assert_eq!(vera.get("/console").await.status, StatusCode::OK);

    // Deactivated: her session ends at once; reactivated, she can sign in again.
    let vera_id = app
        .number("SELECT id AS n FROM users WHERE email = 'vera@acme.test'")
        .await
        .to_string();
    let off = admin
        .submit(ChangeOperator::PATH, &[("id", &vera_id), ("what", "deactivate")])
        .await;
    assert_eq!(off.status, StatusCode::OK);
    assert_eq!(vera.get("/console").await.status, StatusCode::SEE_OTHER);
    let on = admin
        .submit(ChangeOperator::PATH, &[("id", &vera_id), ("what", "reactivate")])
        .await;
    assert_eq!(on.status, StatusCode::OK);
    assert_eq!(
        app.logged_in("vera@acme.test").await.get("/console").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_partner_whose_programs_share_a_brand_sees_its_logo_and_colour() {
    let app = TestApp::seeded().await;
    app.execute("UPDATE brands SET primary_color = '#ffee00', logo = '\\x89504e47'::bytea, logo_type = 'image/png', logo_version = 3 WHERE slug = 'acme'")
        .await;
    let brand = app.number("SELECT id AS n FROM brands WHERE slug = 'acme'").await;
    let mut partner = app.logged_in("ops@northwind.test").await;
    let portal = partner.get("/portal").await;
    assert_eq!(portal.status, StatusCode::OK);
    assert!(
        portal.body.contains(&format!("src=\"/brands/{brand}/logo?v=3\"")),
        "the header logo"
    );
    assert!(portal.body.contains("alt=\"Acme Cloud\""), "named for screen readers");
    assert!(portal.body.contains("href=\"/theme/ffee00.css\""), "the brand's accent");
    assert!(!portal.body.contains("style=\""), "no inline style: the CSP forbids it");

    // A too-light colour is darkened until white button text reads; the answer is cacheable
    // for good and carries no cookie.
    let theme = app.browser().get("/theme/ffee00.css").await;
    assert_eq!(theme.status, StatusCode::OK);
    assert_eq!(theme.headers["content-type"], "text/css; charset=utf-8");
    assert!(theme.headers["cache-control"].to_str().unwrap().contains("immutable"));
    assert!(theme.headers.get("set-cookie").is_none());
    assert!(theme.body.starts_with(":root { --brand: #"), "{}", theme.body);
    assert!(!theme.body.contains("#ffee00"), "{}", theme.body);
    for bad in [
        "/theme/fff.css",
        "/theme/ffee00",
        "/theme/zzzzzz.css",
        "/theme/ffee00;x.css",
    ] {
        assert_eq!(app.browser().get(bad).await.status, StatusCode::NOT_FOUND, "{bad}");
    }

    // Programs of two brands: the portal is Trellis's own again.
    app.execute(
        "INSERT INTO brands (name, slug) VALUES ('Zenith Forge', 'zenith');
         INSERT INTO programs (brand_id, name, slug, currency, terms)
             SELECT id, 'Zenith Partners', 'zenith-partners', 'EUR', 'Terms.' FROM brands WHERE slug = 'zenith';
         INSERT INTO program_memberships (partner_id, program_id, status, promotion_plan, terms_accepted_at)
             SELECT p.id, g.id, 'applied', 'more', now() FROM partners p, programs g
             WHERE p.email = 'ops@northwind.test' AND g.slug = 'zenith-partners'",
    )
    .await;
    let mixed = partner.get("/portal").await;
    assert_eq!(mixed.status, StatusCode::OK);
    assert!(
        !mixed.body.contains("partner-brand"),
        "two brands: no single brand header"
    );
    assert!(!mixed.body.contains("/theme/"), "and Trellis's own colours");
}
