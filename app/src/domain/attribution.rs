//! Which partner a conversion is credited to, and why: a valid click id within the cookie window,
//! then a coupon, then a customer already bound to a partner; otherwise nobody. A program can let
//! coupons win over clicks.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    Click,
    Coupon,
    Customer,
    None,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Click => "click",
            Self::Coupon => "coupon",
            Self::Customer => "customer",
            Self::None => "none",
        }
    }

    pub fn parse(value: &str) -> Self {
        match value {
            "click" => Self::Click,
            "coupon" => Self::Coupon,
            "customer" => Self::Customer,
            _ => Self::None,
        }
    }
}

/// What the click id in a conversion turned out to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClickLookup {
    NotGiven,
    Unknown,
    OtherProgram,
    Found {
        partner_id: i64,
        link_id: i64,
        clicked_at: OffsetDateTime,
        sub1: Option<String>,
        creative_id: Option<i64>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidates {
    pub click: ClickLookup,
    /// The partner who holds the coupon, when the coupon is known in this program.
    pub coupon: Option<CouponLookup>,
    /// The partner this customer is bound to.
    pub bound_partner: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CouponLookup {
    Unknown(String),
    Held { partner_id: i64 },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rules {
    pub cookie_days: i32,
    pub coupons_override: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribution {
    pub method: Method,
    pub partner_id: Option<i64>,
    pub link_id: Option<i64>,
    pub sub1: Option<String>,
    /// The creative the attributed click came through.
    pub creative_id: Option<i64>,
    /// Why a click id or coupon was passed over, in plain words.
    pub note: Option<String>,
}

pub fn decide(candidates: &Candidates, rules: &Rules, occurred_at: OffsetDateTime) -> Attribution {
    let mut notes = Vec::new();
    let by_click = match &candidates.click {
        ClickLookup::NotGiven => None,
        ClickLookup::Unknown => {
            notes.push("click_id is unknown".to_string());
            None
        }
        ClickLookup::OtherProgram => {
            notes.push("click_id belongs to another program".to_string());
            None
        }
        ClickLookup::Found {
            partner_id,
            link_id,
            clicked_at,
            sub1,
            creative_id,
        } => {
            let window = Duration::days(rules.cookie_days.into());
            // A little clock skew between the merchant and us is not a reason to refuse.
            if *clicked_at > occurred_at + Duration::minutes(5) {
                notes.push("click_id is from after the conversion".to_string());
                None
            } else if occurred_at - *clicked_at > window {
                notes.push(format!(
                    "click_id expired: the click is older than the {}-day cookie window",
                    rules.cookie_days
                ));
                None
            } else {
                Some(Attribution {
                    method: Method::Click,
                    partner_id: Some(*partner_id),
                    link_id: Some(*link_id),
                    sub1: sub1.clone(),
                    creative_id: *creative_id,
                    note: None,
                })
            }
        }
    };
    let by_coupon = match &candidates.coupon {
        Some(CouponLookup::Held { partner_id }) => Some(Attribution {
            method: Method::Coupon,
            partner_id: Some(*partner_id),
            link_id: None,
            sub1: None,
            creative_id: None,
            note: None,
        }),
        Some(CouponLookup::Unknown(code)) => {
            notes.push(format!(
                "coupon \"{code}\" is not assigned to a partner in this program"
            ));
            None
        }
        None => None,
    };
    let by_customer = candidates.bound_partner.map(|partner_id| Attribution {
        method: Method::Customer,
        partner_id: Some(partner_id),
        link_id: None,
        sub1: None,
        creative_id: None,
        note: None,
    });
    let ordered = if rules.coupons_override {
        [by_coupon, by_click, by_customer]
    } else {
        [by_click, by_coupon, by_customer]
    };
    let note = (!notes.is_empty()).then(|| notes.join("; "));
    match ordered.into_iter().flatten().next() {
        Some(found) => Attribution { note, ..found },
        None => Attribution {
            method: Method::None,
            partner_id: None,
            link_id: None,
            sub1: None,
            creative_id: None,
            note: Some(note.unwrap_or_else(|| "no click_id, coupon or known customer".into())),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-11-21 12:00 UTC);

    fn click(days_ago: i64) -> ClickLookup {
        ClickLookup::Found {
            partner_id: 1,
            link_id: 10,
            clicked_at: NOW - Duration::days(days_ago),
            sub1: Some("yt".into()),
            creative_id: None,
        }
    }

    fn rules(coupons_override: bool) -> Rules {
        Rules {
            cookie_days: 30,
            coupons_override,
        }
    }

    fn candidates(click: ClickLookup, coupon: Option<CouponLookup>, bound: Option<i64>) -> Candidates {
        Candidates {
            click,
            coupon,
            bound_partner: bound,
        }
    }

    #[test]
    fn click_then_coupon_then_customer() {
        let coupon = Some(CouponLookup::Held { partner_id: 2 });
        let all = candidates(click(1), coupon.clone(), Some(3));
        assert_eq!(decide(&all, &rules(false), NOW).partner_id, Some(1));
        assert_eq!(decide(&all, &rules(true), NOW).partner_id, Some(2), "coupons override");
        let expired = decide(&candidates(click(31), coupon, Some(3)), &rules(false), NOW);
        assert_eq!((expired.method, expired.partner_id), (Method::Coupon, Some(2)));
        assert!(expired.note.unwrap().contains("expired"));
        let customer = decide(&candidates(ClickLookup::NotGiven, None, Some(3)), &rules(false), NOW);
        assert_eq!(customer.method, Method::Customer);
    }

    #[test]
    fn unattributed_conversions_say_why() {
        for (lookup, why) in [
            (ClickLookup::Unknown, "unknown"),
            (ClickLookup::OtherProgram, "another program"),
            (click(45), "expired"),
        ] {
            let result = decide(&candidates(lookup, None, None), &rules(false), NOW);
            assert_eq!(result.method, Method::None);
            assert!(result.note.as_deref().unwrap().contains(why));
        }
        let unknown_coupon = decide(
            &candidates(ClickLookup::NotGiven, Some(CouponLookup::Unknown("X".into())), None),
            &rules(false),
            NOW,
        );
        assert!(unknown_coupon.note.unwrap().contains("coupon \"X\""));
    }
}
