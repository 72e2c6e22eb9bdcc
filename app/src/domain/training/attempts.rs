//! Whether a person may take a quiz now: a number of attempts, with a wait after each failed
//! one. Passing starts afresh, so a certified person can retake a course to renew.

use time::{Duration, OffsetDateTime};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rules {
    pub max_attempts: u32,
    pub wait: Duration,
}

/// One submitted attempt, as the rules see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Past {
    pub submitted_at: OffsetDateTime,
    pub passed: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// The next attempt may be taken; `left` counts it.
    Open {
        attempt_no: i32,
        left: u32,
    },
    Waiting {
        until: OffsetDateTime,
    },
    /// Every attempt is used without a pass.
    Exhausted,
}

impl Standing {
    /// Why an attempt is refused now, or `None` when it may go ahead.
    pub fn refusal(&self) -> Option<String> {
        match self {
            Self::Open { .. } => None,
            Self::Waiting { until } => Some(format!(
                "You can try again from {}.",
                crate::domain::format::datetime(*until)
            )),
            Self::Exhausted => {
                Some("You have used every attempt at this quiz. Ask the program's team if you need another.".into())
            }
        }
    }
}

/// `past` in the order taken.
pub fn standing(rules: Rules, past: &[Past], now: OffsetDateTime) -> Standing {
    let attempt_no = past.len() as i32 + 1;
    let since_pass = past.iter().rev().take_while(|p| !p.passed).collect::<Vec<_>>();
    let used = since_pass.len() as u32;
    if used >= rules.max_attempts {
        return Standing::Exhausted;
    }
    if let Some(last) = since_pass.first() {
        let until = last.submitted_at + rules.wait;
        if now < until {
            return Standing::Waiting { until };
        }
    }
    Standing::Open {
        attempt_no,
        left: rules.max_attempts - used,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-12-05 12:00 UTC);

    fn rules() -> Rules {
        Rules {
            max_attempts: 3,
            wait: Duration::minutes(60),
        }
    }

    fn failed(minutes_ago: i64) -> Past {
        Past {
            submitted_at: NOW - Duration::minutes(minutes_ago),
            passed: false,
        }
    }

    #[test]
    fn the_first_attempt_is_open() {
        assert_eq!(standing(rules(), &[], NOW), Standing::Open { attempt_no: 1, left: 3 });
    }

    #[test]
    fn a_failed_attempt_waits_until_the_wait_is_over() {
        let until = NOW + Duration::minutes(50);
        assert_eq!(standing(rules(), &[failed(10)], NOW), Standing::Waiting { until });
        assert_eq!(
            standing(rules(), &[failed(60)], NOW),
            Standing::Open { attempt_no: 2, left: 2 },
            "the wait's end is inclusive"
        );
        assert!(standing(rules(), &[failed(10)], NOW)
            .refusal()
            .unwrap()
            .contains("try again from"));
    }

    #[test]
    fn the_last_attempt_used_exhausts_the_quiz() {
        let past = [failed(300), failed(200), failed(100)];
        assert_eq!(standing(rules(), &past, NOW), Standing::Exhausted);
        assert!(Standing::Exhausted.refusal().unwrap().contains("every attempt"));
    }

    #[test]
    fn passing_starts_afresh_for_a_renewal() {
        let passed = Past {
            submitted_at: NOW - Duration::minutes(5),
            passed: true,
        };
        let past = [failed(300), failed(200), passed];
        assert_eq!(standing(rules(), &past, NOW), Standing::Open { attempt_no: 4, left: 3 });
    }
}
