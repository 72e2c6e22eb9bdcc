//! How far a partner is from the next tier, criterion by criterion, in words a partner reads on
//! the dashboard ("EUR 3,200.00 more revenue in the next 90 days to reach Gold").

use super::evaluate::qualified;
use super::ladder::{Criterion, Ladder, Measures};
use crate::domain::money;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One criterion of the next tier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub label: String,
    /// Where the partner is and what the tier needs, formatted.
    pub have: String,
    pub need: String,
    /// How much of the way the partner is, 0 to 100.
    pub percent: u8,
    /// What is still missing, or `None` when met.
    pub missing: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// The tier the partner's figures reach today (the tier held may differ: locked or in grace).
    pub reached: Option<String>,
    /// The tier above the one held (`None` at the top), or the one held while its grace period
    /// runs (`keeping`).
    pub next: Option<String>,
    pub keeping: bool,
    pub steps: Vec<Step>,
}

/// Progress from the tier held (`held`, a place in the ladder) to the one above it; while a
/// grace period runs (`in_grace`), progress to keeping the tier held.
pub fn progress(ladder: &Ladder, held: Option<usize>, in_grace: bool, measures: &Measures, currency: &str) -> Progress {
    let reached = qualified(ladder, measures).map(|p| ladder.tiers[p].name.clone());
    let keeping = in_grace && held.is_some();
    let target = match held {
        Some(p) if keeping => p,
        _ => held.map_or(0, |p| p + 1),
    };
    let Some(next) = ladder.tiers.get(target) else {
        return Progress {
            reached,
            next: None,
            keeping,
            steps: Vec::new(),
        };
    };
    let goal = if keeping {
        format!("to keep {}", next.name)
    } else {
        format!("to reach {}", next.name)
    };
    let steps = Criterion::ALL
        .iter()
        .filter(|c| c.threshold(&next.criteria) > Decimal::ZERO)
        .map(|c| step(*c, next.criteria.clone(), measures, &goal, ladder.window_days, currency))
        .collect();
    Progress {
        reached,
        next: Some(next.name.clone()),
        keeping,
        steps,
    }
}

fn step(
    criterion: Criterion,
    criteria: super::ladder::Criteria,
    measures: &Measures,
    goal: &str,
    window_days: i32,
    currency: &str,
) -> Step {
    let need = criterion.threshold(&criteria);
    let have = criterion.measure(measures);
    let show = |value: Decimal| {
        if criterion.is_money() {
            money::format(value, currency)
        } else {
            value.normalize().to_string()
        }
    };
    let ratio = if need.is_zero() {
        Decimal::ONE
    } else {
        (have / need).min(Decimal::ONE)
    };
    let percent = (ratio * Decimal::from(100)).floor().try_into().unwrap_or(0u8);
    let gap = need - have;
    let missing = (gap > Decimal::ZERO).then(|| {
        let amount = show(gap);
        match criterion {
            Criterion::DaysInProgram => format!("{amount} more days in the program {goal}"),
            c if c.windowed() => format!("{amount} more {} in the next {window_days} days {goal}", c.noun()),
            c => format!("{amount} more {} {goal}", c.noun()),
        }
    });
    let label = match criterion {
        c if c.windowed() => format!("{} (last {window_days} days)", capitalized(c.noun())),
        c => capitalized(c.noun()),
    };
    Step {
        label,
        have: show(have),
        need: show(need),
        percent,
        missing,
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::super::ladder::tests::{ladder, tier};
    use super::*;

    #[test]
    fn progress_says_what_is_missing_for_the_next_tier() {
        let l = ladder(vec![
            tier("Registered", 0, 0),
            tier("Silver", 1000, 0),
            tier("Gold", 5000, 10),
        ]);
        let m = Measures {
            revenue: Decimal::from(1800),
            conversions: 12,
            ..Measures::default()
        };
        let p = progress(&l, Some(1), false, &m, "EUR");
        assert_eq!(p.next.as_deref(), Some("Gold"));
        assert_eq!(p.reached.as_deref(), Some("Silver"));
        assert_eq!(p.steps.len(), 2);
        assert_eq!(p.steps[0].percent, 36);
        assert_eq!(
            p.steps[0].missing.as_deref(),
            Some("EUR 3,200.00 more revenue in the next 90 days to reach Gold")
        );
        assert_eq!(p.steps[1].percent, 100);
        assert_eq!(p.steps[1].missing, None);

        let top = progress(&l, Some(2), false, &m, "EUR");
        assert_eq!((top.next, top.steps.len()), (None, 0));

        let keep = progress(&l, Some(2), true, &m, "EUR");
        assert!(keep.keeping);
        assert_eq!(
            keep.steps[0].missing.as_deref(),
            Some("EUR 3,200.00 more revenue in the next 90 days to keep Gold")
        );
    }
}
