//! Test fixture for the home page's queries: two brands, seen on 2026-12-05 at noon UTC.
//! Acme has a EUR program (24 h commission reminder, 72 h escalation, 24 h deal SLA) and a USD
//! program; Globex has a EUR program too, so a query that forgets the scope counts Globex's
//! rows in Acme's euros.

use crate::backend::scope::Scope;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::macros::datetime;
use time::OffsetDateTime;

pub(crate) const NOW: OffsetDateTime = datetime!(2026-12-05 12:00 UTC);

pub(crate) struct Ids {
    pub acme_eur: i64,
    pub acme_usd: i64,
    pub globex_eur: i64,
    pub ada: i64,
    pub bob: i64,
    pub gus: i64,
    pub operator: i64,
}

impl Ids {
    /// An operator limited to Acme.
    pub fn acme(&self) -> Scope {
        Scope {
            all_brands: false,
            brands: vec![],
            programs: vec![self.acme_eur, self.acme_usd],
            focus: None,
        }
    }
}

/// A SQL timestamp `hours` before `NOW`.
pub(crate) fn ago(hours: i64) -> String {
    let t = NOW - time::Duration::hours(hours);
    format!("'{} {:02}:{:02}:00+00'::timestamptz", t.date(), t.hour(), t.minute())
}

pub(crate) async fn execute(conn: &mut AsyncPgConnection, sql: &str) {
    for statement in sql.split(';').filter(|s| !s.trim().is_empty()) {
        diesel::sql_query(statement)
            .execute(conn)
            .await
            .unwrap_or_else(|e| panic!("{e}: {statement}"));
    }
}

#[derive(diesel::QueryableByName)]
struct Id {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
}

pub(crate) async fn id(conn: &mut AsyncPgConnection, sql: &str) -> i64 {
    diesel::sql_query(sql).get_result::<Id>(conn).await.unwrap().id
}

/// The brands, programs, partners and an operator; memberships: Ada active in both Acme
/// programs and applied (long ago) to Globex, Bob applied to Acme EUR and active in Acme USD,
/// Gus active in Globex.
pub(crate) async fn brands(conn: &mut AsyncPgConnection) -> Ids {
    let d = |days: i64| ago(days * 24);
    execute(
        conn,
        "INSERT INTO brands (name, slug) VALUES ('Acme', 'acme'), ('Globex', 'globex');
         INSERT INTO programs (brand_id, name, slug, currency, terms, sla_remind_hours, sla_escalate_hours, deal_sla_hours)
         SELECT b.id, v.name, v.slug, v.currency, 't', v.remind, v.escalate, v.deal
         FROM (VALUES ('acme', 'Acme EUR', 'acme-eur', 'EUR', 24, 72, 24),
                      ('acme', 'Acme USD', 'acme-usd', 'USD', 48, 96, 48),
                      ('globex', 'Globex EUR', 'globex-eur', 'EUR', 48, 96, 48))
              AS v (brand, name, slug, currency, remind, escalate, deal)
         JOIN brands b ON b.slug = v.brand;
         INSERT INTO partners (name, email, kind, country) VALUES
             ('Ada', 'a@x.test', 'creator', 'DE'), ('Bob', 'b@x.test', 'reseller', 'US'), ('Gus', 'g@x.test', 'creator', 'FR');
         INSERT INTO users (email, display_name, kind, operator_role) VALUES ('op@x.test', 'Op', 'operator', 'admin')",
    )
    .await;
    for (partner, program, status, applied) in [
        ("Ada", "acme-eur", "active", d(10)),
        ("Ada", "acme-usd", "active", d(40)),
        ("Ada", "globex-eur", "applied", ago(200)),
        ("Bob", "acme-eur", "applied", ago(72)),
        ("Bob", "acme-usd", "active", d(45)),
        ("Gus", "globex-eur", "active", d(5)),
    ] {
        execute(
            conn,
            &format!(
                "INSERT INTO program_memberships (partner_id, program_id, status, promotion_plan, terms_accepted_at, applied_at)
                 SELECT p.id, g.id, '{status}', 'plan', {applied}, {applied}
                 FROM partners p, programs g WHERE p.name = '{partner}' AND g.slug = '{program}'"
            ),
        )
        .await;
    }
    let program = |slug: &str| format!("SELECT id FROM programs WHERE slug = '{slug}'");
    let partner = |name: &str| format!("SELECT id FROM partners WHERE name = '{name}'");
    Ids {
        acme_eur: id(conn, &program("acme-eur")).await,
        acme_usd: id(conn, &program("acme-usd")).await,
        globex_eur: id(conn, &program("globex-eur")).await,
        ada: id(conn, &partner("Ada")).await,
        bob: id(conn, &partner("Bob")).await,
        gus: id(conn, &partner("Gus")).await,
        operator: id(conn, "SELECT id FROM users WHERE email = 'op@x.test'").await,
    }
}
