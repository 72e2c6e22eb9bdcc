//! The console's deal queue: its tabs, the statuses each holds, the order each starts in, and
//! how many deals each holds given the counts per status.

/// A tab of the queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tab {
    pub key: &'static str,
    pub label: &'static str,
    /// The statuses it shows; empty for every status.
    pub statuses: &'static [&'static str],
}

pub const TABS: [Tab; 5] = [
    Tab {
        key: "pending",
        label: "Waiting for review",
        statuses: &["pending"],
    },
    Tab {
        key: "approved",
        label: "Protected",
        statuses: &["approved"],
    },
    Tab {
        key: "won",
        label: "Won",
        statuses: &["won"],
    },
    Tab {
        key: "closed",
        label: "Lost, rejected, expired",
        statuses: &["lost", "rejected", "expired"],
    },
    Tab {
        key: "all",
        label: "All",
        statuses: &[],
    },
];

impl Tab {
    /// The tab a URL names; the review tab when it names none or an unknown one.
    pub fn parse(key: Option<&str>) -> Tab {
        TABS.into_iter().find(|t| Some(t.key) == key).unwrap_or(TABS[0])
    }

    /// Registrations waiting for review come oldest first; every other tab newest first.
    pub fn default_sort(self) -> &'static str {
        if self.key == "pending" {
            "oldest"
        } else {
            "newest"
        }
    }

    pub fn holds(self, status: &str) -> bool {
        self.statuses.is_empty() || self.statuses.contains(&status)
    }

    /// How many deals the tab holds, from (status, count) pairs.
    pub fn count(self, per_status: &[(String, i64)]) -> i64 {
        per_status
            .iter()
            .filter(|(status, _)| self.holds(status))
            .map(|(_, n)| n)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_hold_their_statuses_and_start_in_their_order() {
        assert_eq!(Tab::parse(None).key, "pending");
        assert_eq!(Tab::parse(Some("nope")).key, "pending");
        assert_eq!(Tab::parse(Some("closed")).label, "Lost, rejected, expired");
        assert_eq!(Tab::parse(Some("pending")).default_sort(), "oldest");
        assert_eq!(Tab::parse(Some("won")).default_sort(), "newest");
        let counts = [("pending", 2), ("lost", 1), ("expired", 4), ("won", 3)].map(|(s, n)| (s.to_owned(), n));
        let count = |key| Tab::parse(Some(key)).count(&counts);
        assert_eq!(
            (
                count("pending"),
                count("closed"),
                count("won"),
                count("approved"),
                count("all")
            ),
            (2, 5, 3, 0, 10)
        );
    }
}
