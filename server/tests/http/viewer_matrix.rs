//! The viewer matrix: an operator with the viewer role reads everything and changes nothing.
//! For every mutating server function and every plain POST handler, a viewer with a valid
//! session and CSRF token, posting plausible arguments, gets 403, and every table (sessions and
//! rate limits aside) holds exactly the rows it held before. The server functions come from
//! leptos' registry and the plain routes from the router's source, so a new mutating one fails
//! this test until it has a row here (or a reason in the lists of those left out).

use crate::support::{multipart, Browser, TestApp};
use app::api::agreements::{AcceptAgreement, PublishAgreement};
use app::api::announcements::{MarkAnnouncementsRead, PostAnnouncement};
use app::api::application_questions::{MoveQuestion, RemoveQuestion, SaveQuestion};
use app::api::approval_settings::{SaveAdjustmentReview, SaveApprovalSettings};
use app::api::approvals::{ApproveSelected, DecideCommission};
use app::api::auth::{ChangePassword, RequestPasswordReset, SetPassword};
use app::api::brands::{CreateBrand, SaveBrand};
use app::api::creatives::ArchiveCreative;
use app::api::deal_reports::SaveStageProbabilities;
use app::api::deals::console::{CorrectDeal, DecideDeal, DecideExtension};
use app::api::deals::portal::{MoveDeal, RegisterDeal, RequestExtension};
use app::api::deals::program::{AddProduct, ArchiveProduct, ImportCustomers, SaveDealRules};
use app::api::documents_console::{AddRequirement, DecideDocument, RetireRequirement};
use app::api::flash::TakeFlash;
use app::api::join::SubmitApplication;
use app::api::library::ArchiveDocument;
use app::api::links::CreateLink;
use app::api::mdf::{SubmitMdfRequest, TakeClaimRefusal};
use app::api::mdf_console::DecideMdf;
use app::api::mdf_funds::{AllocateMdf, CreateMdfFund, SetPartnerTier};
use app::api::my_terms::CreateInviteLink;
use app::api::off_domain_links::SwitchOffLinks;
use app::api::onboarding::SaveProfile;
use app::api::operators::{ChangeOperator, InviteOperator};
use app::api::payout_details::{SavePayoutMethod, SaveTaxDetails};
use app::api::payout_runs::{
    ApprovePayoutRun, CreatePayoutRun, DiscardPayoutRun, SaveBrandPayoutSettings, SaveProgramPayoutSettings,
    SettlePayoutItem,
};
use app::api::plans::{CreatePlan, MakeDefaultPlan};
use app::api::program_admin::{
    AssignCoupon, CreateApiKey, RevokeApiKey, SaveProgramSettings, SetLinkEnabled, TakeNewApiKey,
};
use app::api::program_create::{ArchiveProgram, CreateProgram};
use app::api::program_partner::{AdjustPartner, ChangePartnerTerms, SetPartnerFlag, SetPartnerMaster};
use app::api::promo::{DecidePromo, SavePromoRules, SubmitMaterial};
use app::api::review::DecideApplication;
use app::api::segments::{DeleteSegment, SaveSegment, SetPartnerTags};
use app::api::sessions::EndSessions;
use app::api::team::{ChangeTeammate, InviteTeammate};
use app::api::terms::AmendTerms;
use app::api::tiers::{LockTier, RunTierEvaluation, SaveTiers, UnlockTier};
use app::api::training::{
    AddLesson, AddQuestion, AttachDocument, CreateCertification, CreateCourse, PublishCourse, SubmitQuiz,
};
use app::api::two_factor::{
    ConfirmTwoFactor, RenewRecoveryCodes, SetOperatorsTwoFactor, SetProgramTwoFactor, StartTwoFactor, TurnOffTwoFactor,
};
use axum::http::{Method, StatusCode};
use leptos::server_fn::ServerFn;
use std::collections::BTreeSet;

const VIEWER: &str = "viewer@acme.test";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

/// POST server functions that are not the console's to refuse, and why a viewer may call them.
const LEFT_OUT: [(&str, &str); 12] = [
    (
        StartTwoFactor::PATH,
        "one's own two-factor sign-in: every signed-in person may set it up",
    ),
    (
        ConfirmTwoFactor::PATH,
        "one's own two-factor sign-in: every signed-in person may set it up",
    ),
    (
        RenewRecoveryCodes::PATH,
        "one's own recovery codes, with one's own code",
    ),
    (
        TurnOffTwoFactor::PATH,
        "one's own two-factor sign-in, with one's own password and code",
    ),
    (
        RequestPasswordReset::PATH,
        "public: anyone may ask for a reset link, which goes to the address's owner",
    ),
    (
        SetPassword::PATH,
        "public: the emailed token is the right to use it, not a role",
    ),
    (
        ChangePassword::PATH,
        "one's own password: every signed-in person may change it",
    ),
    (
        EndSessions::PATH,
        "one's own sessions: every signed-in person may end them (the snapshot leaves sessions out)",
    ),
    (SubmitApplication::PATH, "public: the join form, for visitors"),
    (
        TakeFlash::PATH,
        "takes this browser's own one-time message from its session; no shared data",
    ),
    (
        TakeClaimRefusal::PATH,
        "takes this browser's own refused claim form from its session; no shared data",
    ),
    (
        TakeNewApiKey::PATH,
        "takes the key this browser just made from its session; no shared data",
    ),
];

/// POST routes outside leptos that a viewer's session doesn't reach, and why.
const PLAIN_LEFT_OUT: [(&str, &str); 8] = [
    ("/login", "before a session: logging in"),
    ("/login/code", "before a session: a login's second step"),
    ("/logout", "ends one's own session, which the snapshot leaves out"),
    ("/setup", "before any operator exists; 404 for good afterwards"),
    (
        "/view/brand",
        "changes only what the session's own person looks at (http/brand_view.rs)",
    ),
    (
        "/api/v1/conversions",
        "machines, with a program's API key, not a session",
    ),
    (
        "/api/v1/conversions/{order_id}/refunds",
        "machines, with a program's API key, not a session",
    ),
    ("/postback", "machines, with a program's API key, not a session"),
];

/// Every table's row count and a digest of its rows, sessions and rate limits aside (a
/// viewer's own requests touch those).
async fn snapshot(app: &TestApp) -> Vec<(String, i64, String)> {
    let tables = app
        .text(
            "SELECT string_agg(tablename, ',' ORDER BY tablename) AS v FROM pg_tables
             WHERE schemaname = 'public' AND tablename NOT IN ('sessions', 'rate_limits')",
        )
        .await;
    let mut rows = Vec::new();
    for table in tables.split(',') {
        let count = app.count(&format!("\"{table}\"")).await;
        let digest = app
            .text(&format!(
                "SELECT coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') AS v FROM \"{table}\" t"
            ))
            .await;
        rows.push((table.to_owned(), count, digest));
    }
    assert!(rows.len() > 30, "the snapshot covers every table: {}", rows.len());
    rows
}

/// The ids the plausible arguments name: real objects, each in a state where the action would
/// succeed for someone allowed to take it.
struct Ids {
    brand: String,
    affiliates: String,
    resellers: String,
    bright: String,
    lumen: String,
    northwind: String,
    application: String,
    adjustment: String,
    deal: String,
    product: String,
    fund: String,
    mdf_request: String,
    plan: String,
    api_key: String,
    link: String,
    manager: String,
    document: String,
}

async fn id(app: &TestApp, sql: &str) -> String {
    app.number(sql).await.to_string()
}

fn today_plus(days: i64) -> String {
    let d = (time::OffsetDateTime::now_utc() + time::Duration::days(days)).date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// The demo, plus what waits for a decision: an adjustment (for finance), a deal registration
/// and an MDF request, made as their authors would make them.
async fn setup(app: &TestApp) -> Ids {
    let program = |slug: &str| format!("SELECT id AS n FROM programs WHERE slug = '{slug}'");
    let partner = |name: &str| format!("SELECT id AS n FROM partners WHERE name = '{name}'");
    let ids = Ids {
        brand: id(app, "SELECT min(id) AS n FROM brands").await,
        affiliates: id(app, &program("acme-affiliates")).await,
        resellers: id(app, &program("acme-resellers")).await,
        bright: id(app, &partner("Bright Reviews")).await,
        lumen: id(app, &partner("Lumen Media")).await,
        northwind: id(app, &partner("Northwind Systems")).await,
        application: id(
            app,
            "SELECT m.id AS n FROM program_memberships m JOIN partners p ON p.id = m.partner_id
             WHERE p.name = 'Pixel Deals'",
        )
        .await,
        product: id(app, "SELECT min(id) AS n FROM products").await,
        fund: id(app, "SELECT min(id) AS n FROM mdf_funds").await,
        plan: id(app, "SELECT coalesce(min(id), 1) AS n FROM commission_plans").await,
        link: id(app, "SELECT coalesce(min(id), 1) AS n FROM links").await,
        manager: id(app, "SELECT id AS n FROM users WHERE email = 'manager@acme.test'").await,
        adjustment: String::new(),
        deal: String::new(),
        mdf_request: String::new(),
        api_key: String::new(),
        document: String::new(),
    };
    let mut admin = app.logged_in("admin@acme.test").await;
    let adjusted = admin
        .submit(
            AdjustPartner::PATH,
            &[
                ("program_id", &ids.affiliates),
                ("partner_id", &ids.bright),
                ("amount", "25"),
                ("reason", "Launch bonus"),
            ],
        )
        .await;
    assert_eq!(adjusted.status, StatusCode::OK, "{}", adjusted.body);
    let key = admin
        .submit(CreateApiKey::PATH, &[("program_id", &ids.affiliates), ("name", "Shop")])
        .await;
    assert_eq!(key.status, StatusCode::OK, "{}", key.body);
    let token = admin.token().await;
    let published = admin
        .send(multipart(
            &format!("/console/programs/{}/library/add", ids.affiliates),
            &token,
            &[
                ("new_folder", "Sales decks"),
                ("title", "Battle card"),
                ("visibility", "all"),
            ],
            &[("file", "deck.pdf", b"%PDF-1.7\n%%EOF\n")],
            "application/pdf",
        ))
        .await;
    assert_eq!(published.status, StatusCode::SEE_OTHER, "{}", published.body);
    let mut northwind = app.logged_in("ops@northwind.test").await;
    let close = today_plus(60);
    let deal = northwind
        .submit(
            RegisterDeal::PATH,
            &[
                ("program_id", &ids.resellers),
                ("company", "Initech Inc."),
                ("domain", "initech.example"),
                ("country", "US"),
                ("contact_name", "Peter Gibbons"),
                ("contact_email", "peter@initech.example"),
                ("products[]", &ids.product),
                ("value", "25000"),
                ("currency", "USD"),
                ("expected_close", &close),
            ],
        )
        .await;
    assert_eq!(deal.status, StatusCode::OK, "{}", deal.body);
    let day = today_plus(0);
    let request = northwind
        .submit(SubmitMdfRequest::PATH, &mdf_request_fields(&ids.fund, &day))
        .await;
    assert_eq!(request.status, StatusCode::OK, "{}", request.body);
    Ids {
        adjustment: id(app, "SELECT max(id) AS n FROM commissions WHERE kind = 'adjustment'").await,
        deal: id(app, "SELECT max(id) AS n FROM deals").await,
        mdf_request: id(app, "SELECT max(id) AS n FROM mdf_requests").await,
        api_key: id(app, "SELECT max(id) AS n FROM api_keys").await,
        document: id(app, "SELECT max(id) AS n FROM documents").await,
        ..ids
    }
}

fn mdf_request_fields<'a>(fund: &'a str, day: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("fund_id", fund),
        ("activity", "webinar"),
        ("description", "Cloud cost webinar for IT leads"),
        ("starts_on", day),
        ("ends_on", day),
        ("amount", "1000"),
        ("expected_outcome", "10 opportunities"),
    ]
}

/// Every mutating server function with plausible arguments.
fn matrix(i: &Ids) -> Vec<(&'static str, Vec<(&'static str, String)>)> {
    let s = |v: &str| v.to_owned();
    let close = today_plus(60);
    let day = today_plus(0);
    let terms = |partner: Option<&str>| {
        let mut fields = vec![("program_id", i.affiliates.clone())];
        fields.extend(partner.map(|p| ("partner_id", s(p))));
        fields.extend([
            ("plan_id", i.plan.clone()),
            ("rate", s("25")),
            ("effective_from", today_plus(1)),
            ("reason", s("Better terms")),
        ]);
        fields
    };
    let brand = |id: Option<&str>| {
        let mut fields: Vec<(&'static str, String)> = id.map(|id| ("id", s(id))).into_iter().collect();
        fields.extend([
            ("name", s("Acme Labs")),
            ("legal_name", s("Acme Labs GmbH")),
            ("country", s("DE")),
            ("default_currency", s("EUR")),
        ]);
        fields
    };
    vec![
        (
            SaveApprovalSettings::PATH,
            vec![
                ("program_id", i.affiliates.clone()),
                ("auto_approve_below", s("10")),
                ("finance_above", s("500")),
                ("lock_days", s("30")),
                ("sla_remind_hours", s("48")),
                ("sla_escalate_hours", s("96")),
            ],
        ),
        (
            SaveAdjustmentReview::PATH,
            vec![
                ("program_id", i.affiliates.clone()),
                ("adjustment_review_above", s("100")),
            ],
        ),
        (
            DecideCommission::PATH,
            vec![
                ("id", i.adjustment.clone()),
                ("seen_seq", s("1")),
                ("decision", s("approve")),
            ],
        ),
        (ApproveSelected::PATH, vec![("ids[]", format!("{}:1", i.adjustment))]),
        (CreateBrand::PATH, brand(None)),
        (SaveBrand::PATH, brand(Some(&i.brand))),
        (
            SaveStageProbabilities::PATH,
            vec![
                ("program_id", i.resellers.clone()),
                ("registered", s("10")),
                ("qualified", s("25")),
                ("proposal", s("50")),
                ("negotiation", s("75")),
            ],
        ),
        (
            DecideDeal::PATH,
            vec![("id", i.deal.clone()), ("decision", s("approve"))],
        ),
        (
            DecideExtension::PATH,
            vec![("id", i.deal.clone()), ("decision", s("approve"))],
        ),
        (
            CorrectDeal::PATH,
            vec![
                ("id", i.deal.clone()),
                ("stage", s("qualified")),
                ("value", s("30000")),
                ("note", s("Bigger scope")),
            ],
        ),
        (
            SaveDealRules::PATH,
            vec![
                ("program_id", i.resellers.clone()),
                ("protection_days", s("60")),
                ("sla_hours", s("24")),
                ("existing_customer_policy", s("reject")),
            ],
        ),
        (
            AddProduct::PATH,
            vec![("program_id", i.resellers.clone()), ("name", s("Acme Vault"))],
        ),
        (
            ArchiveProduct::PATH,
            vec![
                ("program_id", i.resellers.clone()),
                ("product_id", i.product.clone()),
                ("archive", s("yes")),
            ],
        ),
        (
            ImportCustomers::PATH,
            vec![("program_id", i.resellers.clone()), ("csv", s("initrode.example"))],
        ),
        (
            DecideMdf::PATH,
            vec![
                ("id", i.mdf_request.clone()),
                ("what", s("request")),
                ("decision", s("approve")),
                ("amount", s("1000")),
            ],
        ),
        (
            CreateMdfFund::PATH,
            vec![
                ("program_id", i.resellers.clone()),
                ("name", s("Next quarter")),
                ("period_start", today_plus(100)),
                ("period_end", today_plus(190)),
                ("claim_days", s("30")),
            ],
        ),
        (
            AllocateMdf::PATH,
            vec![
                ("program_id", i.resellers.clone()),
                ("fund_id", i.fund.clone()),
                ("target", s("partner")),
                ("partner_id", i.northwind.clone()),
                ("amount", s("500")),
            ],
        ),
        (
            SetPartnerTier::PATH,
            vec![
                ("program_id", i.resellers.clone()),
                ("partner_id", i.northwind.clone()),
                ("tier", s("Platinum")),
            ],
        ),
        (
            SaveTiers::PATH,
            vec![
                ("program_id", i.resellers.clone()),
                ("fields[window_days]", s("90")),
                ("fields[grace_days]", s("30")),
                ("fields[t0_name]", s("Registered")),
            ],
        ),
        (RunTierEvaluation::PATH, vec![("program_id", i.resellers.clone())]),
        (
            SaveSegment::PATH,
            vec![
                ("program_id", i.resellers.clone()),
                ("name", s("Probe")),
                ("fields[kind]", s("reseller")),
            ],
        ),
        (
            DeleteSegment::PATH,
            vec![("program_id", i.resellers.clone()), ("segment_id", s("1"))],
        ),
        (SetOperatorsTwoFactor::PATH, vec![("required", s("yes"))]),
        (
            SetProgramTwoFactor::PATH,
            vec![("program_id", i.affiliates.clone()), ("required", s("yes"))],
        ),
        (
            SetPartnerTags::PATH,
            vec![
                ("program_id", i.resellers.clone()),
                ("partner_id", i.northwind.clone()),
                ("tags", s("probe")),
            ],
        ),
        (
            LockTier::PATH,
            vec![
                ("program_id", i.resellers.clone()),
                ("partner_id", i.northwind.clone()),
                ("reason", s("probe")),
            ],
        ),
        (
            UnlockTier::PATH,
            vec![("program_id", i.resellers.clone()), ("partner_id", i.northwind.clone())],
        ),
        (
            InviteOperator::PATH,
            vec![
                ("name", s("Nia New")),
                ("email", s("nia@acme.test")),
                ("role", s("manager")),
                ("all_brands", s("yes")),
            ],
        ),
        (
            ChangeOperator::PATH,
            vec![("id", i.manager.clone()), ("what", s("role")), ("role", s("admin"))],
        ),
        (
            CreatePlan::PATH,
            vec![
                ("program_id", i.affiliates.clone()),
                ("fields[name]", s("Viewer plan")),
                ("fields[r0_events]", s("sale")),
                ("fields[r0_model]", s("flat")),
                ("fields[r0_flat]", s("5")),
                ("fields[r0_recurring]", s("once")),
            ],
        ),
        (
            MakeDefaultPlan::PATH,
            vec![("program_id", i.affiliates.clone()), ("plan_id", i.plan.clone())],
        ),
        (
            SaveProgramSettings::PATH,
            vec![
                ("id", i.affiliates.clone()),
                ("allowed_domains", s("acme.example")),
                ("default_landing_url", s("https://acme.example/")),
                ("cookie_days", s("60")),
                ("attribution_model", s("last_click")),
                ("click_param", s("ref")),
            ],
        ),
        (
            AssignCoupon::PATH,
            vec![
                ("program_id", i.affiliates.clone()),
                ("partner_id", i.bright.clone()),
                ("code", s("VIEWER10")),
            ],
        ),
        (
            CreateApiKey::PATH,
            vec![("program_id", i.affiliates.clone()), ("name", s("Viewer key"))],
        ),
        (
            RevokeApiKey::PATH,
            vec![("program_id", i.affiliates.clone()), ("key_id", i.api_key.clone())],
        ),
        (
            SetLinkEnabled::PATH,
            vec![("link_id", i.link.clone()), ("enabled", s("false"))],
        ),
        (
            CreateProgram::PATH,
            vec![
                ("brand_id", i.brand.clone()),
                ("name", s("Acme Referrals")),
                ("slug", s("acme-referrals")),
                ("kind", s("referral")),
                ("currency", s("EUR")),
                ("access", s("public")),
            ],
        ),
        (
            ArchiveCreative::PATH,
            vec![("program_id", i.affiliates.clone()), ("creative_id", s("1"))],
        ),
        (
            ArchiveDocument::PATH,
            vec![
                ("program_id", i.affiliates.clone()),
                ("document_id", i.document.clone()),
            ],
        ),
        (
            CreateCourse::PATH,
            vec![
                ("program_id", i.affiliates.clone()),
                ("title", s("Course")),
                ("pass_mark", s("80")),
                ("max_attempts", s("3")),
                ("wait_minutes", s("0")),
            ],
        ),
        (
            AddLesson::PATH,
            vec![
                ("program_id", i.affiliates.clone()),
                ("course_id", s("1")),
                ("title", s("L")),
                ("body", s("x")),
            ],
        ),
        (
            AttachDocument::PATH,
            vec![
                ("program_id", i.affiliates.clone()),
                ("course_id", s("1")),
                ("lesson_id", s("1")),
                ("document_id", s("1")),
            ],
        ),
        (
            AddQuestion::PATH,
            vec![
                ("program_id", i.affiliates.clone()),
                ("course_id", s("1")),
                ("prompt", s("Q")),
                ("options", s("*A\nB")),
            ],
        ),
        (
            PublishCourse::PATH,
            vec![("program_id", i.affiliates.clone()), ("course_id", s("1"))],
        ),
        (
            CreateCertification::PATH,
            vec![
                ("program_id", i.affiliates.clone()),
                ("name", s("Cert")),
                ("valid_months", s("12")),
                ("course_ids[]", s("1")),
            ],
        ),
        (SubmitQuiz::PATH, vec![("course_id", s("1"))]),
        (
            PostAnnouncement::PATH,
            vec![
                ("program_id", i.affiliates.clone()),
                ("title", s("News")),
                ("body", s("Hello")),
                ("email", s("yes")),
            ],
        ),
        (MarkAnnouncementsRead::PATH, vec![("all", s("yes"))]),
        (
            PublishAgreement::PATH,
            vec![
                ("program_id", i.affiliates.clone()),
                ("title", s("Partner agreement")),
                ("body", s("Be fair.")),
            ],
        ),
        (AcceptAgreement::PATH, vec![("agreement_id", s("1"))]),
        (
            SaveQuestion::PATH,
            vec![
                ("program_id", i.affiliates.clone()),
                ("label", s("Monthly visitors")),
                ("kind", s("short_text")),
            ],
        ),
        (
            RemoveQuestion::PATH,
            vec![("program_id", i.affiliates.clone()), ("question_id", s("1"))],
        ),
        (
            MoveQuestion::PATH,
            vec![
                ("program_id", i.affiliates.clone()),
                ("question_id", s("1")),
                ("direction", s("up")),
            ],
        ),
        (
            AddRequirement::PATH,
            vec![
                ("program_id", i.affiliates.clone()),
                ("kind", s("government_id")),
                ("needed_before", s("approval")),
            ],
        ),
        (
            RetireRequirement::PATH,
            vec![("program_id", i.affiliates.clone()), ("requirement_id", s("1"))],
        ),
        (
            DecideDocument::PATH,
            vec![("document_id", s("1")), ("decision", s("approve"))],
        ),
        (
            SavePromoRules::PATH,
            vec![
                ("program_id", i.affiliates.clone()),
                ("require_approval", s("yes")),
                ("disclosure_phrases", s("#ad")),
            ],
        ),
        (
            DecidePromo::PATH,
            vec![
                ("program_id", i.affiliates.clone()),
                ("submission_id", s("1")),
                ("decision", s("approve")),
            ],
        ),
        (
            SubmitMaterial::PATH,
            vec![
                ("program_id", i.affiliates.clone()),
                ("channel", s("social")),
                ("url", s("https://x.example.com")),
                ("body", s("Hi #ad")),
            ],
        ),
        (
            ArchiveProgram::PATH,
            vec![("id", i.affiliates.clone()), ("links_end", today_plus(30))],
        ),
        (ChangePartnerTerms::PATH, terms(Some(&i.bright))),
        (AmendTerms::PATH, terms(None)),
        (
            SetPartnerFlag::PATH,
            vec![
                ("program_id", i.affiliates.clone()),
                ("partner_id", i.bright.clone()),
                ("flag", s("yes")),
                ("reason", s("Odd traffic")),
            ],
        ),
        (
            SetPartnerMaster::PATH,
            vec![
                ("program_id", i.affiliates.clone()),
                ("partner_id", i.lumen.clone()),
                ("master_id", i.bright.clone()),
            ],
        ),
        (
            AdjustPartner::PATH,
            vec![
                ("program_id", i.affiliates.clone()),
                ("partner_id", i.bright.clone()),
                ("amount", s("10")),
                ("reason", s("Bonus")),
            ],
        ),
        (
            DecideApplication::PATH,
            vec![
                ("id", i.application.clone()),
                ("decision", s("approve")),
                ("reason", String::new()),
            ],
        ),
        // The portal's: a viewer is no partner.
        (
            RegisterDeal::PATH,
            vec![
                ("program_id", i.resellers.clone()),
                ("company", s("Hooli")),
                ("domain", s("hooli.example")),
                ("country", s("US")),
                ("contact_name", s("Gavin")),
                ("contact_email", s("gavin@hooli.example")),
                ("value", s("1000")),
                ("currency", s("USD")),
                ("expected_close", close.clone()),
            ],
        ),
        (
            MoveDeal::PATH,
            vec![
                ("id", i.deal.clone()),
                ("stage", s("qualified")),
                ("value", s("25000")),
                ("expected_close", close),
            ],
        ),
        (
            RequestExtension::PATH,
            vec![
                ("id", i.deal.clone()),
                ("days", s("30")),
                ("reason", s("Board meets late")),
            ],
        ),
        (
            CreateLink::PATH,
            vec![
                ("program_id", i.affiliates.clone()),
                ("destination", s("https://acme.example/pricing")),
                ("campaign", s("viewer")),
                ("sub1", String::new()),
                ("sub2", String::new()),
                ("sub3", String::new()),
                ("sub4", String::new()),
                ("sub5", String::new()),
            ],
        ),
        (CreateInviteLink::PATH, vec![("program_id", i.affiliates.clone())]),
        (
            InviteTeammate::PATH,
            vec![
                ("name", s("Vic")),
                ("email", s("vic@example.com")),
                ("role", s("member")),
            ],
        ),
        (
            ChangeTeammate::PATH,
            vec![("id", i.manager.clone()), ("what", s("remove"))],
        ),
        (
            SaveProfile::PATH,
            vec![
                ("website", s("https://viewer.example")),
                ("about", s("A viewer")),
                ("channels[]", s("content")),
            ],
        ),
        (
            SavePayoutMethod::PATH,
            vec![
                ("currency", s("EUR")),
                ("kind", s("paypal")),
                ("email", s("viewer@example.com")),
            ],
        ),
        (
            SaveTaxDetails::PATH,
            vec![
                ("form", s("w8ben")),
                ("legal_name", s("Vic")),
                ("address", s("Berlin")),
                ("country", s("DE")),
                ("invoice_name", s("Vic")),
                ("invoice_address", s("Berlin")),
            ],
        ),
        (
            CreatePayoutRun::PATH,
            vec![("brand_id", s("all")), ("as_of", today_plus(0))],
        ),
        (ApprovePayoutRun::PATH, vec![("id", s("1"))]),
        (DiscardPayoutRun::PATH, vec![("id", s("1"))]),
        (
            SettlePayoutItem::PATH,
            vec![
                ("run_id", s("1")),
                ("item_id", s("1")),
                ("outcome", s("paid")),
                ("paid_on", today_plus(0)),
                ("bank_reference", s("B-1")),
            ],
        ),
        (
            SaveBrandPayoutSettings::PATH,
            vec![
                ("brand_id", i.brand.clone()),
                ("debtor_iban", s("DE89370400440532013000")),
                ("debtor_bic", s("COBADEFFXXX")),
                ("self_billing", s("yes")),
                ("invoice_prefix", s("SB-")),
            ],
        ),
        (
            SaveProgramPayoutSettings::PATH,
            vec![
                ("program_id", i.affiliates.clone()),
                ("minimum_payout", s("10")),
                ("review_days", s("3")),
            ],
        ),
        (
            SwitchOffLinks::PATH,
            vec![("program_id", i.affiliates.clone()), ("ids[]", i.link.clone())],
        ),
        (
            SubmitMdfRequest::PATH,
            mdf_request_fields(&i.fund, &day)
                .into_iter()
                .map(|(k, v)| (k, v.to_owned()))
                .collect(),
        ),
    ]
}

/// A viewer, signed in: the demo has none, so one is added with the demo password.
async fn viewer(app: &TestApp) -> Browser {
    app.execute(&format!(
        "INSERT INTO users (email, display_name, kind, operator_role, password_hash, password_changed_at)
         SELECT '{VIEWER}', 'Vic Viewer', 'operator', 'viewer', password_hash, now() FROM users
         WHERE email = 'admin@acme.test'"
    ))
    .await;
    app.logged_in(VIEWER).await
}

#[tokio::test]
async fn a_viewer_posting_to_any_mutating_server_function_gets_403_and_changes_nothing() {
    let app = TestApp::seeded().await;
    let ids = setup(&app).await;
    let mut viewer = viewer(&app).await;
    reads_everything_and_is_offered_nothing(&mut viewer, &ids).await;

    let matrix = matrix(&ids);
    let before = snapshot(&app).await;
    for (path, fields) in &matrix {
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let reply = viewer.submit(path, &pairs).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}: {}", reply.body);
        let after = snapshot(&app).await;
        let changed: Vec<&str> = before
            .iter()
            .zip(&after)
            .filter(|(b, a)| b != a)
            .map(|(b, _)| b.0.as_str())
            .collect();
        assert!(changed.is_empty(), "{path} changed {changed:?}");
    }

    // Every POST server function is in the matrix or left out with a reason.
    let covered: BTreeSet<&str> = matrix.iter().map(|(path, _)| *path).collect();
    assert_eq!(covered.len(), matrix.len(), "one row per server function");
    let left_out: BTreeSet<&str> = LEFT_OUT.iter().map(|(path, _)| *path).collect();
    let posts: BTreeSet<&str> = leptos::server_fn::axum::server_fn_paths()
        .filter(|(_, method)| *method == Method::POST)
        .map(|(path, _)| path)
        .collect();
    assert!(posts.len() >= 40, "the registry lists the server functions: {posts:?}");
    let missing: Vec<&&str> = posts.difference(&covered).filter(|p| !left_out.contains(**p)).collect();
    assert!(
        missing.is_empty(),
        "mutating server functions without a row in the viewer matrix (add one, or say why it is left out): {missing:?}"
    );
    let stale: Vec<&&str> = covered.union(&left_out).filter(|p| !posts.contains(**p)).collect();
    assert!(
        stale.is_empty(),
        "rows for server functions that are not POST: {stale:?}"
    );
}

/// The console's pages open for a viewer, with what waits in them, and without decision forms.
async fn reads_everything_and_is_offered_nothing(viewer: &mut Browser, i: &Ids) {
    let (aff, res) = (&i.affiliates, &i.resellers);
    let pages = [
        "/console".to_owned(),
        "/console/commissions?tab=finance".to_owned(),
        format!("/console/commissions/{}", i.adjustment),
        "/console/mdf".to_owned(),
        format!("/console/mdf/{}", i.mdf_request),
        "/console/deals".to_owned(),
        format!("/console/deals/{}", i.deal),
        "/console/programs".to_owned(),
        format!("/console/programs/{aff}"),
        format!("/console/programs/{aff}/approvals"),
        format!("/console/programs/{aff}/partners/{}", i.bright),
        format!("/console/programs/{res}/mdf"),
        "/console/reports/deals".to_owned(),
        "/console/audit".to_owned(),
    ];
    for page in &pages {
        let reply = viewer.get(page).await;
        assert_eq!(reply.status, StatusCode::OK, "{page}");
        for offer in [
            "Approve commission #",
            "Approve request #",
            "Record adjustment",
            "Save adjustment review",
        ] {
            assert!(!reply.body.contains(offer), "{page} offers a viewer \"{offer}\"");
        }
    }
    let queue = viewer.get("/console/commissions?tab=finance").await;
    assert!(
        queue.body.contains("Launch bonus"),
        "the adjustment waiting for finance is listed"
    );
    let mdf = viewer.get("/console/mdf").await;
    assert!(
        mdf.body.contains("Cloud cost webinar"),
        "the MDF request waiting is listed"
    );
}

/// The POST routes in a router source file: `.route("PATH", ...post(...)` up to the next route.
fn post_routes(source: &str) -> Vec<String> {
    source
        .split(".route(")
        .skip(1)
        .filter(|route| route.contains("post("))
        .filter_map(|route| route.split('"').nth(1).map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn a_viewer_posting_to_the_plain_upload_handlers_gets_403_and_changes_nothing() {
    let app = TestApp::seeded().await;
    let ids = setup(&app).await;
    let mut viewer = viewer(&app).await;
    let uploads = [
        (format!("/console/brands/{}/logo", ids.brand), "logo"),
        (format!("/portal/mdf/{}/claim", ids.mdf_request), "files"),
        (format!("/console/programs/{}/creatives/add", ids.affiliates), "image"),
        (format!("/console/programs/{}/library/add", ids.affiliates), "file"),
        (
            format!("/console/programs/{}/library/{}/versions", ids.affiliates, ids.document),
            "file",
        ),
        ("/portal/material/submit".to_owned(), "screenshot"),
        ("/console/payouts/1/settlement".to_owned(), "file"),
        ("/portal/documents/1".to_owned(), "file"),
    ];
    let before = snapshot(&app).await;
    for (path, field) in &uploads {
        let token = viewer.token().await;
        let fields = [
            ("amount", "1000"),
            ("actual_cost", "900"),
            ("leads", "3"),
            ("attendees", "40"),
        ];
        let request = multipart(path, &token, &fields, &[(field, "proof.png", PNG)], "image/png");
        let reply = viewer.send(request).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}: {}", reply.body);
        assert_eq!(snapshot(&app).await, before, "{path} changed nothing");
    }

    // Every plain POST route is one of these uploads or left out with a reason.
    let routes: Vec<String> = [
        include_str!("../../src/router.rs"),
        include_str!("../../src/tracking/mod.rs"),
    ]
    .into_iter()
    .flat_map(post_routes)
    .collect();
    assert!(routes.len() >= 8, "the router's POST routes were found: {routes:?}");
    let known: BTreeSet<&str> = [
        "/console/brands/{id}/logo",
        "/portal/mdf/{id}/claim",
        "/console/programs/{id}/creatives/add",
        "/console/programs/{id}/library/add",
        "/console/programs/{id}/library/{document}/versions",
        "/portal/material/submit",
        "/console/payouts/{id}/settlement",
        "/portal/documents/{requirement}",
    ]
    .into_iter()
    .chain(PLAIN_LEFT_OUT.iter().map(|(path, _)| *path))
    .collect();
    let missing: Vec<&String> = routes.iter().filter(|r| !known.contains(r.as_str())).collect();
    assert!(
        missing.is_empty(),
        "POST routes without a row in the viewer matrix (add one, or say why it is left out): {missing:?}"
    );
}
