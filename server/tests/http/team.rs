//! Partner teams: an owner invites people with a role, the invited person chooses a password
//! from a single-use link, roles decide what each sees (finance sees payouts, members don't),
//! and the team's rules hold (admins don't touch owners, the last owner stays, another
//! partner's people are not found). Every refusal leaves the database as it was.

use crate::support::{Browser, TestApp, DEMO_PASSWORD};
use app::api::auth::SetPassword;
use app::api::my_payouts::MyPayouts;
use app::api::team::{ChangeTeammate, InviteTeammate, MyTeam};
use axum::http::StatusCode;
use leptos::server_fn::ServerFn;

const ANA: &str = "ana@brightreviews.test";

/// What a refused change must leave as it was.
async fn footprint(app: &TestApp) -> String {
    app.text(
        "SELECT string_agg(email || ':' || partner_role || ':' || is_active, ',' ORDER BY id) \
         || '|' || (SELECT count(*) FROM email_outbox) || '|' || (SELECT count(*) FROM password_tokens) \
         || '|' || (SELECT count(*) FROM audit_events WHERE action LIKE 'partner_user.%') AS v \
         FROM users WHERE kind = 'partner'",
    )
    .await
}

async fn id_of(app: &TestApp, email: &str) -> String {
    app.number(&format!("SELECT id AS n FROM users WHERE email = '{email}'"))
        .await
        .to_string()
}

async fn invite(by: &mut Browser, name: &str, email: &str, role: &str) -> crate::support::Reply {
    by.submit(
        InviteTeammate::PATH,
        &[("name", name), ("email", email), ("role", role)],
    )
    .await
}

/// The invitation's token, from the email sent to `email`.
async fn invitation_token(app: &TestApp, email: &str) -> String {
    let mail = app
        .text(&format!(
            "SELECT body_text AS v FROM email_outbox WHERE to_address = '{email}' ORDER BY id DESC LIMIT 1"
        ))
        .await;
    let link = mail
        .split_whitespace()
        .find(|w| w.contains("/set-password?token="))
        .expect("a set-password link");
    link.split("token=").nth(1).unwrap().to_owned()
}

async fn set_password(app: &TestApp, token: &str) -> crate::support::Reply {
    app.browser()
        .submit(
            SetPassword::PATH,
            &[
                ("token", token),
                ("password", DEMO_PASSWORD),
                ("password_confirm", DEMO_PASSWORD),
            ],
        )
        .await
}

#[tokio::test]
async fn an_owner_builds_a_team_whose_roles_decide_who_sees_money() {
    let app = TestApp::seeded().await;
    let mut ana = app.logged_in(ANA).await;
    let invited = invite(&mut ana, "Fay Finance", "fay@brightreviews.test", "finance").await;
    assert_eq!(invited.status, StatusCode::OK, "{}", invited.body);
    assert!(invited.body.contains("Invitation sent to fay@brightreviews.test"));
    let mail = app
        .text("SELECT subject AS v FROM email_outbox WHERE to_address = 'fay@brightreviews.test'")
        .await;
    assert_eq!(mail, "Join Bright Reviews in its partner portal");
    let team = ana.fetch(MyTeam::PATH).await.body;
    assert!(
        team.contains("\"invited\":true") && team.contains("Fay Finance"),
        "{team}"
    );
    // Inviting again before she chose a password sends a new link (one invitation, one person).
    let resent = invite(&mut ana, "Fay Finance", "fay@brightreviews.test", "finance").await;
    assert_eq!(resent.status, StatusCode::OK, "{}", resent.body);
    assert_eq!(
        app.number("SELECT count(*) AS n FROM users WHERE email = 'fay@brightreviews.test'")
            .await,
        1
    );

    // The link works once.
    let token = invitation_token(&app, "fay@brightreviews.test").await;
    let set = set_password(&app, &token).await;
    assert!(set.status.is_success() || set.status.is_redirection(), "{}", set.body);
    let again = set_password(&app, &token).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST, "a used link: {}", again.body);
    assert!(
        again.body.contains("expired or has already been used"),
        "{}",
        again.body
    );

    // Finance sees payouts but not where they go; a member sees neither.
    let mut fay = app.logged_in("fay@brightreviews.test").await;
    assert_eq!(fay.fetch(MyPayouts::PATH).await.status, StatusCode::OK);
    let page = fay.get("/portal/payouts").await.body;
    assert!(page.contains("Payout details are for your account"), "{page}");
    invite(&mut ana, "Max Member", "max@brightreviews.test", "member").await;
    let token = invitation_token(&app, "max@brightreviews.test").await;
    set_password(&app, &token).await;
    let mut max = app.logged_in("max@brightreviews.test").await;
    assert_eq!(max.fetch(MyPayouts::PATH).await.status, StatusCode::FORBIDDEN);
    let team = max.get("/portal/team").await;
    assert_eq!(team.status, StatusCode::OK);
    assert!(team.body.contains("Fay Finance") && !team.body.contains("Send invitation"));

    // Made an admin, Max invites; removed, his session ends at once.
    let max_id = id_of(&app, "max@brightreviews.test").await;
    let promoted = ana
        .submit(
            ChangeTeammate::PATH,
            &[("id", &max_id), ("what", "role"), ("role", "admin")],
        )
        .await;
    assert_eq!(promoted.status, StatusCode::OK, "{}", promoted.body);
    assert!(promoted.body.contains("Max Member's role is now Admin"));
    let by_admin = invite(&mut max, "Ida", "ida@brightreviews.test", "member").await;
    assert_eq!(by_admin.status, StatusCode::OK, "{}", by_admin.body);
    let removed = ana
        .submit(ChangeTeammate::PATH, &[("id", &max_id), ("what", "remove")])
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    assert_eq!(max.get("/portal").await.status, StatusCode::SEE_OTHER, "signed out");
    // Invited again, he comes back with the new role and a new link.
    let back = invite(&mut ana, "Max Member", "max@brightreviews.test", "finance").await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.body);
    let role = app
        .text("SELECT partner_role || ':' || is_active || ':' || (password_hash IS NULL) AS v FROM users WHERE email = 'max@brightreviews.test'")
        .await;
    assert_eq!(role, "finance:true:true");

    let actions = app
        .text("SELECT string_agg(action, ',' ORDER BY id) AS v FROM audit_events WHERE action LIKE 'partner_user.%'")
        .await;
    assert_eq!(
        actions,
        "partner_user.invite,partner_user.invite,partner_user.invite,partner_user.role,partner_user.invite,partner_user.remove,partner_user.invite"
    );
}

#[tokio::test]
async fn the_team_rules_hold_and_refusals_change_nothing() {
    let app = TestApp::seeded().await;
    let mut ana = app.logged_in(ANA).await;
    for (email, role) in [
        ("adam@brightreviews.test", "admin"),
        ("mo@brightreviews.test", "member"),
    ] {
        invite(&mut ana, "X", email, role).await;
        let token = invitation_token(&app, email).await;
        set_password(&app, &token).await;
    }
    let mut adam = app.logged_in("adam@brightreviews.test").await;
    let mut mo = app.logged_in("mo@brightreviews.test").await;
    let (ana_id, mo_id) = (id_of(&app, ANA).await, id_of(&app, "mo@brightreviews.test").await);
    let northwind = id_of(&app, "ops@northwind.test").await;
    // An owner invited who hasn't chosen a password yet.
    let pending_owner = invite(&mut ana, "Olga", "olga@brightreviews.test", "owner").await;
    assert_eq!(pending_owner.status, StatusCode::OK, "{}", pending_owner.body);
    let before = footprint(&app).await;

    // Bad input: a missing name, a bad email, an unknown role, an address already in use.
    for (name, email, role, field) in [
        ("", "new@brightreviews.test", "member", "Name"),
        ("N", "not an email", "member", "email"),
        ("N", "new@brightreviews.test", "boss", "Choose a role"),
        ("N", "mo@brightreviews.test", "member", "already on your team"),
        ("N", "ops@northwind.test", "member", "already signs in elsewhere"),
        ("N", "admin@acme.test", "member", "already signs in elsewhere"),
    ] {
        let reply = invite(&mut ana, name, email, role).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{email} {role}");
        assert!(reply.body.contains(field), "{field}: {}", reply.body);
    }
    // A member invites nobody and changes nobody.
    assert_eq!(
        invite(&mut mo, "N", "new@brightreviews.test", "member").await.status,
        StatusCode::FORBIDDEN
    );
    let by_member = mo
        .submit(ChangeTeammate::PATH, &[("id", &ana_id), ("what", "remove")])
        .await;
    assert_eq!(by_member.status, StatusCode::FORBIDDEN);
    // An admin neither makes nor touches an owner.
    let owner_invite = invite(&mut adam, "N", "new@brightreviews.test", "owner").await;
    assert_eq!(owner_invite.status, StatusCode::BAD_REQUEST);
    assert!(owner_invite.body.contains("Only an owner can make someone an owner"));
    for (what, role) in [("remove", ""), ("role", "member")] {
        let reply = adam
            .submit(ChangeTeammate::PATH, &[("id", &ana_id), ("what", what), ("role", role)])
            .await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{what}");
        assert!(reply.body.contains("Only an owner can change or remove an owner"));
    }
    // Nor by inviting an owner's address again (one invited who hasn't chosen a password yet).
    let reinvite = invite(&mut adam, "Olga", "olga@brightreviews.test", "member").await;
    assert_eq!(reinvite.status, StatusCode::BAD_REQUEST);
    assert!(reinvite.body.contains("Only an owner can change or remove an owner"));
    let make_owner = adam
        .submit(
            ChangeTeammate::PATH,
            &[("id", &mo_id), ("what", "role"), ("role", "owner")],
        )
        .await;
    assert_eq!(make_owner.status, StatusCode::CONFLICT);
    // The last owner can't leave or stop being an owner.
    for (what, role) in [("remove", ""), ("role", "finance")] {
        let reply = ana
            .submit(ChangeTeammate::PATH, &[("id", &ana_id), ("what", what), ("role", role)])
            .await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{what}");
        assert!(reply.body.contains("You are the last owner"), "{}", reply.body);
    }
    // Another partner's person, or nobody, is not found; an unknown change is refused.
    for id in [northwind.as_str(), "999999"] {
        let reply = ana
            .submit(ChangeTeammate::PATH, &[("id", id), ("what", "remove")])
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{id}");
    }
    let unknown = ana
        .submit(ChangeTeammate::PATH, &[("id", &mo_id), ("what", "promote")])
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert_eq!(footprint(&app).await, before, "nothing changed");

    // An expired invitation link chooses no password.
    invite(&mut ana, "Late", "late@brightreviews.test", "member").await;
    let token = invitation_token(&app, "late@brightreviews.test").await;
    app.execute("UPDATE password_tokens SET expires_at = now() - interval '1 minute' WHERE used_at IS NULL")
        .await;
    let late = set_password(&app, &token).await;
    assert_eq!(late.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        app.text("SELECT (password_hash IS NULL)::text AS v FROM users WHERE email = 'late@brightreviews.test'")
            .await,
        "true"
    );

    // With a second owner, the first may step down.
    let second = ana
        .submit(
            ChangeTeammate::PATH,
            &[("id", &mo_id), ("what", "role"), ("role", "owner")],
        )
        .await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.body);
    let step_down = ana
        .submit(
            ChangeTeammate::PATH,
            &[("id", &ana_id), ("what", "role"), ("role", "finance")],
        )
        .await;
    assert_eq!(step_down.status, StatusCode::OK, "{}", step_down.body);
}
