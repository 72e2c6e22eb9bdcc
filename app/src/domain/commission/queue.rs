//! The approval queue's tabs and sort orders: which waiting commissions a tab holds and how the
//! console names them in URLs and on screen.

use super::approval::{Stage, State};

/// A tab of the queue: commissions waiting for a manager, for finance, or on hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QueueTab {
    Manager,
    Finance,
    OnHold,
}

impl QueueTab {
    pub const ALL: [QueueTab; 3] = [Self::Manager, Self::Finance, Self::OnHold];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Manager => "manager",
            Self::Finance => "finance",
            Self::OnHold => "on_hold",
        }
    }

    /// Unknown values fall back to the manager tab, where every commission starts.
    pub fn parse(value: Option<&str>) -> Self {
        Self::ALL
            .into_iter()
            .find(|t| Some(t.as_str()) == value)
            .unwrap_or(Self::Manager)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Manager => "Manager",
            Self::Finance => "Finance",
            Self::OnHold => "On hold",
        }
    }

    /// The tab a commission in `state` is listed under, if it waits at all.
    pub fn of(state: State) -> Option<Self> {
        match state {
            State::Pending(Stage::Manager) => Some(Self::Manager),
            State::Pending(Stage::Finance) => Some(Self::Finance),
            State::OnHold => Some(Self::OnHold),
            State::Approved | State::Rejected => None,
        }
    }
}

/// How the queue is ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QueueSort {
    /// Longest waiting first (the default: the oldest work comes first).
    Waiting,
    /// Most recently arrived first.
    Newest,
    /// Largest amount first.
    Amount,
}

impl QueueSort {
    pub const ALL: [QueueSort; 3] = [Self::Waiting, Self::Newest, Self::Amount];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Waiting => "waiting",
            Self::Newest => "newest",
            Self::Amount => "amount",
        }
    }

    pub fn parse(value: Option<&str>) -> Self {
        Self::ALL
            .into_iter()
            .find(|s| Some(s.as_str()) == value)
            .unwrap_or(Self::Waiting)
    }
}

/// The most commissions one batch approves.
pub const BATCH_MAX: usize = 100;

/// The ticked boxes of a batch approval, each "ID:SEQ" (the commission and the decision number
/// its row showed), as (id, seq) pairs in order with repeats dropped; or why they can't be read.
pub fn picked(values: &[String]) -> Result<Vec<(i64, i32)>, String> {
    let mut seen = std::collections::HashSet::new();
    let mut picked = Vec::new();
    for value in values {
        let pair = value
            .split_once(':')
            .and_then(|(id, seq)| Some((id.trim().parse::<i64>().ok()?, seq.trim().parse::<i32>().ok()?)));
        let Some((id, seq)) = pair else {
            return Err(format!("\"{value}\" is not a commission from the list."));
        };
        if seen.insert(id) {
            picked.push((id, seq));
        }
    }
    if picked.is_empty() {
        return Err("Tick the commissions to approve first.".into());
    }
    if picked.len() > BATCH_MAX {
        return Err(format!("Approve at most {BATCH_MAX} at a time."));
    }
    Ok(picked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_reads_id_and_seq_pairs_once_each_within_the_cap() {
        let texts = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(picked(&texts(&["7:1", " 9 : 2 ", "7:3"])), Ok(vec![(7, 1), (9, 2)]));
        assert_eq!(
            picked(&texts(&["7"])),
            Err("\"7\" is not a commission from the list.".into())
        );
        assert!(picked(&texts(&["x:1"])).is_err() && picked(&texts(&["1:y"])).is_err());
        assert_eq!(picked(&[]), Err("Tick the commissions to approve first.".into()));
        let many: Vec<String> = (0..=BATCH_MAX).map(|i| format!("{i}:1")).collect();
        assert_eq!(picked(&many), Err(format!("Approve at most {BATCH_MAX} at a time.")));
        assert_eq!(picked(&many[..BATCH_MAX]).map(|p| p.len()), Ok(BATCH_MAX));
    }

    #[test]
    fn tabs_and_sorts_round_trip_and_default_safely() {
        for tab in QueueTab::ALL {
            assert_eq!(QueueTab::parse(Some(tab.as_str())), tab);
        }
        assert_eq!(QueueTab::parse(Some("'; drop")), QueueTab::Manager);
        assert_eq!(QueueTab::parse(None), QueueTab::Manager);
        for sort in QueueSort::ALL {
            assert_eq!(QueueSort::parse(Some(sort.as_str())), sort);
        }
        assert_eq!(QueueSort::parse(Some("amount desc")), QueueSort::Waiting);
        assert_eq!(QueueTab::of(State::Pending(Stage::Finance)), Some(QueueTab::Finance));
        assert_eq!(QueueTab::of(State::Approved), None);
    }
}
