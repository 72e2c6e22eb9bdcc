//! Who sees a creative: every partner of the program, some partner kinds, some membership tiers
//! (the tier MDF uses), or named partners. The gallery, the code and the download all ask this.

use crate::domain::partner_kind::PartnerKind;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Visibility {
    All,
    Kinds(Vec<PartnerKind>),
    /// Tier names, compared without regard to case.
    Tiers(Vec<String>),
    /// Partner ids.
    Partners(Vec<i64>),
}

/// The partner asking, as a creative's visibility sees it.
#[derive(Clone, Copy, Debug)]
pub struct Audience<'a> {
    pub partner_id: i64,
    pub kind: &'a str,
    pub tier: Option<&'a str>,
}

impl Visibility {
    pub fn admits(&self, who: &Audience) -> bool {
        match self {
            Self::All => true,
            Self::Kinds(kinds) => kinds.iter().any(|k| k.as_str() == who.kind),
            Self::Tiers(tiers) => who
                .tier
                .is_some_and(|tier| tiers.iter().any(|t| t.eq_ignore_ascii_case(tier))),
            Self::Partners(ids) => ids.contains(&who.partner_id),
        }
    }

    /// The stored form: (visibility, kinds, tiers, partner ids).
    pub fn columns(&self) -> (&'static str, Vec<String>, Vec<String>, Vec<i64>) {
        match self {
            Self::All => ("all", vec![], vec![], vec![]),
            Self::Kinds(kinds) => (
                "kinds",
                kinds.iter().map(|k| k.as_str().to_owned()).collect(),
                vec![],
                vec![],
            ),
            Self::Tiers(tiers) => ("tiers", vec![], tiers.clone(), vec![]),
            Self::Partners(ids) => ("partners", vec![], vec![], ids.clone()),
        }
    }

    pub fn from_columns(visibility: &str, kinds: &[String], tiers: &[String], partners: &[i64]) -> Self {
        match visibility {
            "kinds" => Self::Kinds(kinds.iter().filter_map(|k| PartnerKind::parse(k).ok()).collect()),
            "tiers" => Self::Tiers(tiers.to_vec()),
            "partners" => Self::Partners(partners.to_vec()),
            _ => Self::All,
        }
    }

    /// "All partners", "Resellers, Affiliates", "Tiers Gold, Platinum", "3 named partners".
    pub fn describe(&self) -> String {
        match self {
            Self::All => "All partners".into(),
            Self::Kinds(kinds) => kinds.iter().map(|k| k.label()).collect::<Vec<_>>().join(", "),
            Self::Tiers(tiers) => format!("Tier {}", tiers.join(", ")),
            Self::Partners(ids) if ids.len() == 1 => "1 named partner".into(),
            Self::Partners(ids) => format!("{} named partners", ids.len()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who(partner_id: i64, kind: &'static str, tier: Option<&'static str>) -> Audience<'static> {
        Audience { partner_id, kind, tier }
    }

    #[test]
    fn each_rule_admits_only_its_audience() {
        let affiliate = who(1, "affiliate", None);
        let gold_reseller = who(2, "reseller", Some("Gold"));
        assert!(Visibility::All.admits(&affiliate));
        let kinds = Visibility::Kinds(vec![PartnerKind::Reseller]);
        assert!(kinds.admits(&gold_reseller) && !kinds.admits(&affiliate));
        let tiers = Visibility::Tiers(vec!["gold".into()]);
        assert!(tiers.admits(&gold_reseller), "tiers compare without case");
        assert!(!tiers.admits(&affiliate), "no tier is not every tier");
        let named = Visibility::Partners(vec![1]);
        assert!(named.admits(&affiliate) && !named.admits(&gold_reseller));
        assert!(!Visibility::Kinds(vec![]).admits(&affiliate));
    }

    #[test]
    fn the_stored_form_reads_back() {
        for v in [
            Visibility::All,
            Visibility::Kinds(vec![PartnerKind::Si, PartnerKind::Msp]),
            Visibility::Tiers(vec!["Gold".into()]),
            Visibility::Partners(vec![4, 9]),
        ] {
            let (name, kinds, tiers, partners) = v.columns();
            assert_eq!(Visibility::from_columns(name, &kinds, &tiers, &partners), v);
        }
        assert_eq!(Visibility::Partners(vec![4, 9]).describe(), "2 named partners");
    }
}
