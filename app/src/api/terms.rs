//! Partner terms in the console: every active partner's current and upcoming terms, the terms in
//! force on a chosen day, and bulk amendments (one new version per selected partner). Reading is
//! open to every operator; amendments need ManagePrograms.
// Form server functions take one argument per field.
#![allow(clippy::too_many_arguments)]

use super::error::AppError;
use super::plans::PlanChoice;
use super::Paged;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

pub const PER_PAGE: i64 = 50;

/// One version of a partner's terms.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TermsVersionDto {
    pub version: i32,
    pub plan_id: i64,
    pub plan_name: String,
    /// The per-partner overrides in words ("rate 12%"); empty when the plan applies as is.
    pub overrides: Vec<String>,
    /// The effective plan (the plan with the overrides) in plain words.
    pub lines: Vec<String>,
    pub effective_from: String,
    pub author: String,
    pub reason: String,
    pub created_at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartnerTermsDto {
    pub partner_id: i64,
    pub name: String,
    pub email: String,
    pub current: Option<TermsVersionDto>,
    /// Versions that take effect later, soonest first.
    pub upcoming: Vec<TermsVersionDto>,
    /// The version in force at the end of the chosen day (`?on=`).
    pub on_day: Option<TermsVersionDto>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgramTermsDto {
    pub program_id: i64,
    pub program_name: String,
    pub currency: String,
    pub can_manage: bool,
    pub plans: Vec<PlanChoice>,
    pub default_plan_id: Option<i64>,
    pub partners: Paged<PartnerTermsDto>,
    /// The chosen day as `YYYY-MM-DD`, when it was a valid date.
    pub on: Option<String>,
    pub on_error: Option<String>,
    /// The program's segments (id, name), which an amendment may go to.
    pub segments: Vec<(i64, String)>,
}

#[cfg(feature = "ssr")]
pub(crate) mod support {
    use super::*;
    use crate::backend::commissions::accrue::effective_plan;
    use crate::backend::commissions::terms::{change, TermsChange};
    use crate::backend::ctx;
    use crate::backend::ctx::Operator;
    use crate::backend::repos::terms::TermsRow;
    use crate::domain::commission::terms_form::TermsInput;
    use crate::domain::commission::TermOverrides;
    use crate::domain::format;
    use crate::domain::validate::FieldErrors;

    pub fn version_dto(row: TermsRow, currency: &str) -> TermsVersionDto {
        let overrides: TermOverrides = serde_json::from_value(row.overrides.clone()).unwrap_or_default();
        let lines = effective_plan(&row.plan, &row.overrides).map_or_else(
            |_| vec!["This version's stored plan can't be read.".to_owned()],
            |plan| plan.describe(),
        );
        TermsVersionDto {
            version: row.version,
            plan_id: row.plan_id,
            plan_name: row.plan_name,
            overrides: overrides.describe(currency),
            lines,
            effective_from: format::datetime(row.effective_from),
            author: row.author.unwrap_or_else(|| "Trellis (automatic)".to_owned()),
            reason: row.reason,
            created_at: format::datetime(row.created_at),
        }
    }

    /// Puts what was typed back into a refused form's error, so the form shows it again.
    pub fn keep_typed(error: AppError, typed: &[(&str, &str)]) -> AppError {
        match error {
            AppError::Invalid(errors) => AppError::Invalid(errors.with_submitted(typed)),
            other => other,
        }
    }

    /// Who a terms change is for.
    pub enum Selection<'a> {
        One(i64),
        /// Active partners, optionally of one kind and country and in one segment (as typed).
        Matching {
            kind: &'a str,
            country: &'a str,
            segment: &'a str,
        },
    }

    /// The members of the segment chosen by id (sorted), or None when no segment was chosen.
    async fn segment_members(
        conn: &mut diesel_async::AsyncPgConnection,
        program_id: i64,
        segment: &str,
        today: time::Date,
    ) -> Result<Option<Vec<i64>>, AppError> {
        use crate::backend::{repos::segments as repo, segments};
        let Some(id) = Some(segment.trim()).filter(|s| !s.is_empty()) else {
            return Ok(None);
        };
        let refused = || AppError::field("segment", "Choose one of this program's segments.");
        let id = id.parse::<i64>().map_err(|_| refused())?;
        let (_, filter) = segments::resolve(conn, program_id, id).await.map_err(|e| match e {
            AppError::NotFound(_) => refused(),
            other => other,
        })?;
        Ok(Some(repo::member_ids(conn, program_id, &filter, today).await?))
    }

    /// Checks the form and applies it to the selected partners: one version, one audit event and
    /// one email each. Returns how many partners got new terms.
    pub async fn apply(
        operator: &Operator,
        program_id: i64,
        input: &TermsInput,
        selection: Selection<'_>,
    ) -> Result<usize, AppError> {
        use crate::backend::repos::terms;
        use crate::domain::commission::terms_form::parse_selection;
        let now = ctx::now();
        let mut conn = ctx::db().await?;
        let program = ctx::program_in_scope(&mut conn, operator, program_id).await?;
        let mut errors = FieldErrors::default();
        let values = input.parse(&program.currency, now).map_err(|e| errors = e).ok();
        let partner_ids = match selection {
            Selection::One(partner_id) => vec![partner_id],
            Selection::Matching { kind, country, segment } => match parse_selection(kind, country) {
                Ok((kind, country)) => {
                    let members = segment_members(&mut conn, program_id, segment, now.date()).await?;
                    terms::amendment_targets(&mut conn, program_id, kind.as_deref(), country.as_deref())
                        .await?
                        .into_iter()
                        .map(|(id, _, _)| id)
                        .filter(|id| members.as_ref().is_none_or(|m| m.binary_search(id).is_ok()))
                        .collect()
                }
                Err(more) => {
                    more.errors.iter().for_each(|e| errors.add(&e.field, e.message.clone()));
                    Vec::new()
                }
            },
        };
        let Some(values) = values.filter(|_| errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let change_request = TermsChange {
            plan_id: values.plan_id,
            overrides: values.overrides,
            effective_from: values.effective_from,
            reason: values.reason,
        };
        let meta = ctx::request_meta();
        let base_url = ctx::state()?.settings.base_url.clone();
        let ids = change(
            &mut conn,
            &operator.user,
            program_id,
            &partner_ids,
            &change_request,
            &meta,
            &base_url,
            now,
        )
        .await?;
        Ok(ids.len())
    }
}

#[server(input = GetUrl)]
pub async fn program_terms(id: i64, on: Option<String>, page: Option<i64>) -> Result<ProgramTermsDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::{plans, terms};
    use crate::domain::access::Permission;
    let operator = ctx::require_program_operator(id).await?;
    let now = ctx::now();
    let mut conn = ctx::db().await?;
    let program = ctx::program_in_scope(&mut conn, &operator, id).await?;
    let (day_end, on_error) = end_of_day(on.as_deref());
    let page = page.unwrap_or(1).max(1);
    let targets = terms::amendment_targets(&mut conn, id, None, None).await?;
    let total = targets.len() as i64;
    let skip = ((page - 1) * PER_PAGE) as usize;
    let shown: Vec<_> = targets.into_iter().skip(skip).take(PER_PAGE as usize).collect();
    let rows = partner_rows(&mut conn, id, shown, (now, day_end), &program.currency).await?;
    Ok(ProgramTermsDto {
        program_id: program.id,
        can_manage: operator.role.can(Permission::ManagePrograms),
        plans: super::plans::plan_choices(&mut conn, id).await?,
        default_plan_id: plans::default_plan_id(&mut conn, id).await?,
        partners: Paged {
            rows,
            total,
            page,
            per_page: PER_PAGE,
        },
        on: day_end.and(on.clone()),
        on_error,
        segments: crate::backend::repos::segments::list(&mut conn, id)
            .await?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect(),
        program_name: program.name,
        currency: program.currency,
    })
}

/// The Terms tab's rows for a page of partners (id, name, email), in their order: terms in force
/// now and at the end of the chosen day, and upcoming versions, in three queries for the page.
#[cfg(feature = "ssr")]
async fn partner_rows(
    conn: &mut diesel_async::AsyncPgConnection,
    program_id: i64,
    partners: Vec<(i64, String, String)>,
    (now, day_end): (time::OffsetDateTime, Option<time::OffsetDateTime>),
    currency: &str,
) -> Result<Vec<PartnerTermsDto>, AppError> {
    use crate::backend::repos::terms::{self, TermsRow};
    use std::collections::HashMap;
    let ids: Vec<i64> = partners.iter().map(|(id, _, _)| *id).collect();
    // At most one version in force per partner; upcoming ones stay in their order.
    let one_each = |rows: Vec<TermsRow>| rows.into_iter().map(|r| (r.partner_id, r)).collect::<HashMap<_, _>>();
    let mut current = one_each(terms::in_force_for_partners(conn, program_id, &ids, now).await?);
    let mut on_day = match day_end {
        Some(at) => one_each(terms::in_force_for_partners(conn, program_id, &ids, at).await?),
        None => HashMap::new(),
    };
    let mut upcoming: HashMap<i64, Vec<TermsRow>> = HashMap::new();
    for row in terms::upcoming_for_partners(conn, program_id, &ids, now).await? {
        upcoming.entry(row.partner_id).or_default().push(row);
    }
    let version = |row| support::version_dto(row, currency);
    Ok(partners
        .into_iter()
        .map(|(partner_id, name, email)| PartnerTermsDto {
            partner_id,
            name,
            email,
            current: current.remove(&partner_id).map(version),
            upcoming: upcoming
                .remove(&partner_id)
                .unwrap_or_default()
                .into_iter()
                .map(version)
                .collect(),
            on_day: on_day.remove(&partner_id).map(version),
        })
        .collect())
}

/// The last moment of the day `YYYY-MM-DD` (UTC), or why the text isn't a day.
#[cfg(feature = "ssr")]
fn end_of_day(day: Option<&str>) -> (Option<time::OffsetDateTime>, Option<String>) {
    let Some(day) = day.map(str::trim).filter(|d| !d.is_empty()) else {
        return (None, None);
    };
    match time::Date::parse(day, time::macros::format_description!("[year]-[month]-[day]")) {
        Ok(date) => (
            date.with_hms_micro(23, 59, 59, 999_999).ok().map(|at| at.assume_utc()),
            None,
        ),
        Err(_) => (None, Some("Enter a day like 2026-11-30.".to_owned())),
    }
}

#[server]
pub async fn amend_terms(
    csrf_token: String,
    program_id: i64,
    #[server(default)] plan_id: String,
    #[server(default)] rate: String,
    #[server(default)] flat: String,
    #[server(default)] cap_per_conversion: String,
    #[server(default)] cap_per_period: String,
    #[server(default)] effective_from: String,
    #[server(default)] reason: String,
    #[server(default)] kind: String,
    #[server(default)] country: String,
    #[server(default)] segment: String,
) -> Result<usize, AppError> {
    use crate::backend::ctx;
    use crate::domain::{access::Permission, commission::terms_form::TermsInput};
    use support::{apply, keep_typed, Selection};
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let input = TermsInput {
        plan_id,
        rate,
        flat,
        cap_per_conversion,
        cap_per_period,
        effective_from,
        reason,
    };
    let mut typed = input.echo();
    typed.extend([
        ("kind", kind.as_str()),
        ("country", country.as_str()),
        ("segment", segment.as_str()),
    ]);
    let selection = Selection::Matching {
        kind: &kind,
        country: &country,
        segment: &segment,
    };
    let amended = apply(&operator, program_id, &input, selection)
        .await
        .map_err(|e| keep_typed(e, &typed))?;
    let who = if amended == 1 {
        "1 partner".to_owned()
    } else {
        format!("{amended} partners")
    };
    let message = format!("Terms amended for {who}: a new version each, and an email to each partner.");
    super::flash::after_plain_post(message).await?;
    Ok(amended)
}
