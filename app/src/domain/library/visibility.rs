//! Who sees a document: every partner of the program, some partner kinds, some tiers (as for
//! creatives and courses), or partners with at least one person holding a live certificate of
//! one certification (the stored certified-people figure).

use crate::domain::creatives::{Audience, Visibility};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DocumentVisibility {
    /// All, kinds or tiers.
    Open(Visibility),
    /// Partners certified in this certification (its id).
    Certified(i64),
}

/// The partner asking: its kind and tier, and the certifications it holds live certificates of.
#[derive(Clone, Copy, Debug)]
pub struct Reader<'a> {
    pub audience: Audience<'a>,
    pub certified_in: &'a [i64],
}

impl DocumentVisibility {
    pub fn admits(&self, reader: &Reader) -> bool {
        match self {
            Self::Open(visibility) => visibility.admits(&reader.audience),
            Self::Certified(id) => reader.certified_in.contains(id),
        }
    }

    /// The stored form: (visibility, kinds, tiers, certification id).
    pub fn columns(&self) -> (&'static str, Vec<String>, Vec<String>, Option<i64>) {
        match self {
            Self::Open(visibility) => {
                let (name, kinds, tiers, _) = visibility.columns();
                (name, kinds, tiers, None)
            }
            Self::Certified(id) => ("certification", vec![], vec![], Some(*id)),
        }
    }

    pub fn from_columns(visibility: &str, kinds: &[String], tiers: &[String], certification: Option<i64>) -> Self {
        match (visibility, certification) {
            ("certification", Some(id)) => Self::Certified(id),
            _ => Self::Open(Visibility::from_columns(visibility, kinds, tiers, &[])),
        }
    }

    /// "All partners", "Tier Gold", or "Holders of Certified Installer".
    pub fn describe(&self, certification_name: Option<&str>) -> String {
        match self {
            Self::Open(visibility) => visibility.describe(),
            Self::Certified(_) => format!("Holders of {}", certification_name.unwrap_or("a certification")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::partner_kind::PartnerKind;

    fn reader<'a>(kind: &'a str, tier: Option<&'a str>, certified_in: &'a [i64]) -> Reader<'a> {
        Reader {
            audience: Audience {
                partner_id: 1,
                kind,
                tier,
            },
            certified_in,
        }
    }

    #[test]
    fn a_certification_gate_admits_only_certified_partners() {
        let gate = DocumentVisibility::Certified(7);
        assert!(gate.admits(&reader("reseller", Some("Gold"), &[3, 7])));
        assert!(
            !gate.admits(&reader("reseller", Some("Gold"), &[3])),
            "another certification is not this one"
        );
        assert!(!gate.admits(&reader("reseller", None, &[])));
        let resellers = DocumentVisibility::Open(Visibility::Kinds(vec![PartnerKind::Reseller]));
        assert!(resellers.admits(&reader("reseller", None, &[])));
        assert!(!resellers.admits(&reader("affiliate", None, &[7])));
    }

    #[test]
    fn the_stored_form_reads_back() {
        for v in [
            DocumentVisibility::Open(Visibility::All),
            DocumentVisibility::Open(Visibility::Tiers(vec!["Gold".into()])),
            DocumentVisibility::Certified(4),
        ] {
            let (name, kinds, tiers, certification) = v.columns();
            assert_eq!(DocumentVisibility::from_columns(name, &kinds, &tiers, certification), v);
        }
        assert_eq!(
            DocumentVisibility::Certified(4).describe(Some("Installer")),
            "Holders of Installer"
        );
    }
}
