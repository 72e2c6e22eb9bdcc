//! The kinds of partner Trellis serves, from affiliates to ISVs.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PartnerKind {
    Affiliate,
    Creator,
    Publisher,
    Reseller,
    Si,
    Msp,
    Isv,
    Referral,
}

impl PartnerKind {
    pub const ALL: [PartnerKind; 8] = [
        Self::Affiliate,
        Self::Creator,
        Self::Publisher,
        Self::Reseller,
        Self::Si,
        Self::Msp,
        Self::Isv,
        Self::Referral,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Affiliate => "affiliate",
            Self::Creator => "creator",
            Self::Publisher => "publisher",
            Self::Reseller => "reseller",
            Self::Si => "si",
            Self::Msp => "msp",
            Self::Isv => "isv",
            Self::Referral => "referral",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Affiliate => "Affiliate",
            Self::Creator => "Creator / influencer",
            Self::Publisher => "Publisher",
            Self::Reseller => "Reseller",
            Self::Si => "Systems integrator",
            Self::Msp => "Managed service provider",
            Self::Isv => "Software vendor (ISV)",
            Self::Referral => "Referral partner",
        }
    }

    pub fn parse(value: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == value)
            .ok_or_else(|| "Choose the kind of partner you are.".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_and_unknown_kinds_are_refused() {
        for kind in PartnerKind::ALL {
            assert_eq!(PartnerKind::parse(kind.as_str()), Ok(kind));
        }
        assert!(PartnerKind::parse("Affiliate").is_err());
        assert!(PartnerKind::parse("").is_err());
    }
}
