//! A program's training: its courses with completion and pass rates, its certifications,
//! certified people per partner and certificates that expire soon (each exports to CSV), and
//! the forms that add a course or a certification.

use super::super::id_param;
use super::tabs::{BackLink, ProgramHeader, Tab, READ_ONLY};
use crate::api::error::AppError;
use crate::api::training::reports::{CertifiedDto, CourseFiguresDto, ExpiringDto};
use crate::api::training::{program_training, CertificationDto, CreateCertification, CreateCourse, ProgramTrainingDto};
use crate::ui::resource::resource;
use crate::ui::widgets::{
    load, CheckboxField, CsrfField, EmptyState, FormError, Notice, SelectField, StatusBadge, TextAreaField, TextField,
};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ProgramTraining() -> impl IntoView {
    let id = id_param;
    let add_course = ServerAction::<CreateCourse>::new();
    let add_certification = ServerAction::<CreateCertification>::new();
    let data = resource(
        move || (id(), add_course.version().get(), add_certification.version().get()),
        |(id, ..)| program_training(id),
    );
    view! {
        <Title text="Training" />
        <BackLink />
        {load(
            data,
            move |d: ProgramTrainingDto| {
                let program_id = d.program_id;
                let csv = move |report: &str| format!("/console/programs/{program_id}/training.csv?report={report}");
                view! {
                    <ProgramHeader program_id name=d.program_name.clone() current=Tab::Training />
                    <h2>"Courses"</h2>
                    <CourseTable courses=d.reports.courses.clone() program_id />
                    <p>
                        <a href=csv("courses")>"Download course figures (CSV)"</a>
                    </p>
                    <h2>"Certifications"</h2>
                    <CertificationList certifications=d.certifications.clone() />
                    <h2>"Certified people per partner"</h2>
                    <CertifiedTable rows=d.reports.certified.clone() />
                    <p>
                        <a href=csv("certified")>"Download certified people (CSV)"</a>
                    </p>
                    <h2>"Certificates that expire within 30 days"</h2>
                    <ExpiringTable rows=d.reports.expiring.clone() />
                    <p>
                        <a href=csv("expiring")>"Download expiring certificates (CSV)"</a>
                    </p>
                    {if d.can_manage {
                        let courses = d.reports.courses.iter().map(|c| (c.id, c.title.clone())).collect::<Vec<_>>();
                        view! {
                            <CourseForm program_id action=add_course />
                            <CertificationForm program_id courses action=add_certification />
                        }
                            .into_any()
                    } else {
                        view! { <p class="muted">{READ_ONLY}</p> }.into_any()
                    }}
                }
                    .into_any()
            },
        )}
    }
}

#[component]
fn CourseTable(courses: Vec<CourseFiguresDto>, program_id: i64) -> impl IntoView {
    if courses.is_empty() {
        return view! {
            <EmptyState title="No courses yet">
                <p>"Add a course below: lessons in Markdown or video, then a quiz. Partners see it once you publish it."</p>
            </EmptyState>
        }
        .into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                <caption class="sr-only">"Courses"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Course"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col" class="num">"Lessons"</th>
                        <th scope="col" class="num">"Questions"</th>
                        <th scope="col" class="num">"Started"</th>
                        <th scope="col" class="num">"Completed"</th>
                        <th scope="col" class="num">"Completion"</th>
                        <th scope="col" class="num">"Attempts"</th>
                        <th scope="col" class="num">"Pass rate"</th>
                    </tr>
                </thead>
                <tbody>
                    {courses
                        .into_iter()
                        .map(|c| {
                            let (badge, label) = if c.published { ("approved", "Published") } else { ("pending", "Draft") };
                            view! {
                                <tr>
                                    <td data-label="Course">
                                        <a href=format!("/console/programs/{program_id}/training/{}", c.id)>{c.title.clone()}</a>
                                    </td>
                                    <td data-label="Status">
                                        <StatusBadge status=badge.into() label=label.into() />
                                    </td>
                                    <td data-label="Lessons" class="num">{c.lessons}</td>
                                    <td data-label="Questions" class="num">{c.questions}</td>
                                    <td data-label="Started" class="num">{c.started}</td>
                                    <td data-label="Completed" class="num">{c.completed}</td>
                                    <td data-label="Completion" class="num">{c.completion_rate.clone()}</td>
                                    <td data-label="Attempts" class="num">{c.attempts}</td>
                                    <td data-label="Pass rate" class="num">{c.pass_rate.clone()}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn CertificationList(certifications: Vec<CertificationDto>) -> impl IntoView {
    if certifications.is_empty() {
        return view! {
            <EmptyState title="No certifications yet">
                <p>"A certification is awarded to a person who passes a set of courses. Add one below once its courses exist."</p>
            </EmptyState>
        }
        .into_any();
    }
    view! {
        <ul class="plain-list">
            {certifications
                .into_iter()
                .map(|c| {
                    view! {
                        <li>
                            <strong>{c.name.clone()}</strong>
                            {format!(" · valid {} months · pass: {}", c.valid_months, c.courses.join(", "))}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn CertifiedTable(rows: Vec<CertifiedDto>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted">"Nobody holds a valid certificate yet."</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                <caption class="sr-only">"Certified people per partner"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Partner"</th>
                        <th scope="col">"Certification"</th>
                        <th scope="col" class="num">"Certified people"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|r| {
                            view! {
                                <tr>
                                    <td data-label="Partner">{r.partner.clone()}</td>
                                    <td data-label="Certification">{r.certification.clone()}</td>
                                    <td data-label="Certified people" class="num">{r.people}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn ExpiringTable(rows: Vec<ExpiringDto>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted">"No certificate expires in the next 30 days."</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                <caption class="sr-only">"Certificates that expire soon"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Person"</th>
                        <th scope="col">"Partner"</th>
                        <th scope="col">"Certification"</th>
                        <th scope="col">"Valid until"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|r| {
                            view! {
                                <tr>
                                    <td data-label="Person">{r.holder.clone()}<div class="muted">{r.email.clone()}</div></td>
                                    <td data-label="Partner">{r.partner.clone()}</td>
                                    <td data-label="Certification">{r.certification.clone()}</td>
                                    <td data-label="Valid until">{format!("{} ({})", r.valid_until, r.status)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn CourseForm(program_id: i64, action: ServerAction<CreateCourse>) -> impl IntoView {
    let errors = Signal::derive(move || action.value().get().and_then(Result::err));
    let added = move || action.value().get().and_then(Result::ok);
    let visibilities = [
        ("all", "All partners of the program"),
        ("kinds", "Some partner kinds"),
        ("tiers", "Some tiers"),
    ]
    .map(|(v, l)| (v.to_owned(), l.to_owned()))
    .to_vec();
    view! {
        <section class="panel" aria-labelledby="add-course">
            <h2 id="add-course">"Add a course"</h2>
            {move || {
                added()
                    .map(|id| {
                        view! {
                            <Notice>
                                "Course added as a draft. "
                                <a href=format!("/console/programs/{program_id}/training/{id}")>"Add its lessons and quiz"</a>
                            </Notice>
                        }
                    })
            }}
            <FormError errors />
            <ActionForm action>
                <div class="stack">
                    <CsrfField />
                    <input type="hidden" name="program_id" value=program_id.to_string() />
                    <TextField label="Title" name="title" errors required=true maxlength=120 />
                    <TextAreaField label="Summary" name="summary" errors rows=2 maxlength=2000 />
                    <div class="field-row">
                        <SelectField label="Who sees it" name="visibility" errors options=visibilities />
                        <TextField
                            label="Which ones"
                            name="audience"
                            errors
                            hint="For kinds: reseller, affiliate … For tiers: Gold, Platinum. Comma-separated."
                        />
                    </div>
                    <div class="field-row">
                        <TextField label="Pass mark (%)" name="pass_mark" errors kind="number" value="80" required=true />
                        <TextField label="Attempts" name="max_attempts" errors kind="number" value="3" required=true />
                        <TextField label="Wait between attempts (minutes)" name="wait_minutes" errors kind="number" value="60" required=true />
                    </div>
                    <CheckboxField label="Partial credit on multiple-choice questions".into() name="partial_credit" errors />
                    <button type="submit" class="button">
                        "Add course"
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn CertificationForm(
    program_id: i64,
    courses: Vec<(i64, String)>,
    action: ServerAction<CreateCertification>,
) -> impl IntoView {
    let errors = Signal::derive(move || action.value().get().and_then(Result::err));
    let courses_error = Signal::derive(move || {
        errors
            .get()
            .and_then(|e: AppError| e.field_errors().and_then(|f| f.get("course_ids").map(str::to_owned)))
    });
    view! {
        <section class="panel" aria-labelledby="add-certification">
            <h2 id="add-certification">"Add a certification"</h2>
            <FormError errors />
            {if courses.is_empty() {
                view! { <p class="muted">"Add a course first: a certification is earned by passing courses."</p> }.into_any()
            } else {
                view! {
                    <ActionForm action>
                        <div class="stack">
                            <CsrfField />
                            <input type="hidden" name="program_id" value=program_id.to_string() />
                            <TextField label="Name" name="name" errors required=true maxlength=120 />
                            <TextAreaField label="Description" name="description" errors rows=2 maxlength=2000 />
                            <TextField label="Valid for (months)" name="valid_months" errors kind="number" value="12" required=true />
                            <fieldset class="field" aria-describedby="course_ids-error">
                                <legend>"Courses to pass"</legend>
                                {courses
                                    .into_iter()
                                    .map(|(id, title)| {
                                        let box_id = format!("cert-course-{id}");
                                        view! {
                                            <div class="checkbox">
                                                <input id=box_id.clone() type="checkbox" name="course_ids[]" value=id.to_string() />
                                                <label for=box_id>{title}</label>
                                            </div>
                                        }
                                    })
                                    .collect_view()}
                                <Show when=move || courses_error.get().is_some()>
                                    <p class="field-error" id="course_ids-error" role="alert">
                                        {move || courses_error.get()}
                                    </p>
                                </Show>
                            </fieldset>
                            <button type="submit" class="button">
                                "Add certification"
                            </button>
                        </div>
                    </ActionForm>
                }
                    .into_any()
            }}
        </section>
    }
}
