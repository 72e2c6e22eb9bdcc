//! The partner's terms in each of its programs: the terms in force in plain words, scheduled
//! changes and every earlier version, plus its sub-partner invitation link, master and
//! sub-partners. The partner id always comes from the session.

use super::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// One version of a partner's terms, described in plain words.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TermsVersionDto {
    pub version: i32,
    pub plan_name: String,
    pub effective_from: String,
    pub reason: String,
    /// The effective plan (overrides applied), one sentence per rule, cap and share.
    pub lines: Vec<String>,
    /// What this partner's terms change from the plan ("rate 25%"), if anything.
    pub overrides: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubPartnersDto {
    /// The program takes sub-partners by invitation and this partner is active in it.
    pub may_invite: bool,
    /// The partner's invitation link, once it made one (`create_invite_link`).
    pub invite_url: Option<String>,
    pub master: Option<String>,
    pub subs: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgramTermsDto {
    pub program_id: i64,
    pub program_name: String,
    pub status_label: String,
    pub current: Option<TermsVersionDto>,
    /// Versions that take effect later, soonest first.
    pub upcoming: Vec<TermsVersionDto>,
    /// Every version, newest first.
    pub history: Vec<TermsVersionDto>,
    pub sub_partners: SubPartnersDto,
}

#[cfg(feature = "ssr")]
pub fn terms_dto(row: &crate::backend::repos::terms::TermsRow) -> TermsVersionDto {
    use crate::backend::commissions::accrue::effective_plan;
    use crate::domain::commission::TermOverrides;
    let (lines, currency) = match effective_plan(&row.plan, &row.overrides) {
        Ok(plan) => (plan.describe(), plan.currency),
        Err(_) => (
            vec!["This plan can't be shown. Ask the program team for the details.".into()],
            String::new(),
        ),
    };
    let overrides = serde_json::from_value::<TermOverrides>(row.overrides.clone())
        .map(|o| o.describe(&currency))
        .unwrap_or_default();
    TermsVersionDto {
        version: row.version,
        plan_name: row.plan_name.clone(),
        effective_from: crate::domain::format::date(row.effective_from),
        reason: row.reason.clone(),
        lines,
        overrides,
    }
}

#[cfg(feature = "ssr")]
mod build {
    use super::*;
    use crate::backend::repos::memberships::MembershipRow;
    use crate::backend::repos::{commission_settings, sub_partners, terms};
    use crate::domain::membership::{may_invite, MembershipStatus};
    use diesel_async::AsyncPgConnection;
    use time::OffsetDateTime;

    pub async fn program_terms(
        conn: &mut AsyncPgConnection,
        membership: &MembershipRow,
        (program_name, program_slug): (String, String),
        base_url: &str,
        now: OffsetDateTime,
    ) -> Result<ProgramTermsDto, AppError> {
        let (program, partner) = (membership.program_id, membership.partner_id);
        let history = terms::history(conn, program, partner).await?;
        let current = terms::in_force(conn, program, partner, now).await?;
        let mut upcoming: Vec<_> = history.iter().filter(|t| t.effective_from > now).collect();
        upcoming.sort_by_key(|t| (t.effective_from, t.version));
        let invites = commission_settings::get(conn, program).await?.sub_partner_invites;
        let may_invite = may_invite(MembershipStatus::parse(&membership.status), invites);
        let invite_url = if may_invite {
            sub_partners::existing_invite_code(conn, program, partner)
                .await?
                .map(|code| invite_url(base_url, &program_slug, &code))
        } else {
            None
        };
        Ok(ProgramTermsDto {
            program_id: program,
            program_name,
            status_label: MembershipStatus::parse(&membership.status)
                .map(|s| s.label().to_owned())
                .unwrap_or_default(),
            current: current.as_ref().map(terms_dto),
            upcoming: upcoming.into_iter().map(terms_dto).collect(),
            history: history.iter().map(terms_dto).collect(),
            sub_partners: SubPartnersDto {
                may_invite,
                invite_url,
                master: sub_partners::master_of(conn, program, partner)
                    .await?
                    .map(|(_, name)| name),
                subs: sub_partners::subs_of(conn, program, partner)
                    .await?
                    .into_iter()
                    .map(|(_, name)| name)
                    .collect(),
            },
        })
    }
}

#[cfg(feature = "ssr")]
fn invite_url(base_url: &str, program_slug: &str, code: &str) -> String {
    format!("{base_url}/join/{program_slug}?invite={code}")
}

/// The terms of every program the partner is (or was) approved in. Only reads: the invitation
/// link is made by `create_invite_link`.
#[server(input = GetUrl)]
pub async fn my_terms() -> Result<Vec<ProgramTermsDto>, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::memberships;
    let me = ctx::require_partner().await?;
    let base_url = ctx::state()?.settings.base_url.clone();
    let now = ctx::now();
    let mut conn = ctx::db().await?;
    let mut programs = Vec::new();
    for (membership, name, slug, _) in memberships::list_for_partner(&mut conn, me.partner_id, me.brand).await? {
        if matches!(membership.status.as_str(), "active" | "suspended") {
            programs.push(build::program_terms(&mut conn, &membership, (name, slug), &base_url, now).await?);
        }
    }
    Ok(programs)
}

/// Makes the partner's invitation link for a program (once; later calls keep the same code).
#[server]
pub async fn create_invite_link(csrf_token: String, program_id: i64) -> Result<(), AppError> {
    use crate::backend::ctx;
    use crate::backend::flows::invites;
    ctx::verify_csrf(&csrf_token)?;
    let me = ctx::require_partner().await?;
    invites::create(&mut *ctx::db().await?, me.partner_id, program_id, ctx::now()).await?;
    super::flash::after_plain_post("Your invitation link is ready: share it with the people you want to invite.").await
}
