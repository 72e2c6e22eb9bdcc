//! The new-program wizard: after the program is created, it walks through the settings pages
//! that already exist. Each has a sensible default, so every step can be skipped.

/// (tab path under `/console/programs/{id}`, title, what the step decides).
pub const STEPS: [(&str, &str, &str); 4] = [
    ("settings", "Tracking", "landing domains, cookie window and attribution"),
    ("plans", "Plans", "what partners earn (a 10% starter plan is in place)"),
    (
        "approvals",
        "Approvals",
        "which commissions are approved automatically and which need finance",
    ),
    (
        "deals",
        "Deals",
        "who may register deals and how long a registration protects them",
    ),
];

/// The query flag that shows the wizard's bar on a settings page.
pub const FLAG: &str = "wizard";

pub fn step_href(program_id: i64, index: usize) -> Option<String> {
    STEPS
        .get(index)
        .map(|(path, ..)| format!("/console/programs/{program_id}/{path}?{FLAG}=1"))
}

pub fn first_step(program_id: i64) -> String {
    step_href(program_id, 0).unwrap_or_default()
}

/// Where the wizard's "Next" goes from the page at `path`; after the last step, the overview.
pub fn next_after(program_id: i64, path: &str) -> String {
    match STEPS.iter().position(|(p, ..)| *p == path) {
        Some(i) => step_href(program_id, i + 1).unwrap_or_else(|| format!("/console/programs/{program_id}")),
        None => format!("/console/programs/{program_id}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wizard_walks_the_steps_then_ends_on_the_overview() {
        assert_eq!(first_step(7), "/console/programs/7/settings?wizard=1");
        assert_eq!(next_after(7, "settings"), "/console/programs/7/plans?wizard=1");
        assert_eq!(next_after(7, "deals"), "/console/programs/7");
        assert_eq!(next_after(7, "unknown"), "/console/programs/7");
    }
}
