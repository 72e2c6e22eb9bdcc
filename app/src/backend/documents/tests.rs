//! Partner documents against a real PostgreSQL: a program's requirement holds the application
//! until a reviewer approves the file; files are sealed; bad files, foreign requirements and a
//! missing key change nothing; a newer upload replaces a waiting one; a decision happens once;
//! expiry is told once; payout runs see what is missing.

use super::{applicants, download, expiry, requirements, review, standing, uploads};
use crate::api::error::AppError;
use crate::backend::auth::AuthUser;
use crate::backend::data_key::DataKey;
use crate::backend::flows::join::{self, tests::application, tests::two_programs};
use crate::backend::flows::{self, RequestMeta};
use crate::backend::mdf::claims::Upload;
use crate::backend::repos::users::{self, Account};
use crate::backend::repos::{partner_documents as repo, programs};
use crate::backend::schema::{audit_events, email_outbox, partner_documents, program_memberships};
use crate::backend::scope::Scope;
use crate::backend::settings::Settings;
use crate::backend::testing::TestDb;
use crate::domain::access::{OperatorRole, PartnerRole};
use crate::domain::documents::{Decision, NeededBefore, RequirementForm, Standing};
use crate::domain::membership::Decision as Membership;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use std::collections::HashMap;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

const NOW: OffsetDateTime = datetime!(2026-06-15 10:00 UTC);
const PDF: &[u8] = b"%PDF-1.7\npassport of Ada Lovelace\n%%EOF";

struct World {
    key: DataKey,
    settings: Settings,
    ada: AuthUser,
    ada_partner: i64,
    membership: i64,
    admin: AuthUser,
    scope: Scope,
    id_requirement: i64,
    registration: i64,
}

fn operator(id: i64, email: String, role: OperatorRole) -> AuthUser {
    AuthUser {
        brand_scoped: false,
        id,
        display_name: email.clone(),
        email,
        account: Account::Operator(role),
    }
}

fn form(kind: &str, name: &str, needed: NeededBefore) -> RequirementForm {
    RequirementForm {
        kind: kind.into(),
        name: name.into(),
        help: String::new(),
        needed_before: needed.as_str().into(),
    }
}

async fn world(conn: &mut AsyncPgConnection) -> World {
    two_programs(conn).await;
    let program = programs::find_by_slug(conn, "acme-affiliates")
        .await
        .unwrap()
        .unwrap()
        .0
        .id;
    let row = users::insert_operator(conn, "admin@acme.test", "Admin", OperatorRole::Admin, "h")
        .await
        .unwrap();
    let admin = operator(row.id, row.email, OperatorRole::Admin);
    let meta = RequestMeta::default();
    let add = async |conn: &mut AsyncPgConnection, kind, name, needed| {
        requirements::add(conn, &admin.actor(), program, &form(kind, name, needed), &meta, NOW)
            .await
            .unwrap()
            .id
    };
    let id_requirement = add(conn, "government_id", "", NeededBefore::Approval).await;
    let registration = add(conn, "company_registration", "", NeededBefore::FirstPayout).await;
    let submitted = join::submit(
        conn,
        "acme-affiliates",
        &application("ada@example.com"),
        &HashMap::new(),
        None,
        None,
        &meta,
        NOW,
    )
    .await
    .unwrap();
    let settings = Settings::for_local(std::env::temp_dir());
    assert!(applicants::ask(conn, &settings, &submitted, NOW).await.unwrap());
    let user = users::get(conn, submitted.user_id).await.unwrap();
    World {
        key: DataKey::from_base64(&DataKey::generate()).unwrap(),
        settings,
        ada: AuthUser {
            brand_scoped: false,
            id: user.id,
            display_name: user.display_name,
            email: user.email,
            account: Account::Partner {
                partner_id: submitted.partner_id,
                role: PartnerRole::Owner,
            },
        },
        ada_partner: submitted.partner_id,
        membership: submitted.membership_id,
        admin,
        scope: Scope::everything(conn).await.unwrap(),
        id_requirement,
        registration,
    }
}

async fn upload(
    conn: &mut AsyncPgConnection,
    w: &World,
    requirement: i64,
    name: &str,
    bytes: &[u8],
) -> Result<i64, AppError> {
    let by = uploads::Uploader {
        user: &w.ada,
        partner_id: w.ada_partner,
        base_url: "https://trellis.test",
        meta: &RequestMeta::default(),
    };
    let file = Upload {
        name: name.into(),
        bytes: bytes.to_vec(),
    };
    uploads::upload(conn, Some(&w.key), &by, requirement, &file, NOW)
        .await
        .map(|d| d.id)
}

async fn decide(conn: &mut AsyncPgConnection, w: &World, id: i64, decision: Decision) -> Result<(), AppError> {
    review::decide(
        conn,
        &w.admin,
        &w.scope,
        id,
        &decision,
        ("https://trellis.test", &RequestMeta::default()),
        NOW,
    )
    .await
    .map(|_| ())
}

async fn approve_application(conn: &mut AsyncPgConnection, w: &World) -> Result<(), AppError> {
    flows::review::decide(
        conn,
        &w.settings,
        &w.admin,
        &w.scope,
        w.membership,
        Membership::Approve,
        "",
        &RequestMeta::default(),
        NOW,
    )
    .await
    .map(|_| ())
}

/// Files, audit events, emails and the membership's status: everything a refusal must leave.
async fn footprint(conn: &mut AsyncPgConnection, membership: i64) -> (i64, i64, i64, String) {
    (
        partner_documents::table.count().get_result(conn).await.unwrap(),
        audit_events::table.count().get_result(conn).await.unwrap(),
        email_outbox::table.count().get_result(conn).await.unwrap(),
        program_memberships::table
            .find(membership)
            .select(program_memberships::status)
            .first(conn)
            .await
            .unwrap(),
    )
}

async fn standing_of(conn: &mut AsyncPgConnection, w: &World, requirement: i64) -> Standing {
    let programs = standing::of_partner(conn, w.ada_partner, NOW.date()).await.unwrap();
    programs
        .into_iter()
        .flat_map(|p| p.items)
        .find(|i| i.requirement.id == requirement)
        .unwrap()
        .standing
}

#[tokio::test]
async fn the_application_waits_for_its_document_until_a_reviewer_approves_it() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let w = world(&mut conn).await;
    // The applicant was asked, with a link to choose a password (no password yet).
    let asked: String = email_outbox::table
        .filter(email_outbox::to_address.eq("ada@example.com"))
        .filter(email_outbox::subject.like("%needs documents%"))
        .select(email_outbox::body_text)
        .first(&mut conn)
        .await
        .unwrap();
    assert!(asked.contains("Government ID") && asked.contains("/set-password?token="));
    assert!(!asked.contains("Company registration"), "only what approval needs");

    let before = footprint(&mut conn, w.membership).await;
    let refused = approve_application(&mut conn, &w).await.unwrap_err();
    assert!(
        matches!(&refused, AppError::Conflict(m) if m.contains("Government ID")),
        "{refused:?}"
    );
    assert_eq!(footprint(&mut conn, w.membership).await, before);

    let id = upload(&mut conn, &w, w.id_requirement, "passport.pdf", PDF)
        .await
        .unwrap();
    assert_eq!(standing_of(&mut conn, &w, w.id_requirement).await, Standing::Waiting);
    let (sealed, key_id): (Vec<u8>, String) = partner_documents::table
        .find(id)
        .select((partner_documents::sealed, partner_documents::key_id))
        .first(&mut conn)
        .await
        .unwrap();
    assert!(!sealed.windows(7).any(|w| w == b"Lovelac"), "the file is stored sealed");
    assert_eq!(key_id, w.key.id());
    let reviewers: i64 = email_outbox::table
        .filter(email_outbox::to_address.eq("admin@acme.test"))
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(reviewers, 1, "the admin was told a file waits");

    // The owner and a reviewer open the same bytes; another partner's id is not found.
    let meta = RequestMeta::default();
    let own = download::open(
        &mut conn,
        Some(&w.key),
        download::Reader::Partner(w.ada_partner),
        id,
        &meta,
    )
    .await
    .unwrap();
    assert_eq!(own.bytes, PDF);
    let programs = w.scope.programs.clone();
    let reader = download::Reader::Operator {
        user: &w.admin,
        programs: &programs,
    };
    assert_eq!(
        download::open(&mut conn, Some(&w.key), reader, id, &meta)
            .await
            .unwrap()
            .bytes,
        PDF
    );
    let stranger = download::open(
        &mut conn,
        Some(&w.key),
        download::Reader::Partner(w.ada_partner + 1000),
        id,
        &meta,
    )
    .await;
    assert!(matches!(stranger, Err(AppError::NotFound(_))));
    let downloads: i64 = audit_events::table
        .filter(audit_events::action.eq("document.download"))
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(downloads, 1, "the operator's opening is audited, the owner's is not");

    let expires = NOW.date() + Duration::days(365);
    decide(
        &mut conn,
        &w,
        id,
        Decision::Approve {
            expires_on: Some(expires),
        },
    )
    .await
    .unwrap();
    assert_eq!(
        standing_of(&mut conn, &w, w.id_requirement).await,
        Standing::Approved {
            expires_on: Some(expires)
        }
    );
    approve_application(&mut conn, &w).await.unwrap();
    assert_eq!(footprint(&mut conn, w.membership).await.3, "active");

    // A decision happens once.
    let again = decide(&mut conn, &w, id, Decision::Reject { reason: "late".into() }).await;
    assert!(matches!(again, Err(AppError::Conflict(m)) if m.contains("already approved")));
}

#[tokio::test]
async fn bad_files_foreign_requirements_and_a_missing_key_change_nothing() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let w = world(&mut conn).await;
    let before = footprint(&mut conn, w.membership).await;
    let gif = upload(&mut conn, &w, w.id_requirement, "me.gif", b"GIF89a....")
        .await
        .unwrap_err();
    assert!(
        matches!(&gif, AppError::Invalid(e) if e.get("file").is_some_and(|m| m.contains("not a PDF, PNG, JPEG or WebP")))
    );
    let big = vec![b'%'; crate::domain::mdf::upload::MAX_FILE_BYTES + 1];
    let too_large = upload(&mut conn, &w, w.id_requirement, "big.pdf", &big)
        .await
        .unwrap_err();
    assert!(
        matches!(&too_large, AppError::Invalid(e) if e.get("file").is_some_and(|m| m.contains("larger than 5 MB")))
    );
    let empty = upload(&mut conn, &w, w.id_requirement, "empty.pdf", b"")
        .await
        .unwrap_err();
    assert!(matches!(&empty, AppError::Invalid(_)));
    // A requirement of a program Ada isn't in: not found, like one that doesn't exist.
    let resellers = programs::find_by_slug(&mut conn, "acme-resellers")
        .await
        .unwrap()
        .unwrap()
        .0
        .id;
    let meta = RequestMeta::default();
    let theirs = requirements::add(
        &mut conn,
        &w.admin.actor(),
        resellers,
        &form("proof_of_address", "", NeededBefore::Optional),
        &meta,
        NOW,
    )
    .await
    .unwrap();
    let before = (before.0, before.1 + 1, before.2, before.3);
    for requirement in [theirs.id, 999_999] {
        let foreign = upload(&mut conn, &w, requirement, "passport.pdf", PDF)
            .await
            .unwrap_err();
        assert!(matches!(foreign, AppError::NotFound(_)), "{foreign:?}");
    }
    let by = uploads::Uploader {
        user: &w.ada,
        partner_id: w.ada_partner,
        base_url: "https://trellis.test",
        meta: &meta,
    };
    let file = Upload {
        name: "passport.pdf".into(),
        bytes: PDF.to_vec(),
    };
    let no_key = uploads::upload(&mut conn, None, &by, w.id_requirement, &file, NOW)
        .await
        .unwrap_err();
    assert!(matches!(no_key, AppError::Conflict(m) if m == uploads::NO_DATA_KEY));
    assert_eq!(footprint(&mut conn, w.membership).await, before);

    // Requirements: a repeated name and a retired or foreign one are refused, and change nothing.
    let program = programs::find_by_slug(&mut conn, "acme-affiliates")
        .await
        .unwrap()
        .unwrap()
        .0
        .id;
    let twice = requirements::add(
        &mut conn,
        &w.admin.actor(),
        program,
        &form("other", "government id", NeededBefore::Optional),
        &meta,
        NOW,
    )
    .await
    .unwrap_err();
    assert!(matches!(&twice, AppError::Invalid(e) if e.get("name").is_some()));
    let foreign = requirements::retire(&mut conn, &w.admin.actor(), (program, theirs.id), &meta, NOW)
        .await
        .unwrap_err();
    assert!(matches!(foreign, AppError::NotFound(_)));
    assert_eq!(footprint(&mut conn, w.membership).await, before);
}

#[tokio::test]
async fn a_new_upload_replaces_the_waiting_one_and_a_rejection_asks_again() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let w = world(&mut conn).await;
    let first = upload(
        &mut conn,
        &w,
        w.id_requirement,
        "blurry.jpg",
        &[0xFF, 0xD8, 0xFF, 0xE0, 1, 2],
    )
    .await
    .unwrap();
    let second = upload(&mut conn, &w, w.id_requirement, "sharp.pdf", PDF).await.unwrap();
    let stale = decide(&mut conn, &w, first, Decision::Approve { expires_on: None })
        .await
        .unwrap_err();
    assert!(matches!(stale, AppError::Conflict(m) if m.contains("newer file")));
    let waiting = repo::waiting(&mut conn, &w.scope.programs).await.unwrap();
    assert_eq!(waiting.iter().map(|d| d.document.id).collect::<Vec<_>>(), [second]);

    decide(
        &mut conn,
        &w,
        second,
        Decision::Reject {
            reason: "The photo page is cut off.".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(
        standing_of(&mut conn, &w, w.id_requirement).await,
        Standing::Rejected {
            reason: "The photo page is cut off.".into()
        }
    );
    let told: String = email_outbox::table
        .filter(email_outbox::subject.like("%needs another look%"))
        .select(email_outbox::body_text)
        .first(&mut conn)
        .await
        .unwrap();
    assert!(told.contains("The photo page is cut off."));
    assert!(
        approve_application(&mut conn, &w).await.is_err(),
        "a rejected file meets nothing"
    );
}

#[tokio::test]
async fn an_expired_document_is_told_once_and_payouts_wait_for_what_they_need() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let w = world(&mut conn).await;
    let id = upload(&mut conn, &w, w.id_requirement, "passport.pdf", PDF)
        .await
        .unwrap();
    let on = NOW.date() + Duration::days(30);
    decide(&mut conn, &w, id, Decision::Approve { expires_on: Some(on) })
        .await
        .unwrap();
    approve_application(&mut conn, &w).await.unwrap();

    // Active now: the payout run sees the registration (needed before payouts) missing.
    let brands = w.scope.brands.clone();
    let unmet = standing::unmet_before_payout(&mut conn, &[w.ada_partner], &brands, NOW.date())
        .await
        .unwrap();
    assert_eq!(
        unmet.values().cloned().collect::<Vec<_>>(),
        [vec!["Company registration".to_owned()]]
    );
    let registration = upload(&mut conn, &w, w.registration, "registry.pdf", PDF)
        .await
        .unwrap();
    decide(&mut conn, &w, registration, Decision::Approve { expires_on: None })
        .await
        .unwrap();
    let unmet = standing::unmet_before_payout(&mut conn, &[w.ada_partner], &brands, NOW.date())
        .await
        .unwrap();
    assert!(unmet.is_empty(), "{unmet:?}");

    // Next year's registration uploaded early: the approved one still counts while it waits,
    // so payouts aren't held meanwhile.
    let renewal = upload(&mut conn, &w, w.registration, "registry-2027.pdf", PDF)
        .await
        .unwrap();
    assert_eq!(
        standing_of(&mut conn, &w, w.registration).await,
        Standing::Renewing { expires_on: None }
    );
    let unmet = standing::unmet_before_payout(&mut conn, &[w.ada_partner], &brands, NOW.date())
        .await
        .unwrap();
    assert!(unmet.is_empty(), "a renewal waiting holds nothing: {unmet:?}");
    decide(&mut conn, &w, renewal, Decision::Approve { expires_on: None })
        .await
        .unwrap();
    assert_eq!(
        standing_of(&mut conn, &w, w.registration).await,
        Standing::Approved { expires_on: None }
    );

    assert_eq!(
        expiry::notify_expired(&mut conn, "https://trellis.test", NOW)
            .await
            .unwrap(),
        0
    );
    let later = NOW + Duration::days(31);
    assert_eq!(
        expiry::notify_expired(&mut conn, "https://trellis.test", later)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        expiry::notify_expired(&mut conn, "https://trellis.test", later)
            .await
            .unwrap(),
        0,
        "once"
    );
    let programs = standing::of_partner(&mut conn, w.ada_partner, later.date())
        .await
        .unwrap();
    let id_standing = programs[0]
        .items
        .iter()
        .find(|i| i.requirement.id == w.id_requirement)
        .unwrap();
    assert_eq!(id_standing.standing, Standing::Expired { on });
    let unmet = standing::unmet_before_payout(&mut conn, &[w.ada_partner], &brands, later.date())
        .await
        .unwrap();
    let names = unmet.into_values().next().unwrap();
    assert_eq!(names, ["Government ID"], "an expired ID holds payouts too");
}
