//! A program's application form: the questions it asks on top of the standard fields, in order,
//! with the forms that add, edit, reorder and remove them.

use super::super::id_param;
use super::document_requirements::DocumentRequirements;
use super::tabs::{BackLink, ProgramHeader, Tab, READ_ONLY};
use crate::api::application_questions::{
    edit_prefix, program_questions, MoveQuestion, ProgramQuestionsDto, QuestionDto, RemoveQuestion, SaveQuestion,
};
use crate::api::error::AppError;
use crate::domain::questions::{QuestionKind, HELP_MAX, LABEL_MAX};
use crate::ui::resource::resource;
use crate::ui::widgets::{load, CsrfField, EmptyState, FormError, NamedCheckbox, NamedSelect, NamedText};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

/// The forms of the page, so every list of questions and every form reads and refreshes the same.
#[derive(Clone, Copy)]
struct Actions {
    save: ServerAction<SaveQuestion>,
    remove: ServerAction<RemoveQuestion>,
    reorder: ServerAction<MoveQuestion>,
}

impl Actions {
    fn versions(&self) -> (usize, usize, usize) {
        (
            self.save.version().get(),
            self.remove.version().get(),
            self.reorder.version().get(),
        )
    }
}

#[component]
pub fn ProgramQuestions() -> impl IntoView {
    let actions = Actions {
        save: ServerAction::new(),
        remove: ServerAction::new(),
        reorder: ServerAction::new(),
    };
    let data = resource(
        move || (id_param(), actions.versions()),
        |(id, _)| program_questions(id),
    );
    view! {
        <Title text="Application form" />
        <BackLink />
        {load(
            data,
            move |d: ProgramQuestionsDto| {
                view! {
                    <ProgramHeader program_id=d.program_id name=d.program_name.clone() current=Tab::Application />
                    <Outcome actions />
                    <QuestionList d=d.clone() actions />
                    {if d.can_manage {
                        view! { <AddQuestion program_id=d.program_id save=actions.save /> }.into_any()
                    } else {
                        view! { <p class="muted">{READ_ONLY}</p> }.into_any()
                    }}
                    <DocumentRequirements program_id=d.program_id />
                }
                    .into_any()
            },
        )}
    }
}

/// What the latest change did, or why it was refused.
#[component]
fn Outcome(actions: Actions) -> impl IntoView {
    let saved = move || {
        let save = actions.save.value().get().and_then(Result::ok);
        save.or_else(|| actions.remove.value().get().and_then(Result::ok))
    };
    // A save's field errors show beside their fields; anything else (a question removed in
    // another tab, a role without the right) shows here.
    let save_refused = move || {
        let error = actions.save.value().get().and_then(Result::err);
        error.filter(|e| e.field_errors().is_none())
    };
    let refused = Signal::derive(move || {
        let others = [
            actions.remove.value().get(),
            actions.reorder.value().get().map(|r| r.map(|()| String::new())),
        ];
        save_refused().or_else(|| others.into_iter().flatten().find_map(Result::err))
    });
    view! {
        {move || saved().map(|message| view! { <p class="notice" role="status">{message}</p> })}
        <FormError errors=refused />
    }
}

#[component]
fn QuestionList(d: ProgramQuestionsDto, actions: Actions) -> impl IntoView {
    let form_link = format!("/join/{}", d.program_slug);
    let intro = view! {
        <p class="muted">
            "Applicants answer these on "
            <a href=form_link.clone()>{form_link.clone()}</a>
            " after the standard fields (name, email, website, kind of partner, country and how they plan to promote). Reviewers read the answers on each application."
        </p>
    };
    if d.questions.is_empty() {
        return view! {
            {intro}
            <EmptyState title="No questions of your own yet">
                <p>
                    "Add one below: ask for monthly traffic, the markets a reseller covers, a portfolio link, or a confirmation of your brand rules."
                </p>
            </EmptyState>
        }
        .into_any();
    }
    let count = d.questions.len();
    view! {
        {intro}
        <ol class="question-list">
            {d
                .questions
                .into_iter()
                .enumerate()
                .map(|(i, q)| {
                    let place = (i > 0, i + 1 < count);
                    view! { <QuestionItem q program_id=d.program_id can_manage=d.can_manage place actions /> }
                })
                .collect_view()}
        </ol>
    }
    .into_any()
}

#[component]
fn QuestionItem(
    q: QuestionDto,
    program_id: i64,
    can_manage: bool,
    /// Whether the question can move up, and down.
    place: (bool, bool),
    actions: Actions,
) -> impl IntoView {
    let facts = format!(
        "{}{}",
        q.kind_label,
        if q.required { " · required" } else { " · optional" }
    );
    let (remove_label, edit_label) = (format!("Remove “{}”", q.label), format!("Edit “{}”", q.label));
    view! {
        <li class="panel question">
            <h3>{q.label.clone()}</h3>
            <p class="muted">{facts}</p>
            {(!q.help.is_empty()).then(|| view! { <p>{q.help.clone()}</p> })}
            {(!q.options.is_empty())
                .then(|| view! { <ul class="choices-list">{q.options.iter().map(|o| view! { <li>{o.clone()}</li> }).collect_view()}</ul> })}
            {can_manage
                .then(|| {
                    view! {
                        <div class="decide-row">
                            {place.0.then(|| view! { <MoveButton q=q.clone() program_id direction="up" action=actions.reorder /> })}
                            {place.1.then(|| view! { <MoveButton q=q.clone() program_id direction="down" action=actions.reorder /> })}
                            <ActionForm action=actions.remove>
                                <CsrfField />
                                <input type="hidden" name="program_id" value=program_id.to_string() />
                                <input type="hidden" name="question_id" value=q.id.to_string() />
                                <button type="submit" class="button danger small" aria-label=remove_label.clone()>
                                    "Remove"
                                </button>
                            </ActionForm>
                        </div>
                        <details>
                            <summary>{edit_label.clone()}</summary>
                            <QuestionForm program_id question=q.clone() save=actions.save />
                        </details>
                    }
                })}
        </li>
    }
}

#[component]
fn MoveButton(
    q: QuestionDto,
    program_id: i64,
    direction: &'static str,
    action: ServerAction<MoveQuestion>,
) -> impl IntoView {
    view! {
        <ActionForm action>
            <CsrfField />
            <input type="hidden" name="program_id" value=program_id.to_string() />
            <input type="hidden" name="question_id" value=q.id.to_string() />
            <input type="hidden" name="direction" value=direction />
            <button type="submit" class="button secondary small" aria-label=format!("Move “{}” {direction}", q.label)>
                {if direction == "up" { "↑ Up" } else { "↓ Down" }}
            </button>
        </ActionForm>
    }
}

#[component]
fn AddQuestion(program_id: i64, save: ServerAction<SaveQuestion>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="add-question">
            <h2 id="add-question">"Add a question"</h2>
            <QuestionForm program_id save />
        </section>
    }
}

/// The fields of one question: empty to add one, or filled from `question` to edit it (its
/// fields then carry the question's prefix, so errors show beside the right form).
#[component]
fn QuestionForm(
    program_id: i64,
    #[prop(optional)] question: Option<QuestionDto>,
    save: ServerAction<SaveQuestion>,
) -> impl IntoView {
    let errors: Signal<Option<AppError>> = Signal::derive(move || save.value().get().and_then(Result::err));
    let prefix = question.as_ref().map(|q| edit_prefix(q.id)).unwrap_or_default();
    let key = move |field: &str| format!("{prefix}{field}");
    let q = question.clone().unwrap_or(QuestionDto {
        id: 0,
        label: String::new(),
        help: String::new(),
        kind: QuestionKind::ShortText.as_str().into(),
        kind_label: String::new(),
        options: Vec::new(),
        required: false,
    });
    let kinds = QuestionKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), k.label().to_owned()))
        .collect();
    view! {
        <ActionForm action=save>
            <div class="stack">
                <CsrfField />
                <input type="hidden" name="program_id" value=program_id.to_string() />
                {question.as_ref().map(|q| view! { <input type="hidden" name="question_id" value=q.id.to_string() /> })}
                <NamedText name="label" key=key("label") label="Question" value=q.label.clone() errors required=true maxlength=LABEL_MAX />
                <NamedSelect name="kind" key=key("kind") label="Kind of answer" value=q.kind.clone() errors options=kinds />
                <NamedText
                    name="options"
                    key=key("options")
                    label="Choices"
                    value=q.options.join("\n")
                    errors
                    rows=4
                    hint="For single and multiple choice questions: one choice per line. Leave empty for other kinds."
                />
                <NamedText
                    name="help"
                    key=key("help")
                    label="Help text"
                    value=q.help.clone()
                    errors
                    maxlength=HELP_MAX
                    hint="Optional. Shown under the question."
                />
                <NamedCheckbox name="required" key=key("required") label="Applicants must answer it" checked=q.required errors />
                <button type="submit" class="button">
                    {if question.is_some() { "Save the question" } else { "Add the question" }}
                </button>
            </div>
        </ActionForm>
    }
}
