//! The partner's training: the courses open to it with this person's progress, and the
//! certificates its people hold, each with its public verification page.

use crate::api::training::{my_training, CourseCardDto, HeldCertificateDto, MyTrainingDto};
use crate::ui::resource::resource;
use crate::ui::widgets::{load, EmptyState, StatusBadge};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Training() -> impl IntoView {
    let data = resource(|| (), |_| my_training());
    view! {
        <Title text="Training" />
        <h1>"Training"</h1>
        {load(
            data,
            |d: MyTrainingDto| {
                view! {
                    <h2>"Courses"</h2>
                    <Courses courses=d.courses />
                    <h2>"Certificates"</h2>
                    <Certificates certificates=d.certificates />
                }
                    .into_any()
            },
        )}
    }
}

#[component]
fn Courses(courses: Vec<CourseCardDto>) -> impl IntoView {
    if courses.is_empty() {
        return view! {
            <EmptyState title="No courses yet">
                <p>"Your programs' courses and certifications appear here once they publish them. Meanwhile, the "
                    <a href="/portal/creatives">"creatives"</a>" are ready to use."</p>
            </EmptyState>
        }
        .into_any();
    }
    view! {
        <ul class="course-cards">
            {courses
                .into_iter()
                .map(|c| {
                    let badge = if c.passed { "approved" } else { "pending" };
                    view! {
                        <li class="panel">
                            <h3>
                                <a href=format!("/portal/training/{}", c.id)>{c.title.clone()}</a>
                            </h3>
                            <p class="muted">
                                {format!("{} · {} lesson(s) · {}", c.program_name, c.lessons, if c.questions > 0 { format!("quiz of {} question(s)", c.questions) } else { "no quiz".into() })}
                            </p>
                            {(!c.summary.is_empty()).then(|| view! { <p>{c.summary.clone()}</p> })}
                            <StatusBadge status=badge.into() label=c.status.clone() />
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn Certificates(certificates: Vec<HeldCertificateDto>) -> impl IntoView {
    if certificates.is_empty() {
        return view! {
            <p class="muted">"Nobody at your company holds a certificate yet. Pass a certification's courses to earn one."</p>
        }
        .into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                <caption class="sr-only">"Certificates held at your company"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Certification"</th>
                        <th scope="col">"Person"</th>
                        <th scope="col">"Valid until"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Verification page"</th>
                    </tr>
                </thead>
                <tbody>
                    {certificates
                        .into_iter()
                        .map(|c| {
                            view! {
                                <tr>
                                    <td data-label="Certification">{c.certification.clone()}<div class="muted">{c.program.clone()}</div></td>
                                    <td data-label="Person">{c.holder.clone()}</td>
                                    <td data-label="Valid until">{c.valid_until.clone()}</td>
                                    <td data-label="Status">{c.status.clone()}</td>
                                    <td data-label="Verification page">
                                        <a href=c.verify_path.clone()>{c.verify_path.clone()}</a>
                                    </td>
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
