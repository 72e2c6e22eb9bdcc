//! A partner's request for funds: the kind of activity, what it is, when it runs, how much it
//! needs and what it should bring. Checked here before anything is stored.

use super::{amount, date, date_text};
use crate::domain::validate::{required_text, FieldErrors};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Activity {
    Event,
    Ads,
    Content,
    Webinar,
    Other,
}

impl Activity {
    pub const ALL: [Activity; 5] = [Self::Event, Self::Ads, Self::Content, Self::Webinar, Self::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Event => "event",
            Self::Ads => "ads",
            Self::Content => "content",
            Self::Webinar => "webinar",
            Self::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Event => "Event",
            Self::Ads => "Advertising",
            Self::Content => "Content",
            Self::Webinar => "Webinar",
            Self::Other => "Other",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == value)
    }

    /// The label of a stored value (the value itself if unknown).
    pub fn label_of(value: &str) -> String {
        Self::parse(value).map_or_else(|| value.to_owned(), |a| a.label().to_owned())
    }
}

pub const DESCRIPTION_MAX: usize = 2000;
pub const OUTCOME_MAX: usize = 1000;
/// The longest activity a request covers.
pub const MAX_DAYS: i64 = 366;

/// The request form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestForm {
    pub activity: String,
    pub description: String,
    pub starts_on: String,
    pub ends_on: String,
    pub amount: String,
    pub expected_outcome: String,
}

impl RequestForm {
    /// What was typed, to show again beside the errors.
    pub fn echo(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("activity", self.activity.as_str()),
            ("description", self.description.as_str()),
            ("starts_on", self.starts_on.as_str()),
            ("ends_on", self.ends_on.as_str()),
            ("amount", self.amount.as_str()),
            ("expected_outcome", self.expected_outcome.as_str()),
        ]
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidRequest {
    pub activity: Activity,
    pub description: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub amount: Decimal,
    pub expected_outcome: String,
}

/// Checks the form against the fund: its currency and its period (the activity starts within
/// it). Whether the amount fits what is available is the caller's check, against the stored
/// balance.
pub fn validate(form: &RequestForm, currency: &str, period: (Date, Date)) -> Result<ValidRequest, FieldErrors> {
    let mut errors = FieldErrors::default();
    let activity = errors.check(
        "activity",
        Activity::parse(form.activity.trim()).ok_or_else(|| "Choose the kind of activity.".to_owned()),
    );
    let description = errors.check(
        "description",
        required_text(&form.description, "Description", DESCRIPTION_MAX),
    );
    let starts_on = errors.check("starts_on", date(&form.starts_on, "Start date"));
    let ends_on = errors.check("ends_on", date(&form.ends_on, "End date"));
    if let (Some(start), Some(end)) = (starts_on, ends_on) {
        if end < start {
            errors.add("ends_on", "The end date must be on or after the start date.");
        } else if (end - start).whole_days() + 1 > MAX_DAYS {
            errors.add("ends_on", format!("An activity can run for at most {MAX_DAYS} days."));
        }
        if start < period.0 || start > period.1 {
            errors.add(
                "starts_on",
                format!(
                    "The activity must start within the fund's period, {} to {}.",
                    date_text(period.0),
                    date_text(period.1)
                ),
            );
        }
    }
    let amount = errors.check("amount", amount(&form.amount, currency, "Amount requested"));
    let expected_outcome = errors.check(
        "expected_outcome",
        required_text(&form.expected_outcome, "Expected outcome", OUTCOME_MAX),
    );
    match (activity, description, starts_on, ends_on, amount, expected_outcome) {
        (Some(activity), Some(description), Some(starts_on), Some(ends_on), Some(amount), Some(expected_outcome))
            if errors.is_empty() =>
        {
            Ok(ValidRequest {
                activity,
                description,
                starts_on,
                ends_on,
                amount,
                expected_outcome,
            })
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn form() -> RequestForm {
        RequestForm {
            activity: "webinar".into(),
            description: "Cloud cost webinar for 200 IT leads".into(),
            starts_on: "2026-05-10".into(),
            ends_on: "2026-05-10".into(),
            amount: "2,500".into(),
            expected_outcome: "60 attendees, 10 opportunities".into(),
        }
    }

    const Q2: (Date, Date) = (date!(2026 - 04 - 01), date!(2026 - 06 - 30));

    #[test]
    fn a_good_request_is_read() {
        let valid = validate(&form(), "USD", Q2).unwrap();
        assert_eq!(valid.activity, Activity::Webinar);
        assert_eq!(valid.amount, Decimal::from(2500));
        assert_eq!(valid.starts_on, date!(2026 - 05 - 10));
    }

    #[test]
    fn bad_fields_each_get_their_message() {
        let bad = RequestForm {
            activity: "party".into(),
            description: " ".into(),
            starts_on: "2026-05-10".into(),
            ends_on: "2026-05-01".into(),
            amount: "-10".into(),
            expected_outcome: String::new(),
        };
        let errors = validate(&bad, "USD", Q2).unwrap_err();
        assert_eq!(errors.get("activity"), Some("Choose the kind of activity."));
        assert_eq!(errors.get("description"), Some("Description is required."));
        assert_eq!(
            errors.get("ends_on"),
            Some("The end date must be on or after the start date.")
        );
        assert!(errors.get("amount").unwrap().contains("greater than zero"));
        assert!(errors.get("expected_outcome").is_some());
        let outside = RequestForm {
            starts_on: "2026-07-02".into(),
            ends_on: "2026-07-03".into(),
            ..form()
        };
        assert_eq!(
            validate(&outside, "USD", Q2).unwrap_err().get("starts_on"),
            Some("The activity must start within the fund's period, 1 Apr 2026 to 30 Jun 2026.")
        );
        let zero = RequestForm {
            amount: "0".into(),
            ..form()
        };
        assert!(validate(&zero, "USD", Q2).is_err());
        let yen = RequestForm {
            amount: "10.5".into(),
            ..form()
        };
        assert!(validate(&yen, "JPY", Q2)
            .unwrap_err()
            .get("amount")
            .unwrap()
            .contains("0 decimal places"));
        assert_eq!(Activity::label_of("ads"), "Advertising");
    }
}
