//! Segments against a real PostgreSQL: the SQL a filter compiles to picks exactly the partners
//! the pure predicate admits on the same data, over hundreds of generated filters; counts and
//! member ids agree with the members; saves are audited and refused ones change nothing.

use super::segments::{delete, save, set_tags, Draft};
use crate::api::error::AppError;
use crate::backend::auth::AuthUser;
use crate::backend::commissions::tests::number;
use crate::backend::flows::RequestMeta;
use crate::backend::repos::segments as repo;
use crate::backend::repos::users::{self, Account};
use crate::backend::testing::TestDb;
use crate::domain::access::OperatorRole;
use crate::domain::segments::filter::{parse, Fields, Filter};
use diesel_async::AsyncPgConnection;
use time::macros::{date, datetime};
use time::Date;

const TODAY: Date = date!(2026 - 06 - 30);

/// A program with 40 partners of every kind, country, tier and tag mix, four of them suspended,
/// with rollups over the last 120 days, refunds, won deals and old registered deals.
async fn dataset(conn: &mut AsyncPgConnection) -> i64 {
    let program = number(
        conn,
        "WITH b AS (INSERT INTO brands (name, slug) VALUES ('Acme', 'acme') RETURNING id)
         INSERT INTO programs (brand_id, name, slug, currency, terms) SELECT id, 'Acme', 'acme', 'EUR', 't' FROM b RETURNING id AS n",
    )
    .await;
    let sql = format!(
        "WITH p AS (INSERT INTO partners (name, email, kind, country)
                    SELECT 'p' || i, 'p' || i || '@x.test',
                           (ARRAY['affiliate', 'creator', 'reseller', 'referral'])[i % 4 + 1],
                           (ARRAY['DE', 'FR', 'US'])[i % 3 + 1]
                      FROM generate_series(1, 40) i RETURNING id),
              n AS (SELECT id, row_number() OVER (ORDER BY id) AS i FROM p),
              m AS (INSERT INTO program_memberships (partner_id, program_id, status, promotion_plan, terms_accepted_at, tier, tags)
                    SELECT id, {program}, CASE WHEN i % 10 = 0 THEN 'suspended' ELSE 'active' END, 'blog', now(),
                           (ARRAY[NULL, 'Silver', 'Gold', NULL, NULL])[i % 5 + 1],
                           CASE WHEN i % 4 = 0 THEN ARRAY['news', 'q3'] WHEN i % 3 = 0 THEN ARRAY['news'] ELSE '{{}}' END
                      FROM n RETURNING partner_id),
              s AS (INSERT INTO daily_stats (day, program_id, partner_id, link_id, sub1, clicks, unique_clicks, conversions, revenue, commission)
                    SELECT DATE '{TODAY}' - d, {program}, n.id, 0, '', (n.i * 3 + d) % 40, GREATEST((n.i * 3 + d) % 40 - n.i % 4, 0),
                           (n.i + d) % 3, ((n.i + d) % 3) * n.i * 10, ((n.i * 3 + d) % 40) * 0.05 * (n.i % 3)
                      FROM n, generate_series(0, 120, 7 + (n.i % 5)::int) d WHERE n.i % 7 <> 0 RETURNING 1)
         SELECT count(*) AS n FROM s"
    );
    assert!(number(conn, &sql).await > 100);
    let extra = format!(
        "WITH n AS (SELECT partner_id AS id, row_number() OVER (ORDER BY partner_id) AS i FROM program_memberships WHERE program_id = {program}),
              c AS (INSERT INTO conversions (program_id, order_id, event, amount, occurred_at, partner_id, attribution, request)
                    SELECT {program}, 'o' || i, 'sale', 100, TIMESTAMPTZ '{TODAY} 10:00+00' - (i || ' days')::interval, id, 'coupon', '{{}}'
                      FROM n WHERE i % 4 = 1 RETURNING id, partner_id, order_id),
              r AS (INSERT INTO refunds (conversion_id, program_id, refund_id, amount, created_at)
                    SELECT c.id, {program}, 'r' || c.order_id, 100, TIMESTAMPTZ '{TODAY} 12:00+00' - interval '2 days'
                      FROM c JOIN n ON n.id = c.partner_id WHERE n.i % 8 = 1 RETURNING 1),
              w AS (INSERT INTO deals (program_id, partner_id, company, domain, country, contact_name, contact_email,
                                       value, currency, expected_close, status, stage, submitted_at, closed_at)
                    SELECT {program}, id, 'Co ' || i, 'won' || i || '.test', 'DE', 'Eve', 'eve@x.test', 1000, 'EUR', '2026-07-31',
                           'won', 'won', TIMESTAMPTZ '{TODAY} 09:00+00' - (i * 3 || ' days')::interval,
                           TIMESTAMPTZ '{TODAY} 09:00+00' - (i || ' days')::interval
                      FROM n WHERE i % 6 = 2 RETURNING 1),
              o AS (INSERT INTO deals (program_id, partner_id, company, domain, country, contact_name, contact_email,
                                       value, currency, expected_close, submitted_at)
                    SELECT {program}, id, 'Old ' || i, 'old' || i || '.test', 'DE', 'Eve', 'eve@x.test', 500, 'EUR', '2026-07-31',
                           TIMESTAMPTZ '{TODAY} 09:00+00' - interval '200 days'
                      FROM n WHERE i % 7 = 0 RETURNING 1)
         SELECT (SELECT count(*) FROM c) + (SELECT count(*) FROM r) + (SELECT count(*) FROM w) + (SELECT count(*) FROM o) AS n"
    );
    assert!(number(conn, &extra).await > 10);
    program
}

fn draft<'a>(id: Option<i64>, name: &'a str, fields: &'a Fields) -> Draft<'a> {
    Draft { id, name, fields }
}

/// A small deterministic generator, so a failing filter can be replayed from its number.
struct Dice(u64);

impl Dice {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }

    /// One of `values` about a third of the time.
    fn maybe(&mut self, fields: &mut Fields, key: &str, values: &[&str]) {
        if self.next(3) == 0 {
            fields.insert(key.into(), values[self.next(values.len())].into());
        }
    }
}

fn generated(seed: u64) -> Fields {
    let mut dice = Dice(seed);
    let mut fields = Fields::new();
    dice.maybe(&mut fields, "kind", &["affiliate", "creator", "reseller", "referral"]);
    dice.maybe(&mut fields, "tier", &["Silver", "Gold"]);
    dice.maybe(&mut fields, "country", &["DE", "FR", "US"]);
    dice.maybe(&mut fields, "tag", &["news", "q3", "none-has-it"]);
    dice.maybe(&mut fields, "window_days", &["7", "30", "90", "120"]);
    dice.maybe(&mut fields, "min_revenue", &["0", "100", "1000", "2500.50"]);
    dice.maybe(&mut fields, "min_conversions", &["0", "1", "5", "20"]);
    dice.maybe(&mut fields, "min_epc", &["0", "0.02", "0.05", "0.1"]);
    dice.maybe(&mut fields, "min_won_deals", &["0", "1", "2"]);
    dice.maybe(&mut fields, "max_refund_rate", &["0", "5", "50", "100"]);
    dice.maybe(&mut fields, "max_bot_share", &["0", "5", "10", "50"]);
    dice.maybe(&mut fields, "active_within_days", &["3", "14", "60", "365"]);
    dice.maybe(&mut fields, "inactive_for_days", &["1", "2", "10", "100"]);
    dice.maybe(&mut fields, "onboarding", &["activated", "not_activated"]);
    fields
}

#[tokio::test]
async fn the_sql_picks_exactly_whom_the_predicate_admits() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let program = dataset(&mut conn).await;
    let tiers = vec!["Silver".to_owned(), "Gold".to_owned()];
    let mut nonempty = 0;
    for seed in 0..300u64 {
        let Ok(filter) = parse(&generated(seed), &tiers) else {
            continue; // a generated pair like active-within 3 and idle-for 10 is refused
        };
        let everyone = Filter {
            window_days: filter.window_days,
            ..Filter::default()
        };
        let facts = repo::members(&mut conn, program, &everyone, TODAY, None).await.unwrap();
        assert_eq!(facts.len(), 36, "the active members only");
        let expected: Vec<i64> = facts
            .iter()
            .filter(|m| filter.admits(&m.facts, TODAY))
            .map(|m| m.facts.partner_id)
            .collect();
        let members = repo::members(&mut conn, program, &filter, TODAY, None).await.unwrap();
        let got: Vec<i64> = members.iter().map(|m| m.facts.partner_id).collect();
        assert_eq!(got, expected, "seed {seed}: {filter:?}");
        let first = repo::members(&mut conn, program, &filter, TODAY, Some(3))
            .await
            .unwrap();
        assert_eq!(
            first,
            members.iter().take(3).cloned().collect::<Vec<_>>(),
            "a preview is the first few"
        );
        let mut ids = expected.clone();
        ids.sort_unstable();
        assert_eq!(
            repo::member_ids(&mut conn, program, &filter, TODAY).await.unwrap(),
            ids,
            "seed {seed}"
        );
        assert_eq!(
            repo::count(&mut conn, program, &filter, TODAY).await.unwrap(),
            expected.len() as i64,
            "seed {seed}"
        );
        nonempty += usize::from(!expected.is_empty() && expected.len() < 36);
    }
    assert!(
        nonempty > 50,
        "the generated filters split the partners ({nonempty} did)"
    );
}

/// A window's figures read whole weeks from partner_weeks and the days at either end from
/// daily_stats: for windows that start and end on every weekday, they equal the days summed.
#[tokio::test]
async fn window_figures_equal_the_days_summed() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let program = dataset(&mut conn).await;
    assert_eq!(crate::backend::repos::stats::weeks_drift(&mut conn).await.unwrap(), 0);
    for (today, window_days) in [(TODAY, 7), (TODAY, 30), (TODAY, 90), (TODAY, 120)]
        .into_iter()
        .chain((0..7).map(|back: i32| (TODAY - time::Duration::days(back.into()), 13 + back)))
    {
        let everyone = Filter {
            window_days,
            ..Filter::default()
        };
        let start = everyone.window_start(today);
        for member in repo::members(&mut conn, program, &everyone, today, None).await.unwrap() {
            let f = &member.facts;
            let sql = format!(
                "SELECT concat_ws('/', COALESCE(sum(revenue), 0), COALESCE(sum(commission), 0), COALESCE(sum(conversions), 0),
                                  COALESCE(sum(clicks), 0), COALESCE(sum(clicks - unique_clicks), 0)) AS v
                   FROM daily_stats WHERE program_id = {program} AND partner_id = {} AND day BETWEEN '{start}' AND '{today}'",
                f.partner_id
            );
            let got = format!(
                "{}/{}/{}/{}/{}",
                f.revenue, f.commission, f.conversions, f.clicks, f.bot_clicks
            );
            assert_eq!(got, text(&mut conn, &sql).await, "{window_days} days to {today}");
        }
    }
}

async fn text(conn: &mut AsyncPgConnection, sql: &str) -> String {
    #[derive(diesel::QueryableByName)]
    struct Text {
        #[diesel(sql_type = diesel::sql_types::Text)]
        v: String,
    }
    let row: Text = diesel_async::RunQueryDsl::get_result(diesel::sql_query(sql), conn)
        .await
        .unwrap();
    row.v
}

#[tokio::test]
async fn saves_are_audited_and_refused_ones_change_nothing() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let program = dataset(&mut conn).await;
    let row = users::insert_operator(&mut conn, "ops@x.test", "Ops", OperatorRole::Admin, "h")
        .await
        .unwrap();
    let operator = AuthUser {
        brand_scoped: false,
        id: row.id,
        email: row.email,
        display_name: "Ops".into(),
        account: Account::Operator(OperatorRole::Admin),
    };
    let meta = RequestMeta::default();
    let now = datetime!(2026-06-30 10:00 UTC);
    let fields =
        |pairs: &[(&str, &str)]| -> Fields { pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect() };
    let audits = "SELECT count(*) AS n FROM audit_events WHERE subject_type = 'segment'";

    let german = fields(&[("kind", "creator"), ("country", "de")]);
    let id = save(
        &mut conn,
        &operator,
        &meta,
        program,
        &draft(None, "German creators", &german),
        now,
    )
    .await
    .unwrap();
    let saved = repo::find(&mut conn, program, id).await.unwrap().unwrap();
    assert_eq!(
        saved.fields().get("country").map(String::as_str),
        Some("DE"),
        "stored as parsed"
    );

    for (name, pairs, field) in [
        ("German creators", vec![("kind", "creator")], "name"),
        ("", vec![], "name"),
        ("Typo", vec![("contry", "DE")], "filter"),
        ("Unknown tier", vec![("tier", "Platinum")], "tier"),
    ] {
        let typed = fields(&pairs);
        let refused = save(&mut conn, &operator, &meta, program, &draft(None, name, &typed), now).await;
        let Err(AppError::Invalid(errors)) = refused else {
            panic!("{name}: expected field errors, got {refused:?}")
        };
        assert!(errors.get(field).is_some(), "{name}: {errors:?}");
    }
    let empty = Fields::new();
    let other = save(
        &mut conn,
        &operator,
        &meta,
        program + 1,
        &draft(Some(id), "Moved", &empty),
        now,
    )
    .await;
    assert!(
        matches!(other, Err(AppError::NotFound(_))),
        "another program's segment is not found"
    );
    assert_eq!(repo::list(&mut conn, program).await.unwrap().len(), 1);
    assert_eq!(number(&mut conn, audits).await, 1);

    delete(&mut conn, &operator, &meta, program, id).await.unwrap();
    assert!(repo::list(&mut conn, program).await.unwrap().is_empty());
    assert_eq!(number(&mut conn, audits).await, 2);

    // Tags: parsed, replaced whole, refused when odd, and a stranger is not found.
    let partner = number(
        &mut conn,
        &format!("SELECT min(partner_id) AS n FROM program_memberships WHERE program_id = {program}"),
    )
    .await;
    let tags = set_tags(&mut conn, &operator, &meta, program, partner, "VIP, q3")
        .await
        .unwrap();
    assert_eq!(tags, vec!["vip".to_owned(), "q3".to_owned()]);
    assert!(matches!(
        set_tags(&mut conn, &operator, &meta, program, partner, "two words").await,
        Err(AppError::Invalid(_))
    ));
    assert!(matches!(
        set_tags(&mut conn, &operator, &meta, program + 1, partner, "vip").await,
        Err(AppError::NotFound(_))
    ));
    let tagged = fields(&[("tag", "vip")]);
    let filter = parse(&tagged, &[]).unwrap();
    assert_eq!(
        repo::member_ids(&mut conn, program, &filter, TODAY).await.unwrap(),
        vec![partner]
    );
}
