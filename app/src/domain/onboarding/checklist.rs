//! The portal's onboarding checklist: the steps between approval and earning, each done or not,
//! worked out from facts about the partner. Steps that don't apply (no agreement, no required
//! documents, no training) are left out, so every step shown is one the partner can finish.

/// What the checklist is worked out from, for one partner and the person looking.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    /// What the profile still lacks ("a website and how you promote"), `None` once complete.
    pub profile_missing: Option<String>,
    /// Whether one of the partner's programs has an agreement. The portal lets no one in
    /// before they accept the version in force, so anyone who sees the step has done it.
    pub has_agreement: bool,
    /// Required documents approved and still valid, out of those required; `None` when the
    /// partner's programs require none.
    pub documents: Option<(u32, u32)>,
    /// What a payout run still lacks ("payout details for USD and your tax details"), `None`
    /// once the partner can be paid in every currency its programs pay in.
    pub payout_missing: Option<String>,
    /// Whether anyone at the partner passed a course; `None` when no course is open to it.
    pub course_passed: Option<bool>,
    /// Whether a link of the partner's got its first click, or it registered a deal.
    pub shared_or_registered: bool,
    /// Whether this person may edit the profile (owners, admins) and give payout details
    /// (owners): a step someone else must do says who.
    pub edits_profile: bool,
    pub gives_payout_details: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub title: &'static str,
    pub done: bool,
    /// What is left to do, or what was done.
    pub detail: String,
    pub href: &'static str,
}

const SOMEONE_ELSE: &str = "An owner or admin of your team does this.";
const OWNER: &str = "An owner of your team does this.";

/// The applicable steps, in the order a partner would do them.
pub fn steps(f: &Facts) -> Vec<Step> {
    let mut steps = vec![Step {
        title: "Complete your profile",
        done: f.profile_missing.is_none(),
        detail: match (&f.profile_missing, f.edits_profile) {
            (None, _) => "Operators see your website, what you're about and how you promote.".into(),
            (Some(missing), true) => format!("Add {missing}."),
            (Some(missing), false) => format!("Still missing: {missing}. {SOMEONE_ELSE}"),
        },
        href: "/portal/profile",
    }];
    if f.has_agreement {
        steps.push(Step {
            title: "Accept the partner agreement",
            done: true,
            detail: "Accepted.".into(),
            href: "/portal/agreements",
        });
    }
    if let Some((approved, required)) = f.documents {
        steps.push(Step {
            title: "Get your documents approved",
            done: approved >= required,
            detail: format!("{approved} of {required} approved."),
            href: "/portal/documents",
        });
    }
    steps.push(Step {
        title: "Give your payout details",
        done: f.payout_missing.is_none(),
        detail: match (&f.payout_missing, f.gives_payout_details) {
            (None, _) => "Given: you can be paid.".into(),
            (Some(missing), true) => format!("Add {missing}."),
            (Some(missing), false) => format!("Still missing: {missing}. {OWNER}"),
        },
        href: "/portal/payouts",
    });
    if let Some(passed) = f.course_passed {
        steps.push(Step {
            title: "Pass your first course",
            done: passed,
            detail: if passed {
                "Passed."
            } else {
                "Training teaches what sells and how."
            }
            .into(),
            href: "/portal/training",
        });
    }
    steps.push(Step {
        title: "Share your first link or register a deal",
        done: f.shared_or_registered,
        detail: if f.shared_or_registered {
            "Your first click or deal is in."
        } else {
            "Post a tracked link where your audience sees it, or register a deal you're working on."
        }
        .into(),
        href: "/portal/links",
    });
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titles(steps: &[Step]) -> Vec<&str> {
        steps.iter().map(|s| s.title).collect()
    }

    #[test]
    fn steps_that_dont_apply_are_left_out() {
        let steps = steps(&Facts::default());
        assert_eq!(
            titles(&steps),
            [
                "Complete your profile",
                "Give your payout details",
                "Share your first link or register a deal"
            ]
        );
        let open: Vec<&str> = steps.iter().filter(|s| !s.done).map(|s| s.title).collect();
        assert_eq!(open, ["Share your first link or register a deal"]);
    }

    #[test]
    fn every_step_applies_and_reports_its_state() {
        let f = Facts {
            profile_missing: Some("how you promote".into()),
            has_agreement: true,
            documents: Some((1, 2)),
            payout_missing: Some("payout details for USD".into()),
            course_passed: Some(false),
            shared_or_registered: true,
            edits_profile: true,
            gives_payout_details: true,
        };
        let steps = steps(&f);
        assert_eq!(steps.len(), 6);
        let done: Vec<bool> = steps.iter().map(|s| s.done).collect();
        assert_eq!(done, [false, true, false, false, false, true]);
        assert_eq!(steps[0].detail, "Add how you promote.");
        assert_eq!(steps[2].detail, "1 of 2 approved.");
        assert_eq!(steps[3].detail, "Add payout details for USD.");
    }

    #[test]
    fn a_step_for_someone_else_says_who() {
        let f = Facts {
            profile_missing: Some("a website".into()),
            payout_missing: Some("your tax details".into()),
            ..Facts::default()
        };
        let steps = steps(&f);
        assert!(steps[0].detail.ends_with(SOMEONE_ELSE));
        assert_eq!(steps[1].detail, format!("Still missing: your tax details. {OWNER}"));
    }
}
