//! The whole relationship with a partner (console partner page): every program it is in, across
//! the brands the operator sees, with its standing in each.

use super::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MembershipDto {
    pub program_id: i64,
    pub program_name: String,
    pub brand_name: String,
    pub status: String,
    pub status_label: String,
    pub tier: Option<String>,
    /// Approved on, or applied on while waiting.
    pub since: String,
    /// The program whose page asks.
    pub this_program: bool,
}

/// The partner's memberships in the operator's brands. The partner must be in `program_id`
/// (the page's program), else "not found", as on the partner page itself.
#[server(input = GetUrl)]
pub async fn partner_relationship(program_id: i64, partner_id: i64) -> Result<Vec<MembershipDto>, AppError> {
    use crate::backend::{ctx, repos::memberships};
    use crate::domain::{format::date, membership::MembershipStatus};
    let operator = ctx::require_program_operator(program_id).await?;
    let rows = memberships::across_programs(&mut *ctx::db().await?, partner_id).await?;
    if !rows.iter().any(|r| r.program_id == program_id) {
        return Err(AppError::NotFound("That partner isn't in this program.".into()));
    }
    Ok(rows
        .into_iter()
        .filter(|r| operator.scope.has_program(r.program_id))
        .map(|r| MembershipDto {
            status_label: MembershipStatus::parse(&r.status).map_or(r.status.clone(), |s| s.label().to_owned()),
            since: match r.approved_at {
                Some(at) => format!("Approved {}", date(at)),
                None => format!("Applied {}", date(r.applied_at)),
            },
            this_program: r.program_id == program_id,
            program_id: r.program_id,
            program_name: r.program_name,
            brand_name: r.brand_name,
            status: r.status,
            tier: r.tier,
        })
        .collect())
}
