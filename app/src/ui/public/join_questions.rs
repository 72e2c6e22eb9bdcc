//! The program's own questions on its application form, each as the field its kind needs. Field
//! names follow `domain::questions`: `answers[q12]`, and `answers[q12_o3]` per choice of a
//! multiple choice question.

use crate::api::application_questions::QuestionDto;
use crate::api::error::AppError;
use crate::domain::questions::{field_key, option_key, QuestionKind, LONG_ANSWER_MAX, SHORT_ANSWER_MAX};
use crate::ui::widgets::{Choice, NamedCheckbox, NamedChoices, NamedText};
use leptos::prelude::*;

#[component]
pub fn JoinQuestions(questions: Vec<QuestionDto>, errors: Signal<Option<AppError>>) -> impl IntoView {
    questions
        .into_iter()
        .map(|q| view! { <QuestionField q errors /> })
        .collect_view()
}

#[component]
fn QuestionField(q: QuestionDto, errors: Signal<Option<AppError>>) -> impl IntoView {
    let key = field_key(q.id);
    let name = format!("answers[{key}]");
    let kind = QuestionKind::parse(&q.kind).unwrap_or(QuestionKind::ShortText);
    let (label, hint, required) = (q.label.clone(), q.help.clone(), q.required);
    match kind {
        QuestionKind::ShortText | QuestionKind::Url => {
            let hint = match (kind, hint.is_empty()) {
                (QuestionKind::Url, true) => "A web address, like https://example.com.".to_owned(),
                _ => hint,
            };
            view! { <NamedText name key label errors hint required maxlength=SHORT_ANSWER_MAX /> }.into_any()
        }
        QuestionKind::LongText => {
            view! { <NamedText name key label errors hint required rows=4 maxlength=LONG_ANSWER_MAX /> }.into_any()
        }
        QuestionKind::Checkbox => view! { <NamedCheckbox name key label errors hint /> }.into_any(),
        QuestionKind::SingleChoice | QuestionKind::MultipleChoice => {
            let multiple = kind == QuestionKind::MultipleChoice;
            let choices = q
                .options
                .iter()
                .enumerate()
                .map(|(i, value)| {
                    let key = if multiple { option_key(q.id, i) } else { key.clone() };
                    Choice {
                        name: format!("answers[{key}]"),
                        key,
                        value: value.clone(),
                    }
                })
                .collect();
            view! { <NamedChoices key label choices multiple errors hint required /> }.into_any()
        }
    }
}
