//! The console's Training tab for one program: its courses with their figures, its
//! certifications, the reports, and the forms that add a course or a certification.

// A server function's arguments are its form's fields.
#![allow(clippy::too_many_arguments)]

use super::reports::TrainingReportsDto;
use crate::api::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CertificationDto {
    pub id: i64,
    pub name: String,
    pub valid_months: i16,
    pub courses: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgramTrainingDto {
    pub program_id: i64,
    pub program_name: String,
    pub reports: TrainingReportsDto,
    pub certifications: Vec<CertificationDto>,
    pub can_manage: bool,
}

#[server(input = GetUrl)]
pub async fn program_training(id: i64) -> Result<ProgramTrainingDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::certifications;
    use crate::domain::access::Permission;
    let operator = ctx::require_program_operator(id).await?;
    let mut conn = ctx::db().await?;
    let program = ctx::program_in_scope(&mut conn, &operator, id).await?;
    let reports = super::reports::build(&mut conn, id, ctx::now()).await?;
    let title_of = |course_id: &i64| {
        reports
            .courses
            .iter()
            .find(|c| c.id == *course_id)
            .map_or_else(|| format!("Course {course_id}"), |c| c.title.clone())
    };
    let certifications = certifications::of_program(&mut conn, id)
        .await?
        .into_iter()
        .map(|c| CertificationDto {
            id: c.id,
            name: c.name,
            valid_months: c.valid_months,
            courses: c.course_ids.iter().map(title_of).collect(),
        })
        .collect();
    Ok(ProgramTrainingDto {
        program_id: program.id,
        program_name: program.name,
        reports,
        certifications,
        can_manage: operator.role.can(Permission::ManagePrograms),
    })
}

/// Adds a draft course; lessons and questions follow on its own page. Returns its id.
#[server]
pub async fn create_course(
    csrf_token: String,
    program_id: i64,
    title: String,
    #[server(default)] summary: String,
    #[server(default)] visibility: String,
    #[server(default)] audience: String,
    pass_mark: String,
    max_attempts: String,
    wait_minutes: String,
    #[server(default)] partial_credit: Option<String>,
) -> Result<i64, AppError> {
    use crate::backend::ctx;
    use crate::backend::training::authoring;
    use crate::domain::access::Permission;
    use crate::domain::training::form::CourseInput;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let input = CourseInput {
        title,
        summary,
        visibility,
        audience,
        pass_mark,
        max_attempts,
        wait_minutes,
        partial_credit: partial_credit.is_some(),
    };
    let mut conn = ctx::db().await?;
    let id = authoring::create_course(
        &mut conn,
        &operator.user.actor(),
        program_id,
        &input,
        &ctx::request_meta(),
        ctx::now(),
    )
    .await?;
    crate::api::flash::after_plain_post("Course added as a draft. Add its lessons and quiz, then publish it.").await?;
    Ok(id)
}

/// Adds a certification over some of the program's courses (`course_ids[]`).
#[server]
pub async fn create_certification(
    csrf_token: String,
    program_id: i64,
    name: String,
    #[server(default)] description: String,
    valid_months: String,
    #[server(default)] course_ids: Vec<i64>,
) -> Result<i64, AppError> {
    use crate::backend::ctx;
    use crate::backend::training::authoring;
    use crate::domain::access::Permission;
    use crate::domain::training::form::CertificationInput;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let input = CertificationInput {
        name,
        description,
        valid_months,
        course_ids,
    };
    let mut conn = ctx::db().await?;
    let id = authoring::create_certification(
        &mut conn,
        &operator.user.actor(),
        program_id,
        &input,
        &ctx::request_meta(),
        ctx::now(),
    )
    .await?;
    crate::api::flash::after_plain_post("Certification added. People who pass its courses are certified.").await?;
    Ok(id)
}
