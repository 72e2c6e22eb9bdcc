//! The one-pass report against a plain recount: random rollups over two programs, three
//! partners, links and sub-ids, read back for a period, for one partner and for the program.

use super::reports::{summary, Scope, Totals};
use super::stats::{self, Delta, StatKey};
use super::testing_ledger;
use crate::backend::testing::TestDb;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use time::macros::date;
use time::{Date, Duration};

fn add(into: &mut Totals, delta: &Delta) {
    into.clicks += delta.clicks;
    into.unique_clicks += delta.unique_clicks;
    into.conversions += delta.conversions;
    into.revenue += delta.revenue;
    into.commission += delta.commission;
}

#[tokio::test]
async fn one_pass_matches_a_recount_of_every_grouping() {
    let db = TestDb::new().await;
    let conn = &mut *db.conn().await;
    let (program, [ada, bob]) = testing_ledger::program_with_partners(conn).await;
    let (other_program, _) = testing_ledger::other_brand(conn).await;
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let start = date!(2026 - 10 - 01);
    let mut deltas = Vec::new();
    for _ in 0..400 {
        let partner = [Some(ada), Some(bob), None][rng.gen_range(0..3)];
        let key = StatKey {
            program_id: if rng.gen_bool(0.9) { program } else { other_program },
            partner_id: partner.unwrap_or(0),
            day: start + Duration::days(rng.gen_range(0..60)),
            link_id: rng.gen_range(0..5),
            sub1: ["", "email", "social"][rng.gen_range(0..3)].to_owned(),
            creative_id: rng.gen_range(0..3),
        };
        let delta = Delta {
            clicks: rng.gen_range(0..50),
            unique_clicks: rng.gen_range(0..40),
            conversions: rng.gen_range(0..3),
            revenue: Decimal::new(rng.gen_range(0..100_000), 2),
            commission: Decimal::new(rng.gen_range(0..10_000), 2),
        };
        deltas.push((key, delta));
    }
    // One at a time: keys repeat, and their rows accumulate.
    for delta in &deltas {
        stats::add(&*conn, std::slice::from_ref(delta)).await.unwrap();
    }

    let (from, to) = (date!(2026 - 10 - 15), date!(2026 - 11 - 14));
    for partner_id in [None, Some(ada)] {
        let scope = Scope {
            program_id: program,
            partner_id,
            from,
            to,
        };
        let got = summary(conn, &scope, if partner_id.is_none() { 2 } else { 0 })
            .await
            .unwrap();
        let mut totals = Totals::default();
        let mut days: BTreeMap<Date, Totals> = BTreeMap::new();
        let mut links: BTreeMap<i64, Totals> = BTreeMap::new();
        let mut subs: BTreeMap<String, Totals> = BTreeMap::new();
        let mut partners: BTreeMap<i64, Totals> = BTreeMap::new();
        let mut creatives: BTreeMap<i64, Totals> = BTreeMap::new();
        for (key, delta) in &deltas {
            let in_scope = key.program_id == program
                && (from..=to).contains(&key.day)
                && partner_id.is_none_or(|p| p == key.partner_id);
            if !in_scope {
                continue;
            }
            add(&mut totals, delta);
            add(days.entry(key.day).or_default(), delta);
            add(links.entry(key.link_id).or_default(), delta);
            add(subs.entry(key.sub1.clone()).or_default(), delta);
            if key.partner_id != 0 {
                add(partners.entry(key.partner_id).or_default(), delta);
            }
            if key.creative_id != 0 {
                add(creatives.entry(key.creative_id).or_default(), delta);
            }
        }
        assert_eq!(got.totals, totals);
        assert_eq!(got.days, days.into_iter().collect::<Vec<_>>());
        let mut got_links: Vec<(i64, Totals)> = got.by_link.iter().map(|(id, _, t)| (*id, t.clone())).collect();
        got_links.sort_by_key(|(id, _)| *id);
        assert_eq!(got_links, links.into_iter().collect::<Vec<_>>());
        assert!(
            got.by_link.windows(2).all(|w| w[0].2.clicks >= w[1].2.clicks),
            "most clicks first"
        );
        let mut got_subs = got.by_sub1.clone();
        got_subs.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(got_subs, subs.into_iter().collect::<Vec<_>>());
        let mut got_creatives: Vec<(i64, Totals)> = got.by_creative.iter().map(|(id, _, t)| (*id, t.clone())).collect();
        got_creatives.sort_by_key(|(id, _)| *id);
        assert_eq!(
            got_creatives,
            creatives.into_iter().collect::<Vec<_>>(),
            "creative 0 (none) is left out"
        );
        if partner_id.is_none() {
            let mut expected: Vec<(i64, Totals)> = partners.into_iter().collect();
            expected.sort_by_key(|(_, t)| std::cmp::Reverse(t.commission));
            let names: Vec<&str> = got.top_partners.iter().map(|(_, name, _)| name.as_str()).collect();
            assert_eq!(got.top_partners.len(), 2);
            assert_eq!(got.top_partners[0].0, expected[0].0, "{names:?}");
            assert_eq!(got.top_partners[0].2, expected[0].1);
            assert!(names.contains(&"Ada Media") && names.contains(&"Bob Deals"));
        } else {
            assert!(got.top_partners.is_empty());
        }
    }
}

#[tokio::test]
async fn an_empty_period_reports_zeros() {
    let db = TestDb::new().await;
    let conn = &mut *db.conn().await;
    let (program, _) = testing_ledger::program_with_partners(conn).await;
    let scope = Scope {
        program_id: program,
        partner_id: None,
        from: date!(2026 - 01 - 01),
        to: date!(2026 - 01 - 31),
    };
    let got = summary(conn, &scope, 10).await.unwrap();
    assert_eq!(got, Default::default());
}
