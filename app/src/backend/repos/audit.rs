//! The audit trail. Rows are only ever inserted; PostgreSQL refuses anything else.

use super::{like_pattern, page_window, Page};
use crate::backend::schema::audit_events;
use crate::backend::scope::Scope;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::Value;
use time::OffsetDateTime;

/// Who did something: a user, or the system / an anonymous applicant (no user id).
#[derive(Clone, Debug)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub label: String,
}

impl Actor {
    pub fn user(user_id: i64, email: &str) -> Self {
        Self {
            user_id: Some(user_id),
            label: email.to_owned(),
        }
    }

    pub fn system(label: &str) -> Self {
        Self {
            user_id: None,
            label: label.to_owned(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct NewEvent<'a> {
    pub actor: &'a Actor,
    pub action: &'a str,
    pub subject_type: &'a str,
    pub subject_id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub request_id: Option<&'a str>,
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = audit_events)]
pub struct EventRow {
    pub id: i64,
    pub occurred_at: OffsetDateTime,
    pub actor_label: String,
    pub action: String,
    pub subject_type: String,
    pub subject_id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub request_id: Option<String>,
    pub ip: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct EventFilter {
    pub action: Option<String>,
    pub actor: Option<String>,
    pub subject_type: Option<String>,
    pub subject_id: Option<String>,
    pub page: i64,
    pub per_page: i64,
}

pub async fn record(conn: &AsyncPgConnection, event: NewEvent<'_>) -> QueryResult<()> {
    insert(conn, event, None).await
}

/// The same, with the client address of the request behind it (uploads, and every MDF step).
/// An address the server couldn't tell ("unknown", empty) is stored as none.
pub async fn record_with_ip(conn: &mut AsyncPgConnection, event: NewEvent<'_>, ip: &str) -> QueryResult<()> {
    let ip = ip.trim();
    insert(conn, event, Some(ip).filter(|ip| !ip.is_empty() && *ip != "unknown")).await
}

async fn insert(mut conn: &AsyncPgConnection, event: NewEvent<'_>, ip: Option<&str>) -> QueryResult<()> {
    diesel::insert_into(audit_events::table)
        .values((
            audit_events::actor_user_id.eq(event.actor.user_id),
            audit_events::actor_label.eq(&event.actor.label),
            audit_events::action.eq(event.action),
            audit_events::subject_type.eq(event.subject_type),
            audit_events::subject_id.eq(&event.subject_id),
            audit_events::before.eq(event.before),
            audit_events::after.eq(event.after),
            audit_events::request_id.eq(event.request_id),
            audit_events::ip.eq(ip),
        ))
        .execute(&mut conn)
        .await
        .map(|_| ())
}

/// The events an operator may read: every one for those who see every brand (including events
/// of no brand, such as logins and operator changes), otherwise only their brands' events (or
/// the one brand they narrowed the console to).
fn visible<'a>(scope: &Scope) -> audit_events::BoxedQuery<'a, diesel::pg::Pg> {
    let query = audit_events::table.into_boxed();
    if scope.sees_everything() {
        query
    } else {
        query.filter(audit_events::brand_id.eq_any(scope.brands.clone()))
    }
}

fn filtered<'a>(scope: &Scope, filter: &EventFilter) -> audit_events::BoxedQuery<'a, diesel::pg::Pg> {
    let mut query = visible(scope);
    if let Some(action) = &filter.action {
        query = query.filter(audit_events::action.eq(action.clone()));
    }
    if let Some(actor) = &filter.actor {
        query = query.filter(audit_events::actor_label.ilike(like_pattern(actor)));
    }
    if let Some(subject_type) = &filter.subject_type {
        query = query.filter(audit_events::subject_type.eq(subject_type.clone()));
    }
    if let Some(subject_id) = &filter.subject_id {
        query = query.filter(audit_events::subject_id.eq(subject_id.clone()));
    }
    query
}

pub async fn list(conn: &mut AsyncPgConnection, scope: &Scope, filter: &EventFilter) -> QueryResult<Page<EventRow>> {
    let total = filtered(scope, filter).count().get_result(conn).await?;
    let (offset, limit) = page_window(filter.page, filter.per_page);
    let rows = filtered(scope, filter)
        .order(audit_events::id.desc())
        .offset(offset)
        .limit(limit)
        .select(EventRow::as_select())
        .load(conn)
        .await?;
    Ok(Page { rows, total })
}

/// The distinct actions recorded so far in the events the operator may read, for the filter
/// menu.
pub async fn actions(conn: &mut AsyncPgConnection, scope: &Scope) -> QueryResult<Vec<String>> {
    visible(scope)
        .select(audit_events::action)
        .distinct()
        .order(audit_events::action.asc())
        .load(conn)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::testing::TestDb;
    use diesel::sql_query;

    async fn one_event(conn: &mut AsyncPgConnection) {
        let actor = Actor::system("seed");
        record(
            conn,
            NewEvent {
                actor: &actor,
                action: "membership.approve",
                subject_type: "membership",
                subject_id: "1".into(),
                before: Some(serde_json::json!({"status": "applied"})),
                after: Some(serde_json::json!({"status": "active"})),
                request_id: Some("req-1"),
            },
        )
        .await
        .unwrap();
    }

    #[tokio::test]
    async fn events_are_listed_and_filtered() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        one_event(&mut conn).await;
        let everything = Scope::everything(&mut conn).await.unwrap();
        let all = list(
            &mut conn,
            &everything,
            &EventFilter {
                page: 1,
                per_page: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(all.total, 1);
        assert_eq!(all.rows[0].after, Some(serde_json::json!({"status": "active"})));
        let none = EventFilter {
            action: Some("login".into()),
            page: 1,
            per_page: 10,
            ..Default::default()
        };
        assert_eq!(list(&mut conn, &everything, &none).await.unwrap().total, 0);
        assert_eq!(actions(&mut conn, &everything).await.unwrap(), ["membership.approve"]);
    }

    #[tokio::test]
    async fn the_client_address_is_kept_when_known() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let actor = Actor::system("test");
        for ip in ["203.0.113.9", "unknown", ""] {
            let event = NewEvent {
                actor: &actor,
                action: "mdf.claim",
                subject_type: "mdf_request",
                subject_id: "1".into(),
                before: None,
                after: None,
                request_id: None,
            };
            record_with_ip(&mut conn, event, ip).await.unwrap();
        }
        one_event(&mut conn).await;
        let filter = EventFilter {
            page: 1,
            per_page: 10,
            ..Default::default()
        };
        let everything = Scope::everything(&mut conn).await.unwrap();
        let ips: Vec<Option<String>> = list(&mut conn, &everything, &filter)
            .await
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.ip)
            .collect();
        assert_eq!(ips, [None, None, None, Some("203.0.113.9".to_owned())]);
    }

    #[tokio::test]
    async fn postgres_refuses_update_delete_and_truncate() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        one_event(&mut conn).await;
        for statement in [
            "UPDATE audit_events SET action = 'forged'",
            "DELETE FROM audit_events",
            "TRUNCATE audit_events",
        ] {
            let err = sql_query(statement).execute(&mut conn).await.unwrap_err();
            assert!(err.to_string().contains("append-only"), "{statement}: {err}");
        }
        let everything = Scope::everything(&mut conn).await.unwrap();
        let rows = list(
            &mut conn,
            &everything,
            &EventFilter {
                page: 1,
                per_page: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!((rows.total, rows.rows[0].action.as_str()), (1, "membership.approve"));
    }

    #[tokio::test]
    async fn a_scoped_operator_reads_only_their_brands_events() {
        use crate::backend::repos::testing_ledger::{other_brand, program_with_partners, scope_of};
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let (acme, _) = program_with_partners(&mut conn).await;
        let (globex, _) = other_brand(&mut conn).await;
        let actor = Actor::system("test");
        for (action, subject_type, subject_id) in [
            ("program.acme", "program", acme.to_string()),
            ("program.globex", "program", globex.to_string()),
            ("login", "user", "1".to_owned()),
        ] {
            let event = NewEvent {
                actor: &actor,
                action,
                subject_type,
                subject_id,
                before: None,
                after: None,
                request_id: None,
            };
            record(&conn, event).await.unwrap();
        }
        let filter = EventFilter {
            page: 1,
            per_page: 10,
            ..Default::default()
        };
        let everything = Scope::everything(&mut conn).await.unwrap();
        let acme_only = scope_of(&mut conn, acme).await;
        let seen = |page: Page<EventRow>| page.rows.into_iter().map(|e| e.action).collect::<Vec<_>>();
        assert_eq!(
            seen(list(&mut conn, &everything, &filter).await.unwrap()),
            ["login", "program.globex", "program.acme"],
            "every event, those of no brand too"
        );
        assert_eq!(
            seen(list(&mut conn, &acme_only, &filter).await.unwrap()),
            ["program.acme"]
        );
        assert_eq!(actions(&mut conn, &acme_only).await.unwrap(), ["program.acme"]);
        let by_subject = EventFilter {
            subject_type: Some("program".into()),
            subject_id: Some(globex.to_string()),
            ..filter
        };
        assert_eq!(list(&mut conn, &acme_only, &by_subject).await.unwrap().total, 0);
    }
}
