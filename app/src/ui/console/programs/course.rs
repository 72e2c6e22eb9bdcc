//! One course in the console: the lessons as partners will read them, the quiz with its right
//! answers marked, and the forms that add a lesson or a question and publish the course.

use super::super::id_param;
use super::tabs::{BackLink, ProgramHeader, Tab, READ_ONLY};
use crate::api::training::{
    course_editor, AddLesson, AddQuestion, AttachDocument, CourseEditorDto, EditorQuestionDto, PublishCourse,
};
use crate::ui::resource::resource;
use crate::ui::widgets::{load, CsrfField, FormError, Lessons, SelectField, TextAreaField, TextField};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

fn course_param() -> i64 {
    crate::ui::params::number_param("course_id")
}

#[component]
pub fn CourseEditor() -> impl IntoView {
    let add_lesson = ServerAction::<AddLesson>::new();
    let add_question = ServerAction::<AddQuestion>::new();
    let publish = ServerAction::<PublishCourse>::new();
    let attach = ServerAction::<AttachDocument>::new();
    let data = resource(
        move || {
            (
                id_param(),
                course_param(),
                add_lesson.version().get(),
                add_question.version().get(),
                publish.version().get(),
                attach.version().get(),
            )
        },
        |(program_id, course_id, ..)| course_editor(program_id, course_id),
    );
    view! {
        <Title text="Course" />
        <BackLink />
        {load(
            data,
            move |d: CourseEditorDto| {
                view! {
                    <ProgramHeader program_id=d.program_id name=d.program_name.clone() current=Tab::Training />
                    <p>
                        <a href=Tab::Training.href(d.program_id)>"← All courses"</a>
                    </p>
                    <h2>{d.title.clone()}</h2>
                    <p class="muted">
                        {format!("{} · {} · {}", if d.published { "Published" } else { "Draft" }, d.visibility, d.rules)}
                    </p>
                    {(!d.summary.is_empty()).then(|| view! { <p>{d.summary.clone()}</p> })}
                    <h3>"Lessons"</h3>
                    <Lessons lessons=d.lessons.clone() />
                    <h3>"Quiz"</h3>
                    <Questions questions=d.questions.clone() />
                    {if d.can_manage {
                        view! {
                            <AttachForm d=d.clone() attach />
                            <Forms d=d.clone() add_lesson add_question publish />
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
fn Questions(questions: Vec<EditorQuestionDto>) -> impl IntoView {
    if questions.is_empty() {
        return view! {
            <p class="muted">"No questions: partners complete this course by saying they have finished it."</p>
        }
        .into_any();
    }
    view! {
        <ol class="quiz-review">
            {questions
                .into_iter()
                .map(|q| {
                    view! {
                        <li>
                            <p>
                                <strong>{q.prompt.clone()}</strong>
                                {q.multiple.then_some(" (pick every right answer)")}
                            </p>
                            <ul>
                                {q
                                    .options
                                    .iter()
                                    .map(|(label, correct)| {
                                        view! { <li class:correct=*correct>{label.clone()} {correct.then_some(" ✓ right answer")}</li> }
                                    })
                                    .collect_view()}
                            </ul>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
    .into_any()
}

/// Attaches a library document to a lesson (shown only when there are both).
#[component]
fn AttachForm(d: CourseEditorDto, attach: ServerAction<AttachDocument>) -> impl IntoView {
    if d.lessons.is_empty() || d.documents.is_empty() {
        return view! {
            <p class="muted">
                "Lessons can point to documents of the program's "
                <a href=Tab::Library.href(d.program_id)>"library"</a>
                ": add a lesson and a document, then attach it here."
            </p>
        }
        .into_any();
    }
    let errors = Signal::derive(move || attach.value().get().and_then(Result::err));
    let lessons = d
        .lessons
        .iter()
        .map(|l| (l.id.to_string(), l.title.clone()))
        .collect::<Vec<_>>();
    let documents = d
        .documents
        .iter()
        .map(|(id, title)| (id.to_string(), title.clone()))
        .collect::<Vec<_>>();
    view! {
        <section class="panel" aria-labelledby="attach-document">
            <h2 id="attach-document">"Attach a library document"</h2>
            <p class="muted">"Partners see it under the lesson if the document's own audience admits them."</p>
            <FormError errors />
            <ActionForm action=attach>
                <div class="stack">
                    <CsrfField />
                    <input type="hidden" name="program_id" value=d.program_id.to_string() />
                    <input type="hidden" name="course_id" value=d.id.to_string() />
                    <div class="field-row">
                        <SelectField label="Lesson" name="lesson_id" errors options=lessons required=true />
                        <SelectField label="Document" name="document_id" errors options=documents required=true />
                    </div>
                    <button type="submit" class="button">
                        "Attach"
                    </button>
                </div>
            </ActionForm>
        </section>
    }
    .into_any()
}

#[component]
fn Forms(
    d: CourseEditorDto,
    add_lesson: ServerAction<AddLesson>,
    add_question: ServerAction<AddQuestion>,
    publish: ServerAction<PublishCourse>,
) -> impl IntoView {
    let lesson_errors = Signal::derive(move || add_lesson.value().get().and_then(Result::err));
    let question_errors = Signal::derive(move || add_question.value().get().and_then(Result::err));
    let publish_errors = Signal::derive(move || publish.value().get().and_then(Result::err));
    let ids = move || {
        view! {
            <CsrfField />
            <input type="hidden" name="program_id" value=d.program_id.to_string() />
            <input type="hidden" name="course_id" value=d.id.to_string() />
        }
    };
    view! {
        <section class="panel" aria-labelledby="add-lesson">
            <h2 id="add-lesson">"Add a lesson"</h2>
            <FormError errors=lesson_errors />
            <ActionForm action=add_lesson>
                <div class="stack">
                    {ids()}
                    <TextField label="Lesson title" name="title" errors=lesson_errors required=true maxlength=120 />
                    <TextAreaField
                        label="Text (Markdown)"
                        name="body"
                        errors=lesson_errors
                        rows=8
                        hint="Headings with #, **bold**, lists with -, links as [text](https://…). Scripts and HTML event attributes are removed when shown."
                    />
                    {if d.video_hosts.is_empty() {
                        view! { <p class="hint">"Videos are switched off on this installation."</p> }.into_any()
                    } else {
                        view! {
                            <TextField
                                label="Video address"
                                name="video_url"
                                errors=lesson_errors
                                kind="url"
                                hint=format!("Optional: an address on {}.", d.video_hosts)
                            />
                        }
                            .into_any()
                    }}
                    <button type="submit" class="button">
                        "Add lesson"
                    </button>
                </div>
            </ActionForm>
        </section>
        {if d.published {
            view! {
                <p class="muted">"The quiz of a published course stays as it is, so every attempt is scored against the questions it answered."</p>
            }
                .into_any()
        } else {
            view! {
                <section class="panel" aria-labelledby="add-question">
                    <h2 id="add-question">"Add a quiz question"</h2>
                    <FormError errors=question_errors />
                    <ActionForm action=add_question>
                        <div class="stack">
                            {ids()}
                            <TextAreaField label="Question" name="prompt" errors=question_errors rows=2 required=true maxlength=1000 />
                            <TextAreaField
                                label="Options"
                                name="options"
                                errors=question_errors
                                rows=5
                                required=true
                                hint="One per line, 2 to 8. Start each right answer with *. With more than one right answer, partners must pick exactly those."
                            />
                            <button type="submit" class="button">
                                "Add question"
                            </button>
                        </div>
                    </ActionForm>
                </section>
                <section class="panel" aria-labelledby="publish-course">
                    <h2 id="publish-course">"Publish"</h2>
                    <p>"Partners the course is for see it once it is published. Its quiz can't change after that."</p>
                    <FormError errors=publish_errors />
                    <ActionForm action=publish>
                        {ids()}
                        <button type="submit" class="button">
                            "Publish course"
                        </button>
                    </ActionForm>
                </section>
            }
                .into_any()
        }}
    }
}
