//! Partners' own promotional material: the program's rules and review queue (console), and the
//! partner's submissions with their status (portal).

use super::error::AppError;
use crate::domain::promo::Channel;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubmissionDto {
    pub id: i64,
    pub partner_name: String,
    pub program_name: String,
    pub channel: String,
    pub url: String,
    pub body: String,
    pub flags: Vec<String>,
    /// pending, approved, rejected
    pub status: String,
    pub reason: Option<String>,
    pub submitted_at: String,
    /// Where its screenshot is shown, when it has one.
    pub screenshot_path: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RulesDto {
    pub require_approval: bool,
    pub disclosure_phrases: String,
    pub brand_terms: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgramPromoDto {
    pub rules: RulesDto,
    pub submissions: Vec<SubmissionDto>,
    pub can_manage: bool,
}

#[server(input = GetUrl)]
pub async fn program_promo(id: i64) -> Result<ProgramPromoDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::promo;
    use crate::domain::access::Permission;
    let operator = ctx::require_program_operator(id).await?;
    let mut conn = ctx::db().await?;
    ctx::program_in_scope(&mut conn, &operator, id).await?;
    let rules = promo::rules(&mut conn, id).await?;
    let submissions = promo::of_program(&mut conn, id).await?;
    Ok(ProgramPromoDto {
        rules: RulesDto {
            require_approval: rules.require_approval,
            disclosure_phrases: rules.disclosure_phrases.join(", "),
            brand_terms: rules.brand_terms.join(", "),
        },
        submissions: submissions.iter().map(build::dto).collect(),
        can_manage: operator.role.can(Permission::ManagePrograms),
    })
}

#[server]
pub async fn save_promo_rules(
    csrf_token: String,
    program_id: i64,
    #[server(default)] require_approval: Option<String>,
    #[server(default)] disclosure_phrases: String,
    #[server(default)] brand_terms: String,
) -> Result<(), AppError> {
    use crate::backend::{ctx, promo};
    use crate::domain::access::Permission;
    use crate::domain::promo::{phrase_list, Rules};
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let rules = Rules {
        require_approval: require_approval.is_some(),
        disclosure_phrases: phrase_list(&disclosure_phrases, "Disclosure")
            .map_err(|m| AppError::field("disclosure_phrases", m))?,
        brand_terms: phrase_list(&brand_terms, "Brand terms").map_err(|m| AppError::field("brand_terms", m))?,
    };
    promo::save_rules(
        &mut *ctx::db().await?,
        &operator.user.actor(),
        program_id,
        &rules,
        &ctx::request_meta(),
        ctx::now(),
    )
    .await?;
    crate::api::flash::after_plain_post("Rules for partners' own material saved.").await
}

/// `decision` is "approve" or "reject" (which needs a reason).
#[server]
pub async fn decide_promo(
    csrf_token: String,
    program_id: i64,
    submission_id: i64,
    decision: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use crate::backend::{ctx, promo};
    use crate::domain::access::Permission;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let approve = match decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return Err(AppError::field("decision", "Choose approve or reject.")),
    };
    let base_url = ctx::state()?.settings.base_url.clone();
    let mut conn = ctx::db().await?;
    promo::decide(
        &mut conn,
        &operator.user.actor(),
        program_id,
        submission_id,
        approve,
        &reason,
        &base_url,
        &ctx::request_meta(),
        ctx::now(),
    )
    .await?;
    crate::api::flash::after_plain_post(if approve {
        "Approved. The partner is emailed."
    } else {
        "Rejected. The partner is emailed with your reason."
    })
    .await
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartnerProgramRulesDto {
    pub program_id: i64,
    pub program_name: String,
    pub require_approval: bool,
    pub disclosure_phrases: Vec<String>,
    pub brand_terms: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyMaterialDto {
    pub programs: Vec<PartnerProgramRulesDto>,
    pub submissions: Vec<SubmissionDto>,
    pub channels: Vec<Channel>,
    /// The errors (and typed values) of a submission the server refused, shown once.
    pub refused: Option<AppError>,
}

/// Where a refused submission (a plain multipart form, for its screenshot) leaves its errors.
pub fn material_refusal_key(user_id: i64) -> String {
    format!("promo-refusal:{user_id}")
}

#[server(input = GetUrl)]
pub async fn my_material() -> Result<MyMaterialDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::promo;
    let me = ctx::require_partner().await?;
    let mut conn = ctx::db().await?;
    let programs = promo::rules_for_partner(&mut conn, me.partner_id)
        .await?
        .into_iter()
        .map(|(program_id, program_name, rules)| PartnerProgramRulesDto {
            program_id,
            program_name,
            require_approval: rules.require_approval,
            disclosure_phrases: rules.disclosure_phrases,
            brand_terms: rules.brand_terms,
        })
        .collect();
    let submissions = promo::of_partner(&mut conn, me.partner_id).await?;
    let refused = ctx::session()
        .await?
        .remove::<AppError>(&material_refusal_key(me.user.id))
        .await
        .map_err(crate::backend::errors::internal)?;
    Ok(MyMaterialDto {
        programs,
        submissions: submissions.iter().map(build::dto).collect(),
        channels: Channel::ALL.to_vec(),
        refused,
    })
}

#[server]
pub async fn submit_material(
    csrf_token: String,
    #[server(default)] program_id: Option<i64>,
    #[server(default)] channel: String,
    #[server(default)] url: String,
    #[server(default)] body: String,
) -> Result<Vec<String>, AppError> {
    use crate::backend::{ctx, promo};
    use crate::domain::promo::SubmissionInput;
    ctx::verify_csrf(&csrf_token)?;
    let me = ctx::require_partner().await?;
    let input = SubmissionInput {
        program_id,
        channel,
        url,
        body,
    };
    let (_, flags) = promo::submit(
        &mut *ctx::db().await?,
        &me.user.actor(),
        me.partner_id,
        &input,
        None,
        &ctx::request_meta(),
        ctx::now(),
    )
    .await?;
    crate::api::flash::after_plain_post("Submitted. The program's team reviews it and you'll get an email either way.")
        .await?;
    Ok(flags)
}

#[cfg(feature = "ssr")]
mod build {
    use super::SubmissionDto;
    use crate::backend::repos::promo::NamedSubmission;
    use crate::domain::promo::Channel;

    pub fn dto((row, partner_name, program_name): &NamedSubmission) -> SubmissionDto {
        SubmissionDto {
            id: row.id,
            partner_name: partner_name.clone(),
            program_name: program_name.clone(),
            channel: Channel::parse(&row.channel).map_or(row.channel.clone(), |c| c.label().to_owned()),
            url: row.url.clone(),
            body: row.body.clone(),
            flags: row.flags.clone(),
            status: row.status.clone(),
            reason: row.reason.clone(),
            submitted_at: crate::domain::format::datetime(row.created_at),
            screenshot_path: row
                .screenshot_type
                .as_ref()
                .map(|_| format!("/promo/screenshots/{}", row.id)),
        }
    }
}
