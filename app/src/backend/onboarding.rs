//! The onboarding checklist of a partner person, and the partner's profile (its first step).

use crate::api::error::AppError;
use crate::backend::ctx::PartnerUser;
use crate::backend::documents::standing;
use crate::backend::flows::{audited, RequestMeta};
use crate::backend::repos::{courses, onboarding as repo};
use crate::domain::access::PartnerRole;
use crate::domain::documents::{names_text, NeededBefore};
use crate::domain::onboarding::checklist::Facts;
use crate::domain::onboarding::profile::{self, Profile};
use crate::domain::payouts::run::tax_form_missing;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use time::OffsetDateTime;

/// What the checklist needs to know about the partner and the person looking: one query for
/// the partner's own standing, then its documents and its courses.
pub async fn facts(conn: &mut AsyncPgConnection, me: &PartnerUser, now: OffsetDateTime) -> Result<Facts, AppError> {
    let standing = repo::standing(conn, me.partner_id).await?;
    let profile = Profile {
        website: standing.website,
        about: standing.about,
        channels: standing.channels,
    };
    let required: Vec<bool> = standing::of_partner(conn, me.partner_id, now.date())
        .await?
        .into_iter()
        .flat_map(|p| p.items)
        .filter(|i| i.requirement.needed() != NeededBefore::Optional)
        .map(|i| i.standing.is_met())
        .collect();
    let approved = required.iter().filter(|met| **met).count();
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
        has_agreement: standing.has_agreement,
        documents: (!required.is_empty()).then_some((approved as u32, required.len() as u32)),
        payout_missing: payout_missing(
            &standing.currencies_without_method,
            &standing.country,
            standing.tax_form.as_deref(),
        ),
        course_passed,
        shared_or_registered: standing.shared_or_registered,
        edits_profile: me.role.edits_profile(),
        gives_payout_details: me.role == PartnerRole::Owner,
    })
}

/// What a payout run would still miss, by the run's own rules (a method in each currency, tax
/// details that allow paying), in words: "payout details for USD and your tax details".
fn payout_missing(currencies_without_method: &[String], country: &str, tax_form: Option<&str>) -> Option<String> {
    let mut missing = Vec::new();
    if !currencies_without_method.is_empty() {
        missing.push(format!(
            "payout details for {}",
            currencies_without_method.join(" and ")
        ));
    }
    if tax_form_missing(country, tax_form).is_some() {
        missing.push(
            if tax_form.is_none() {
                "your tax details"
            } else {
                "a W-9"
            }
            .to_owned(),
        );
    }
    let words: Vec<&str> = missing.iter().map(String::as_str).collect();
    (!words.is_empty()).then(|| names_text(&words))
}

/// Saves the partner's profile (owners and admins), audited as `partner.profile`.
pub async fn save_profile(
    conn: &mut AsyncPgConnection,
    me: &PartnerUser,
    input: (&str, &str, &[String]),
    meta: &RequestMeta,
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
        repo::save_profile(conn, me.partner_id, &profile).await?;
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

#[cfg(test)]
mod tests {
    use super::payout_missing;

    #[test]
    fn payout_missing_follows_the_payout_runs_rules() {
        let usd = ["USD".to_owned()];
        assert_eq!(payout_missing(&[], "DE", Some("w8ben")), None);
        assert_eq!(
            payout_missing(&usd, "DE", None).as_deref(),
            Some("payout details for USD and your tax details")
        );
        assert_eq!(payout_missing(&[], "US", Some("w8ben")).as_deref(), Some("a W-9"));
    }
}
