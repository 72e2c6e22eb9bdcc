//! One course for a partner person: its lessons, then the quiz in this attempt's order, with
//! the attempts left, any wait, and every past attempt's score. The form posts the picked
//! option ids only; the server scores them.

use crate::api::training::{my_course, AttemptDto, CoursePageDto, QuizQuestionDto, SubmitQuiz};
use crate::ui::params::id_param;
use crate::ui::resource::resource;
use crate::ui::widgets::Lessons;
use crate::ui::widgets::{load, CsrfField, FormError, Notice};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn CoursePage() -> impl IntoView {
    let submit = ServerAction::<SubmitQuiz>::new();
    let data = resource(move || (id_param(), submit.version().get()), |(id, _)| my_course(id));
    view! {
        <Title text="Course" />
        <p>
            <a href="/portal/training">"← All training"</a>
        </p>
        {load(data, move |d: CoursePageDto| view! { <Course d submit /> }.into_any())}
    }
}

#[component]
fn Course(d: CoursePageDto, submit: ServerAction<SubmitQuiz>) -> impl IntoView {
    let errors = Signal::derive(move || submit.value().get().and_then(Result::err));
    let result = move || submit.value().get().and_then(Result::ok);
    let has_quiz = !d.questions.is_empty();
    view! {
        <h1>{d.title.clone()}</h1>
        <p class="muted">{d.program_name.clone()}</p>
        {(!d.summary.is_empty()).then(|| view! { <p>{d.summary.clone()}</p> })}
        <Lessons lessons=d.lessons.clone() />
        <section class="panel" aria-labelledby="quiz-heading">
            <h2 id="quiz-heading">{if has_quiz { "Quiz" } else { "Finish the course" }}</h2>
            {move || result().map(|r| view! { <Notice>{r.message()}</Notice> })}
            {has_quiz.then(|| view! { <p class="muted">{d.rules.clone()}</p> })}
            {match d.blocked.clone() {
                Some(reason) => view! { <p class="notice-inline" role="status">{reason}</p> }.into_any(),
                None => {
                    view! {
                        <FormError errors />
                        <ActionForm action=submit>
                            <CsrfField />
                            <input type="hidden" name="course_id" value=d.id.to_string() />
                            <input type="hidden" name="attempt" value=d.attempt_no.to_string() />
                            {d.questions.clone().into_iter().map(|q| view! { <Question q /> }).collect_view()}
                            <p class="muted">
                                {if has_quiz {
                                    format!("Attempts left, counting this one: {}.", d.attempts_left)
                                } else {
                                    "Read the lessons, then say you have finished.".into()
                                }}
                            </p>
                            <button type="submit" class="button">
                                {if has_quiz { "Submit answers" } else { "I have finished this course" }}
                            </button>
                        </ActionForm>
                    }
                        .into_any()
                }
            }}
            <Attempts attempts=d.attempts.clone() />
        </section>
    }
}

#[component]
fn Question(q: QuizQuestionDto) -> impl IntoView {
    let QuizQuestionDto {
        id,
        number,
        prompt,
        multiple,
        options,
    } = q;
    view! {
        <fieldset class="quiz-question">
            <legend>
                {format!("{number}. {prompt}")}
                {multiple.then(|| view! { <span class="muted">" (pick every right answer)"</span> })}
            </legend>
            {options
                .into_iter()
                .map(|o| {
                    let input_id = format!("q{id}-o{}", o.id);
                    let (kind, name, value) = if multiple {
                        ("checkbox", "multi[]".to_owned(), format!("{id}:{}", o.id))
                    } else {
                        ("radio", format!("single[{id}]"), o.id.to_string())
                    };
                    view! {
                        <div class="checkbox">
                            <input id=input_id.clone() type=kind name=name value=value required=!multiple />
                            <label for=input_id>{o.label}</label>
                        </div>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

#[component]
fn Attempts(attempts: Vec<AttemptDto>) -> impl IntoView {
    (!attempts.is_empty()).then(|| {
        view! {
            <h3>"Your attempts"</h3>
            <ul class="plain-list">
                {attempts
                    .into_iter()
                    .map(|a| {
                        view! {
                            <li>
                                {format!(
                                    "Attempt {}: {}% · {} · {}",
                                    a.number,
                                    a.score,
                                    if a.passed { "passed" } else { "not passed" },
                                    a.at,
                                )}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    })
}
