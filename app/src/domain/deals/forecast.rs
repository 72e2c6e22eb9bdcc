//! Pipeline arithmetic: a deal's weighted value is its value times its stage's probability, and
//! the forecast of a quarter is the sum over the deals expected to close in it.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Registered,
    Qualified,
    Proposal,
    Negotiation,
    Won,
    Lost,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Self::Registered,
        Self::Qualified,
        Self::Proposal,
        Self::Negotiation,
        Self::Won,
        Self::Lost,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Registered => "registered",
            Self::Qualified => "qualified",
            Self::Proposal => "proposal",
            Self::Negotiation => "negotiation",
            Self::Won => "won",
            Self::Lost => "lost",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    pub fn is_closed(self) -> bool {
        matches!(self, Self::Won | Self::Lost)
    }
}

/// Stage probabilities in percent; a program can change the open stages' values.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Probabilities {
    pub registered: Decimal,
    pub qualified: Decimal,
    pub proposal: Decimal,
    pub negotiation: Decimal,
}

impl Default for Probabilities {
    fn default() -> Self {
        Self {
            registered: Decimal::from(10),
            qualified: Decimal::from(25),
            proposal: Decimal::from(50),
            negotiation: Decimal::from(75),
        }
    }
}

impl Probabilities {
    pub fn of(&self, stage: Stage) -> Decimal {
        match stage {
            Stage::Registered => self.registered,
            Stage::Qualified => self.qualified,
            Stage::Proposal => self.proposal,
            Stage::Negotiation => self.negotiation,
            Stage::Won => Decimal::ONE_HUNDRED,
            Stage::Lost => Decimal::ZERO,
        }
    }

    /// Each open stage's probability is 0–100 and they never fall as a deal advances.
    pub fn validate(&self) -> Result<(), String> {
        let ordered = [self.registered, self.qualified, self.proposal, self.negotiation];
        if ordered.iter().any(|p| *p < Decimal::ZERO || *p > Decimal::ONE_HUNDRED) {
            return Err("Each probability is a percentage from 0 to 100.".into());
        }
        if ordered.windows(2).any(|pair| pair[1] < pair[0]) {
            return Err("A later stage can't have a lower probability than an earlier one.".into());
        }
        Ok(())
    }
}

/// Value times probability, unrounded (round the sum for display).
pub fn weighted(value: Decimal, stage: Stage, probabilities: &Probabilities) -> Decimal {
    value * probabilities.of(stage) / Decimal::ONE_HUNDRED
}

/// The forecast of a set of deals: the sum of their weighted values.
pub fn forecast(deals: impl IntoIterator<Item = (Decimal, Stage)>, probabilities: &Probabilities) -> Decimal {
    deals
        .into_iter()
        .map(|(value, stage)| weighted(value, stage, probabilities))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forecast_weighs_each_deal_by_its_stage() {
        let p = Probabilities::default();
        let d = Decimal::from;
        let deals = [
            (d(1000), Stage::Registered),
            (d(2000), Stage::Proposal),
            (d(500), Stage::Won),
            (d(900), Stage::Lost),
        ];
        assert_eq!(forecast(deals, &p), d(100 + 1000 + 500));
        assert!(p.validate().is_ok());
        let backwards = Probabilities {
            proposal: d(20),
            ..p.clone()
        };
        assert!(backwards.validate().is_err());
        assert!(Probabilities { registered: d(-1), ..p }.validate().is_err());
        for stage in Stage::ALL {
            assert_eq!(Stage::parse(stage.as_str()), Some(stage));
        }
    }
}
