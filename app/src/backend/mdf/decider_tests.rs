//! Database tests of who decides MDF: a manager decides requests but not claims, finance decides
//! claims but not requests, and whoever approved a request (an admin holds both rights) can't
//! approve its claim. Each refusal leaves every MDF table, the audit trail and the outbox as
//! they were.

use super::claims::{self, ClaimDecision};
use super::requests::{self, Decision};
use super::tests::{act_as, claim_form, d, fixture, operator_of, proof, request_form, Fixture, T0};
use super::Act;
use crate::api::error::AppError;
use crate::backend::flows::RequestMeta;
use crate::backend::testing::TestDb;
use crate::domain::access::OperatorRole;
use diesel::sql_types::Text;
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::macros::datetime;

#[derive(QueryableByName)]
struct Digest {
    #[diesel(sql_type = Text)]
    v: String,
}

/// A digest of every row of the tables a decision touches.
async fn snapshot(conn: &mut AsyncPgConnection) -> Vec<String> {
    let mut digests = Vec::new();
    for table in [
        "mdf_requests",
        "mdf_claims",
        "mdf_balances",
        "mdf_events",
        "audit_events",
        "email_outbox",
    ] {
        let sql = format!("SELECT coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') AS v FROM {table} t");
        digests.push(diesel::sql_query(sql).get_result::<Digest>(conn).await.unwrap().v);
    }
    digests
}

async fn status(conn: &mut AsyncPgConnection, id: i64) -> String {
    diesel::sql_query(format!("SELECT status AS v FROM mdf_requests WHERE id = {id}"))
        .get_result::<Digest>(conn)
        .await
        .unwrap()
        .v
}

/// A request for `amount` from the fixture's partner, approved in full by `approver`, then
/// claimed in full after the activity. Returns its id.
async fn approved_and_claimed(conn: &mut AsyncPgConnection, f: &Fixture, approver: &Act<'_>, amount: i64) -> i64 {
    let meta = RequestMeta::default();
    let partner = act_as(None, &meta, T0);
    let form = request_form(&amount.to_string());
    let request = requests::submit(conn, &partner, f.partner, f.fund, &form)
        .await
        .unwrap();
    requests::decide(conn, approver, &f.all, request.id, &Decision::Approve(d(amount)))
        .await
        .unwrap();
    let after_event = act_as(None, &meta, datetime!(2026-05-12 10:00 UTC));
    let claim = claim_form(&amount.to_string());
    claims::file(conn, &after_event, f.partner, request.id, &claim, &proof())
        .await
        .unwrap();
    request.id
}

#[tokio::test]
async fn a_claim_needs_finance_and_someone_other_than_the_requests_approver() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let f = fixture(&mut conn).await;
    let meta = RequestMeta::default();
    let [manager, finance, admin] = [&f.operator, &f.finance, &f.admin].map(|who| act_as(Some(who), &meta, T0));
    let viewer_user = operator_of(&mut conn, "viewer@x.test", OperatorRole::Viewer).await;
    let viewer = act_as(Some(&viewer_user), &meta, T0);

    // Finance and viewers don't decide requests.
    let partner = act_as(None, &meta, T0);
    let waiting = requests::submit(&mut conn, &partner, f.partner, f.fund, &request_form("100"))
        .await
        .unwrap();
    let before = snapshot(&mut conn).await;
    for who in [&finance, &viewer] {
        let refused = requests::decide(&mut conn, who, &f.all, waiting.id, &Decision::Approve(d(100))).await;
        assert_eq!(refused.unwrap_err(), AppError::Forbidden);
    }
    assert_eq!(snapshot(&mut conn).await, before, "nothing changed");

    // The admin approved the request, so neither a manager nor that admin approves its claim.
    let id = approved_and_claimed(&mut conn, &f, &admin, 300).await;
    let before = snapshot(&mut conn).await;
    for decision in [ClaimDecision::Approve(d(300)), ClaimDecision::Reject("no proof".into())] {
        for who in [&manager, &viewer] {
            let refused = claims::decide(&mut conn, who, &f.all, id, &decision).await;
            assert_eq!(refused.unwrap_err(), AppError::Forbidden);
        }
    }
    let own = claims::decide(&mut conn, &admin, &f.all, id, &ClaimDecision::Approve(d(300))).await;
    assert!(
        matches!(own, Err(AppError::Conflict(ref m)) if m.contains("You approved this request")),
        "{own:?}"
    );
    assert_eq!(snapshot(&mut conn).await, before, "nothing changed");
    assert_eq!(status(&mut conn, id).await, "claimed");

    // Finance, someone else, approves it.
    claims::decide(&mut conn, &finance, &f.all, id, &ClaimDecision::Approve(d(300)))
        .await
        .unwrap();
    assert_eq!(status(&mut conn, id).await, "payable");
}

/// A claim's refusal moves no money: the request's approver, holding finance rights, may
/// reject it; and the claim of a request a manager approved is finance's to approve.
#[tokio::test]
async fn the_requests_approver_may_reject_its_claim_and_finance_approves_a_managers_request() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let f = fixture(&mut conn).await;
    let meta = RequestMeta::default();
    let [manager, finance, admin] = [&f.operator, &f.finance, &f.admin].map(|who| act_as(Some(who), &meta, T0));
    let by_admin = approved_and_claimed(&mut conn, &f, &admin, 200).await;
    let reject = ClaimDecision::Reject("blurry invoice".into());
    claims::decide(&mut conn, &admin, &f.all, by_admin, &reject)
        .await
        .unwrap();
    let back = status(&mut conn, by_admin).await;
    assert_eq!(back, "approved", "back to approved: it may be claimed again");

    let by_manager = approved_and_claimed(&mut conn, &f, &manager, 100).await;
    claims::decide(&mut conn, &finance, &f.all, by_manager, &ClaimDecision::Approve(d(90)))
        .await
        .unwrap();
    assert_eq!(status(&mut conn, by_manager).await, "payable");
}
