//! Onboarding: the partner's profile and checklist in the portal, and the time-to-first report
//! in the console.

use super::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProfileDto {
    pub partner_name: String,
    pub website: String,
    pub about: String,
    /// `(value, label, ticked)`, in the form's order.
    pub channels: Vec<(String, String, bool)>,
    pub may_edit: bool,
    /// What is missing, in words; `None` once complete.
    pub missing: Option<String>,
}

#[server(input = GetUrl)]
pub async fn my_profile() -> Result<ProfileDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::onboarding;
    use crate::domain::onboarding::profile::CHANNELS;
    let me = ctx::require_partner().await?;
    let mut conn = ctx::db().await?;
    let (partner_name, profile) = onboarding::profile(&mut conn, me.partner_id).await?;
    Ok(ProfileDto {
        partner_name,
        channels: CHANNELS
            .iter()
            .map(|(v, label)| {
                (
                    (*v).to_owned(),
                    (*label).to_owned(),
                    profile.channels.iter().any(|c| c == v),
                )
            })
            .collect(),
        missing: profile.missing(),
        website: profile.website.unwrap_or_default(),
        about: profile.about.unwrap_or_default(),
        may_edit: me.role.edits_profile(),
    })
}

/// Saves the profile: owners and admins. Unticked channels are simply absent from the post.
#[server]
pub async fn save_profile(
    csrf_token: String,
    #[server(default)] website: String,
    #[server(default)] about: String,
    #[server(default)] channels: Vec<String>,
) -> Result<String, AppError> {
    use crate::backend::{ctx, onboarding};
    ctx::verify_csrf(&csrf_token)?;
    let me = ctx::require_partner().await?;
    let meta = ctx::request_meta();
    let saved = onboarding::save_profile(&mut *ctx::db().await?, &me, (&website, &about, &channels), &meta).await?;
    let message = match saved.missing() {
        None => "Profile saved. It is complete.".to_owned(),
        Some(missing) => format!("Profile saved. Still missing: {missing}."),
    };
    super::flash::after_plain_post(message.clone()).await?;
    Ok(message)
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepDto {
    pub title: String,
    pub done: bool,
    pub detail: String,
    pub href: String,
}

#[server(input = GetUrl)]
pub async fn my_checklist() -> Result<Vec<StepDto>, AppError> {
    use crate::backend::{ctx, onboarding};
    use crate::domain::onboarding::checklist;
    let me = ctx::require_partner().await?;
    let facts = onboarding::facts(&mut *ctx::db().await?, &me, ctx::now()).await?;
    Ok(checklist::steps(&facts)
        .into_iter()
        .map(|s| StepDto {
            title: s.title.to_owned(),
            done: s.done,
            detail: s.detail,
            href: s.href.to_owned(),
        })
        .collect())
}

/// One line of the time-to-first report, formatted: the group, its partners, then for first
/// click, first conversion and first won deal how many reached it and the median days.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimeToFirstRowDto {
    pub cells: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimeToFirstDto {
    /// `(id, name)` of the programs in the operator's scope, for the filter.
    pub programs: Vec<(i64, String)>,
    pub program: Option<i64>,
    pub months: u32,
    pub since: String,
    pub cohorts: Vec<TimeToFirstRowDto>,
    pub per_program: Vec<TimeToFirstRowDto>,
    pub partners: Vec<TimeToFirstRowDto>,
    pub page: u32,
    pub pages: u32,
    pub total: u32,
    /// Per cohort, oldest first: partners with a first click, and those still without one.
    pub chart: super::deal_reports::ChartDto,
}

/// Partners first approved in the last `months` calendar months, this one included (1–36,
/// default 12), in one program or every program in the operator's scope.
#[server(input = GetUrl)]
pub async fn time_to_first(
    program: Option<i64>,
    months: Option<u32>,
    page: Option<u32>,
) -> Result<TimeToFirstDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::{onboarding, programs};
    let operator = ctx::require_operator().await?;
    let months = months.unwrap_or(12);
    if !(1..=36).contains(&months) {
        return Err(AppError::field("months", "Choose between 1 and 36 months."));
    }
    let program = program.filter(|id| *id > 0);
    if program.is_some_and(|id| !operator.scope.has_program(id)) {
        return Err(AppError::NotFound(ctx::NO_SUCH_PROGRAM.into()));
    }
    let mut conn = ctx::report_db().await?;
    let in_scope = programs::list(&mut conn, &operator.scope).await?;
    let ids: Vec<i64> = program.map_or_else(|| in_scope.iter().map(|(p, _)| p.id).collect(), |id| vec![id]);
    // Whole months: this month and the `months - 1` before it.
    let since = crate::domain::period::months_back(ctx::now().date(), months as i32 - 1);
    let starts = onboarding::starts(&mut conn, &ids, since).await?;
    Ok(report::build(
        starts,
        in_scope.into_iter().map(|(p, _)| (p.id, p.name)).collect(),
        program,
        months,
        since,
        page,
    ))
}

#[cfg(feature = "ssr")]
mod report {
    use super::{TimeToFirstDto, TimeToFirstRowDto};
    use crate::api::deal_reports::ChartDto;
    use crate::domain::deals::report::share;
    use crate::domain::format;
    use crate::domain::onboarding::time_to_first::{by_cohort, by_program, days_after, Milestones, Reach, Start};
    use crate::domain::report_table::percent_text;

    pub const PAGE_SIZE: usize = 50;

    fn reach(r: Reach, of: u32) -> [String; 2] {
        let share = percent_text(share(i64::from(r.reached), i64::from(of)));
        [
            format!("{} ({share})", r.reached),
            r.median_days.map_or_else(|| "–".to_owned(), days),
        ]
    }

    fn days(d: i64) -> String {
        if d == 1 {
            "1 day".to_owned()
        } else {
            format!("{d} days")
        }
    }

    fn row(label: String, m: Milestones) -> TimeToFirstRowDto {
        let mut cells = vec![label, m.partners.to_string()];
        for r in [m.click, m.conversion, m.won_deal] {
            cells.extend(reach(r, m.partners));
        }
        TimeToFirstRowDto { cells }
    }

    fn partner_row(s: &Start) -> TimeToFirstRowDto {
        let after =
            |d: Option<time::Date>| d.map_or_else(|| "not yet".to_owned(), |d| days(days_after(s.approved_on, d)));
        TimeToFirstRowDto {
            cells: vec![
                s.partner.clone(),
                s.program.clone(),
                format::day(s.approved_on),
                after(s.first_click),
                after(s.first_conversion),
                after(s.first_won_deal),
            ],
        }
    }

    fn chart(cohorts: &[(String, Milestones)]) -> ChartDto {
        ChartDto {
            title: "Partners per month of approval, by first click".to_owned(),
            series: vec!["First click in".to_owned(), "No click yet".to_owned()],
            bars: cohorts
                .iter()
                .rev()
                .map(|(c, m)| {
                    (
                        c.clone(),
                        vec![i64::from(m.click.reached), i64::from(m.partners - m.click.reached)],
                    )
                })
                .collect(),
        }
    }

    pub fn build(
        starts: Vec<Start>,
        programs: Vec<(i64, String)>,
        program: Option<i64>,
        months: u32,
        since: time::Date,
        page: Option<u32>,
    ) -> TimeToFirstDto {
        let pages = starts.len().div_ceil(PAGE_SIZE).max(1) as u32;
        let page = page.unwrap_or(1).clamp(1, pages);
        let cohorts = by_cohort(&starts);
        TimeToFirstDto {
            chart: chart(&cohorts),
            total: starts.len() as u32,
            cohorts: cohorts.into_iter().map(|(c, m)| row(c, m)).collect(),
            per_program: by_program(&starts).into_iter().map(|(p, m)| row(p, m)).collect(),
            partners: starts
                .iter()
                .skip((page as usize - 1) * PAGE_SIZE)
                .take(PAGE_SIZE)
                .map(partner_row)
                .collect(),
            programs,
            program,
            months,
            since: format::day(since),
            page,
            pages,
        }
    }
}
