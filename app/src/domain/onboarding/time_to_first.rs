//! Time to first: how many days partners take from approval to their first click, first
//! conversion and first won deal, summed up per cohort (the month of approval) and per program.

use crate::domain::format;
use std::collections::BTreeMap;
use time::Date;

/// One approved membership and the days it reached each milestone (`None`: not yet).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Start {
    pub program_id: i64,
    pub program: String,
    pub partner: String,
    pub approved_on: Date,
    pub first_click: Option<Date>,
    pub first_conversion: Option<Date>,
    pub first_won_deal: Option<Date>,
}

/// How many partners reached a milestone, and the median days they took.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reach {
    pub reached: u32,
    pub median_days: Option<i64>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Milestones {
    pub partners: u32,
    pub click: Reach,
    pub conversion: Reach,
    pub won_deal: Reach,
}

/// Days from approval to `day`; a milestone on the day of approval (or, for daily figures,
/// seemingly before it) counts as day 0.
pub fn days_after(approved_on: Date, day: Date) -> i64 {
    (day - approved_on).whole_days().max(0)
}

fn reach<'a>(starts: &[&'a Start], milestone: impl Fn(&'a Start) -> Option<Date>) -> Reach {
    let mut days: Vec<i64> = starts
        .iter()
        .filter_map(|s| milestone(s).map(|d| days_after(s.approved_on, d)))
        .collect();
    days.sort_unstable();
    // The lower middle for an even count: a median that is always one partner's real figure.
    let median_days = (!days.is_empty()).then(|| days[(days.len() - 1) / 2]);
    Reach {
        reached: days.len() as u32,
        median_days,
    }
}

/// The milestones of a group of memberships.
pub fn summarize(starts: &[&Start]) -> Milestones {
    Milestones {
        partners: starts.len() as u32,
        click: reach(starts, |s| s.first_click),
        conversion: reach(starts, |s| s.first_conversion),
        won_deal: reach(starts, |s| s.first_won_deal),
    }
}

/// Per cohort, newest first: `("Nov 2026", milestones)`.
pub fn by_cohort(starts: &[Start]) -> Vec<(String, Milestones)> {
    let mut groups: BTreeMap<Date, Vec<&Start>> = BTreeMap::new();
    for s in starts {
        let first_of_month = s.approved_on.replace_day(1).unwrap_or(s.approved_on);
        groups.entry(first_of_month).or_default().push(s);
    }
    groups
        .into_iter()
        .rev()
        .map(|(month, group)| (format::month(month), summarize(&group)))
        .collect()
}

/// Per program (two brands may name programs alike), by name.
pub fn by_program(starts: &[Start]) -> Vec<(String, Milestones)> {
    let mut groups: BTreeMap<i64, Vec<&Start>> = BTreeMap::new();
    for s in starts {
        groups.entry(s.program_id).or_default().push(s);
    }
    let mut programs: Vec<(String, Milestones)> = groups
        .into_values()
        .map(|group| (group[0].program.clone(), summarize(&group)))
        .collect();
    programs.sort_by(|a, b| a.0.cmp(&b.0));
    programs
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    fn start(program: &str, approved_on: Date, click: Option<i64>, conversion: Option<i64>) -> Start {
        let after = |d: Option<i64>| d.map(|d| approved_on + time::Duration::days(d));
        Start {
            program_id: i64::from(program.as_bytes()[0]),
            program: program.into(),
            partner: "Bright Reviews".into(),
            approved_on,
            first_click: after(click),
            first_conversion: after(conversion),
            first_won_deal: None,
        }
    }

    #[test]
    fn cohorts_are_months_of_approval_newest_first() {
        let starts = [
            start("Shoes", date!(2026 - 10 - 30), Some(2), Some(9)),
            start("Shoes", date!(2026 - 11 - 01), Some(4), None),
            start("Tools", date!(2026 - 11 - 20), Some(1), None),
            start("Tools", date!(2026 - 11 - 21), None, None),
        ];
        let cohorts = by_cohort(&starts);
        assert_eq!(
            cohorts.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>(),
            ["Nov 2026", "Oct 2026"]
        );
        let november = cohorts[0].1;
        assert_eq!(november.partners, 3);
        assert_eq!(
            november.click,
            Reach {
                reached: 2,
                median_days: Some(1)
            }
        );
        assert_eq!(
            november.conversion,
            Reach {
                reached: 0,
                median_days: None
            }
        );
        let programs = by_program(&starts);
        assert_eq!(programs[0].0, "Shoes");
        assert_eq!(
            programs[0].1.conversion,
            Reach {
                reached: 1,
                median_days: Some(9)
            }
        );
    }

    #[test]
    fn programs_of_one_name_in_two_brands_stay_apart() {
        let mut other = start("Shoes", date!(2026 - 11 - 01), None, None);
        other.program_id = 999;
        let starts = [start("Shoes", date!(2026 - 11 - 01), Some(1), None), other];
        let programs = by_program(&starts);
        assert_eq!(programs.len(), 2);
        assert!(programs.iter().all(|(name, m)| name == "Shoes" && m.partners == 1));
    }

    #[test]
    fn a_milestone_before_approval_counts_as_day_zero() {
        assert_eq!(days_after(date!(2026 - 11 - 02), date!(2026 - 11 - 01)), 0);
        assert_eq!(days_after(date!(2026 - 11 - 02), date!(2026 - 12 - 02)), 30);
    }

    proptest! {
        /// The median is one of the figures, with at least half of them at or below it and at
        /// least half at or above it; the reached count never exceeds the partners.
        #[test]
        fn the_median_is_a_real_middle_figure(days in proptest::collection::vec(proptest::option::of(0i64..400), 0..40)) {
            let approved = date!(2026 - 01 - 01);
            let starts: Vec<Start> = days.iter().map(|d| start("P", approved, *d, None)).collect();
            let refs: Vec<&Start> = starts.iter().collect();
            let m = summarize(&refs);
            let given: Vec<i64> = days.iter().flatten().copied().collect();
            prop_assert_eq!(m.partners as usize, days.len());
            prop_assert_eq!(m.click.reached as usize, given.len());
            match m.click.median_days {
                None => prop_assert!(given.is_empty()),
                Some(median) => {
                    prop_assert!(given.contains(&median));
                    let below = given.iter().filter(|d| **d <= median).count();
                    let above = given.iter().filter(|d| **d >= median).count();
                    prop_assert!(below * 2 >= given.len() && above * 2 >= given.len());
                }
            }
        }
    }
}
