//! The emails of tier changes: a partner hears of a promotion, of a shortfall that starts the
//! grace period (with what is missing and the date), of keeping the tier, and of a demotion.

use crate::domain::emails::{compose, EmailContent};

fn hello(name: &str) -> String {
    format!("Hello {name},")
}

fn tier_or_none(tier: Option<&str>) -> String {
    tier.map_or_else(|| "no tier".to_owned(), |t| format!("the {t} tier"))
}

/// `plan` is the new commission plan's description when the tier changed the partner's terms.
pub fn promoted(partner: &str, program: &str, tier: &str, plan: Option<&[String]>, url: &str) -> EmailContent {
    let mut paragraphs = vec![format!("Congratulations: you reached the {tier} tier in {program}.")];
    if let Some(lines) = plan {
        paragraphs.push(format!(
            "Your commission terms change with it, from now on:\n{}",
            lines.join("\n")
        ));
    }
    compose(
        format!("You reached {tier} in {program}"),
        &hello(partner),
        &paragraphs,
        Some(("See your progress", url)),
    )
}

pub fn warned(
    partner: &str,
    program: &str,
    tier: &str,
    to: Option<&str>,
    due: &str,
    missing: &[String],
    url: &str,
) -> EmailContent {
    let mut paragraphs = vec![format!(
        "Your figures in {program} are below what the {tier} tier needs. You keep {tier} until {due}; if they are still short then, you move to {}.",
        tier_or_none(to)
    )];
    if !missing.is_empty() {
        paragraphs.push(format!("To keep {tier}:\n{}", missing.join("\n")));
    }
    compose(
        format!("Your {tier} tier in {program} needs attention"),
        &hello(partner),
        &paragraphs,
        Some(("See your progress", url)),
    )
}

pub fn kept(partner: &str, program: &str, tier: &str) -> EmailContent {
    compose(
        format!("You keep {tier} in {program}"),
        &hello(partner),
        &[format!(
            "Your figures meet the {tier} tier again, so it stays yours. Nothing changes."
        )],
        None,
    )
}

pub fn demoted(
    partner: &str,
    program: &str,
    from: &str,
    to: Option<&str>,
    plan: Option<&[String]>,
    url: &str,
) -> EmailContent {
    let mut paragraphs = vec![format!(
        "Your figures in {program} stayed below the {from} tier through its grace period, so you are now on {}.",
        tier_or_none(to)
    )];
    if let Some(lines) = plan {
        paragraphs.push(format!(
            "Your commission terms change with it, from now on:\n{}",
            lines.join("\n")
        ));
    }
    paragraphs.push("Meet the criteria again and the evaluation moves you back up at once.".into());
    compose(
        format!("Your tier in {program} changed"),
        &hello(partner),
        &paragraphs,
        Some(("See your progress", url)),
    )
}

/// A move that is neither earned nor lost by the figures: an operator set the tier, or the tier
/// held left the ladder.
pub fn changed(
    partner: &str,
    program: &str,
    to: Option<&str>,
    why: &str,
    plan: Option<&[String]>,
    url: &str,
) -> EmailContent {
    let mut paragraphs = vec![format!("You are now on {} in {program}. {why}", tier_or_none(to))];
    if let Some(lines) = plan {
        paragraphs.push(format!(
            "Your commission terms change with it, from now on:\n{}",
            lines.join("\n")
        ));
    }
    compose(
        format!("Your tier in {program} changed"),
        &hello(partner),
        &paragraphs,
        Some(("See your progress", url)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tier_emails_say_what_changes_and_when() {
        let warning = warned(
            "Bright Reviews",
            "Acme",
            "Gold",
            Some("Silver"),
            "5 Jan 2027",
            &["EUR 300.00 more revenue in the next 90 days to reach Gold".into()],
            "https://x/portal",
        );
        assert!(warning.text.contains("You keep Gold until 5 Jan 2027"));
        assert!(warning.text.contains("move to the Silver tier"));
        assert!(warning.text.contains("EUR 300.00 more revenue"));
        let up = promoted("B", "Acme", "Gold", Some(&["12% of revenue".into()]), "https://x");
        assert!(up.subject.contains("You reached Gold"));
        assert!(up.text.contains("12% of revenue"));
        assert!(demoted("B", "Acme", "Gold", None, None, "https://x")
            .text
            .contains("now on no tier"));
    }
}
