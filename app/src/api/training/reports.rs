//! The console's training reports: completion and pass rates per course, certified people per
//! partner, and certificates that expire soon. The page and the CSV exports share these rows.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CourseFiguresDto {
    pub id: i64,
    pub title: String,
    pub published: bool,
    pub lessons: i64,
    pub questions: i64,
    pub started: i64,
    pub completed: i64,
    /// Completed of started, "—" when nobody started.
    pub completion_rate: String,
    pub attempts: i64,
    /// Passed attempts of all attempts.
    pub pass_rate: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CertifiedDto {
    pub partner: String,
    pub certification: String,
    pub people: i32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExpiringDto {
    pub holder: String,
    pub email: String,
    pub partner: String,
    pub certification: String,
    pub valid_until: String,
    pub status: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TrainingReportsDto {
    pub courses: Vec<CourseFiguresDto>,
    pub certified: Vec<CertifiedDto>,
    pub expiring: Vec<ExpiringDto>,
}

/// The report names the CSV export takes.
pub const REPORTS: [&str; 3] = ["courses", "certified", "expiring"];

impl TrainingReportsDto {
    /// One report as CSV; `None` for a name that isn't one.
    pub fn csv(&self, report: &str) -> Option<String> {
        use crate::domain::csv::record;
        let mut out = String::new();
        match report {
            "courses" => {
                out.push_str(&record(&[
                    "course",
                    "published",
                    "lessons",
                    "questions",
                    "started",
                    "completed",
                    "completion_rate",
                    "attempts",
                    "pass_rate",
                ]));
                for c in &self.courses {
                    out.push_str(&record(&[
                        c.title.clone(),
                        c.published.to_string(),
                        c.lessons.to_string(),
                        c.questions.to_string(),
                        c.started.to_string(),
                        c.completed.to_string(),
                        c.completion_rate.clone(),
                        c.attempts.to_string(),
                        c.pass_rate.clone(),
                    ]));
                }
            }
            "certified" => {
                out.push_str(&record(&["partner", "certification", "certified_people"]));
                for c in &self.certified {
                    out.push_str(&record(&[
                        c.partner.clone(),
                        c.certification.clone(),
                        c.people.to_string(),
                    ]));
                }
            }
            "expiring" => {
                out.push_str(&record(&[
                    "holder",
                    "email",
                    "partner",
                    "certification",
                    "valid_until",
                    "status",
                ]));
                for e in &self.expiring {
                    out.push_str(&record(&[
                        e.holder.clone(),
                        e.email.clone(),
                        e.partner.clone(),
                        e.certification.clone(),
                        e.valid_until.clone(),
                        e.status.clone(),
                    ]));
                }
            }
            _ => return None,
        }
        Some(out)
    }
}

/// The reports of one program (the caller checked the operator may see it).
#[cfg(feature = "ssr")]
pub async fn build(
    conn: &mut diesel_async::AsyncPgConnection,
    program_id: i64,
    now: time::OffsetDateTime,
) -> Result<TrainingReportsDto, super::super::error::AppError> {
    use crate::backend::repos::{certifications, course_attempts, courses};
    use crate::domain::format;
    use crate::domain::training::certification::{status, RENEWAL_WINDOW};
    let program_courses = courses::of_program(conn, program_id).await?;
    let ids: Vec<i64> = program_courses.iter().map(|c| c.id).collect();
    let sizes = courses::sizes(conn, &ids).await?;
    let figures = course_attempts::figures(conn, program_id).await?;
    let courses = program_courses
        .iter()
        .map(|course| {
            let (_, lessons, questions) = sizes.iter().find(|s| s.0 == course.id).copied().unwrap_or_default();
            let f = figures
                .iter()
                .find(|f| f.course_id == course.id)
                .cloned()
                .unwrap_or_default();
            CourseFiguresDto {
                id: course.id,
                title: course.title.clone(),
                published: course.published_at.is_some(),
                lessons,
                questions,
                started: f.started,
                completed: f.completed,
                completion_rate: super::percent(f.completed, f.started),
                attempts: f.attempts,
                pass_rate: super::percent(f.passed_attempts, f.attempts),
            }
        })
        .collect();
    let certified = certifications::certified_per_partner(conn, program_id)
        .await?
        .into_iter()
        .map(|(partner, certification, people)| CertifiedDto {
            partner,
            certification,
            people,
        })
        .collect();
    let expiring = certifications::ending_between(conn, Some(program_id), now, now + RENEWAL_WINDOW)
        .await?
        .into_iter()
        .map(|h| ExpiringDto {
            holder: h.holder,
            email: h.holder_email,
            partner: h.partner,
            certification: h.certification,
            valid_until: format::date(h.certificate.valid_until),
            status: status(h.certificate.valid_until, now).label(),
        })
        .collect();
    Ok(TrainingReportsDto {
        courses,
        certified,
        expiring,
    })
}
