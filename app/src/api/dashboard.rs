//! The console's front page: what waits for whom.

use super::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsoleOverviewDto {
    pub operator_name: String,
    pub role_label: String,
    /// (status, label, count) for every membership status.
    pub memberships: Vec<(String, String, i64)>,
}

#[server(input = GetUrl)]
pub async fn console_overview() -> Result<ConsoleOverviewDto, AppError> {
    use crate::backend::{ctx, repos::memberships};
    use crate::domain::membership::MembershipStatus;
    let operator = ctx::require_operator().await?;
    let counts = memberships::count_by_status(&mut *ctx::db().await?).await?;
    let memberships = MembershipStatus::ALL
        .into_iter()
        .map(|s| {
            let n = counts.iter().find(|(k, _)| k == s.as_str()).map_or(0, |(_, n)| *n);
            (s.as_str().to_owned(), s.label().to_owned(), n)
        })
        .collect();
    Ok(ConsoleOverviewDto {
        operator_name: operator.user.display_name,
        role_label: operator.role.label().into(),
        memberships,
    })
}
