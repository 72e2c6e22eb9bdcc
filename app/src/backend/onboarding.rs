//! The onboarding checklist of a partner person, and the partner's profile (its first step).

use crate::api::error::AppError;
use crate::backend::ctx::PartnerUser;
use crate::backend::documents::standing;
use crate::backend::flows::{audited, RequestMeta};
use crate::backend::repos::{agreements, courses, onboarding as repo, payout_details};
use crate::domain::documents::{NeededBefore, Standing};
use crate::domain::onboarding::checklist::Facts;
use crate::domain::onboarding::profile::{self, Profile};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use time::OffsetDateTime;

/// What the checklist needs to know about the partner and the person looking.
pub async fn facts(conn: &mut AsyncPgConnection, me: &PartnerUser, now: OffsetDateTime) -> Result<Facts, AppError> {
    let profile = repo::profile(conn, me.partner_id).await?;
    let in_force = agreements::in_force_for_person(conn, me.partner_id, me.user.id).await?;
    let agreements_accepted = (!in_force.is_empty()).then(|| in_force.iter().all(|a| a.accepted_at.is_some()));
    let required: Vec<Standing> = standing::of_partner(conn, me.partner_id, now.date())
        .await?
        .into_iter()
        .flat_map(|p| p.items)
        .filter(|i| i.requirement.needed() != NeededBefore::Optional)
        .map(|i| i.standing)
        .collect();
    let approved = required
        .iter()
        .filter(|s| matches!(s, Standing::Approved { .. } | Standing::Renewing { .. }))
        .count();
    let open_courses: Vec<i64> = courses::visible_to_partner(conn, me.partner_id)
        .await?
        .into_iter()
        .map(|c| c.course.id)
        .collect();
    let course_passed = if open_courses.is_empty() {
        None
    } else {
        Some(repo::passed_any(conn, me.partner_id, &open_courses).await?)
    };
    Ok(Facts {
        profile_missing: profile.missing(),
        agreements_accepted,
        documents: (!required.is_empty()).then_some((approved as u32, required.len() as u32)),
        payout_details: !payout_details::methods(conn, me.partner_id).await?.is_empty(),
        course_passed,
        shared_or_registered: repo::shared_or_registered(conn, me.partner_id).await?,
        manages: me.role.edits_profile(),
        handles_money: me.role.sees_money(),
    })
}

/// Saves the partner's profile (owners and admins), audited as `partner.profile`.
pub async fn save_profile(
    conn: &mut AsyncPgConnection,
    me: &PartnerUser,
    input: (&str, &str, &[String]),
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<Profile, AppError> {
    if !me.role.edits_profile() {
        return Err(AppError::Forbidden);
    }
    let (website, about, channels) = input;
    let profile = profile::validate(website, about, channels).map_err(|errors| {
        let channels = channels.join(",");
        AppError::Invalid(errors.with_submitted(&[("website", website), ("about", about), ("channels", &channels)]))
    })?;
    conn.transaction::<_, AppError, _>(async |conn| {
        repo::save_profile(conn, me.partner_id, &profile, now).await?;
        let after = serde_json::json!({
            "website": profile.website,
            "about": profile.about,
            "channels": profile.channels,
        });
        audited(
            conn,
            &me.user.actor(),
            "partner.profile",
            ("partner", me.partner_id.to_string()),
            after,
            meta,
        )
        .await?;
        Ok(())
    })
    .await?;
    Ok(profile)
}
