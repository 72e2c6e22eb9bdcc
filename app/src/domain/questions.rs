//! A program's own application questions: how an operator defines one, and how an applicant's
//! answers are checked against them.
//!
//! On the form, question 12 posts `answers[q12]`; each choice of a multiple choice question is a
//! box of its own, `answers[q12_o3]`, whose value is the choice's text. Keying the boxes by
//! position keeps the form a plain map (no repeated names), and carrying the text means a
//! choice is checked against the question as it is now, not against a position that may have
//! moved.

use super::validate::{self, FieldErrors};
use std::collections::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuestionKind {
    ShortText,
    LongText,
    SingleChoice,
    MultipleChoice,
    Url,
    Checkbox,
}

impl QuestionKind {
    pub const ALL: [QuestionKind; 6] = [
        Self::ShortText,
        Self::LongText,
        Self::SingleChoice,
        Self::MultipleChoice,
        Self::Url,
        Self::Checkbox,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ShortText => "short_text",
            Self::LongText => "long_text",
            Self::SingleChoice => "single_choice",
            Self::MultipleChoice => "multiple_choice",
            Self::Url => "url",
            Self::Checkbox => "checkbox",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::ShortText => "Short text",
            Self::LongText => "Long text",
            Self::SingleChoice => "Single choice",
            Self::MultipleChoice => "Multiple choice",
            Self::Url => "Web address",
            Self::Checkbox => "Checkbox",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }

    pub fn has_options(self) -> bool {
        matches!(self, Self::SingleChoice | Self::MultipleChoice)
    }

    /// The longest answer a text question takes.
    fn max_len(self) -> usize {
        match self {
            Self::LongText => LONG_ANSWER_MAX,
            _ => SHORT_ANSWER_MAX,
        }
    }
}

pub const QUESTIONS_MAX: usize = 20;
pub const LABEL_MAX: usize = 200;
pub const HELP_MAX: usize = 500;
pub const OPTIONS_MAX: usize = 20;
pub const OPTION_MAX: usize = 100;
pub const SHORT_ANSWER_MAX: usize = 200;
pub const LONG_ANSWER_MAX: usize = 2000;

/// A question as the operator typed it; `options` has one choice per line.
#[derive(Clone, Debug, Default)]
pub struct QuestionInput {
    pub label: String,
    pub kind: String,
    pub options: String,
    pub help: String,
    pub required: bool,
}

impl QuestionInput {
    pub fn echo(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("label", &self.label),
            ("kind", &self.kind),
            ("options", &self.options),
            ("help", &self.help),
            ("required", if self.required { "yes" } else { "" }),
        ]
    }
}

/// A question that passed every check, ready to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuestionDraft {
    pub label: String,
    pub kind: QuestionKind,
    pub options: Vec<String>,
    pub help: String,
    pub required: bool,
}

pub fn validate_question(input: &QuestionInput) -> Result<QuestionDraft, FieldErrors> {
    let mut errors = FieldErrors::default();
    let label = errors.check(
        "label",
        validate::required_text(&input.label, "The question", LABEL_MAX),
    );
    let help = errors.check("help", validate::optional_text(&input.help, "The help text", HELP_MAX));
    let kind = errors.check(
        "kind",
        QuestionKind::parse(&input.kind).ok_or_else(|| "Choose the kind of answer.".to_owned()),
    );
    let options = kind.and_then(|kind| errors.check("options", options_for(kind, &input.options)));
    match (label, help, kind, options) {
        (Some(label), Some(help), Some(kind), Some(options)) if errors.is_empty() => Ok(QuestionDraft {
            label,
            kind,
            options,
            help: help.unwrap_or_default(),
            required: input.required,
        }),
        _ => Err(errors),
    }
}

/// The choices of a choice question (2 to 20, distinct, one per line); other kinds take none.
fn options_for(kind: QuestionKind, text: &str) -> Result<Vec<String>, String> {
    let options: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect();
    if !kind.has_options() {
        return match options.is_empty() {
            true => Ok(Vec::new()),
            false => Err(format!(
                "A {} question has no choices: leave this empty.",
                kind.label().to_lowercase()
            )),
        };
    }
    if options.len() < 2 || options.len() > OPTIONS_MAX {
        return Err(format!("Give between 2 and {OPTIONS_MAX} choices, one per line."));
    }
    for (i, option) in options.iter().enumerate() {
        validate::optional_text(option, "Each choice", OPTION_MAX)?;
        if options[..i].contains(option) {
            return Err(format!("“{option}” is there twice: each choice must differ."));
        }
    }
    Ok(options)
}

/// A question as applicants see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    pub id: i64,
    pub label: String,
    pub kind: QuestionKind,
    pub options: Vec<String>,
    pub required: bool,
}

/// An answer to keep: the question, its wording when answered, and the value (or the picks).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub question_id: i64,
    pub label: String,
    pub values: Vec<String>,
}

/// The form key of question `id` (its field is `answers[q{id}]`).
pub fn field_key(id: i64) -> String {
    format!("q{id}")
}

/// The form key of choice `index` of multiple choice question `id`.
pub fn option_key(id: i64, index: usize) -> String {
    format!("q{id}_o{index}")
}

pub const REQUIRED_ANSWER: &str = "Answer this question to apply.";
pub const UNKNOWN_CHOICE: &str = "Choose one of the choices shown.";

/// Checks the posted answers against the program's questions. Every error is keyed by the
/// question's field, so each shows beside its question; answers to unknown keys are ignored.
pub fn validate_answers(questions: &[Question], posted: &HashMap<String, String>) -> Result<Vec<Answer>, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut answers = Vec::new();
    for q in questions {
        let key = field_key(q.id);
        let values = match answer_to(q, posted) {
            Ok(values) => values,
            Err(message) => {
                errors.add(&key, message);
                continue;
            }
        };
        if values.is_empty() {
            if q.required {
                errors.add(&key, REQUIRED_ANSWER);
            }
            continue;
        }
        answers.push(Answer {
            question_id: q.id,
            label: q.label.clone(),
            values,
        });
    }
    match errors.is_empty() {
        true => Ok(answers),
        false => Err(errors),
    }
}

/// One question's answer as values (empty when unanswered), or why it can't be taken.
fn answer_to(q: &Question, posted: &HashMap<String, String>) -> Result<Vec<String>, String> {
    let single = posted.get(&field_key(q.id)).map(|v| v.trim()).unwrap_or_default();
    let one = |value: String| Ok(vec![value]);
    match q.kind {
        QuestionKind::ShortText | QuestionKind::LongText => {
            match validate::optional_text(single, "The answer", q.kind.max_len())? {
                Some(text) => one(text),
                None => Ok(Vec::new()),
            }
        }
        QuestionKind::Url => match validate::website(single) {
            Ok(Some(url)) => one(url),
            Ok(None) => Ok(Vec::new()),
            Err(_) => Err("Enter a web address, like https://example.com.".into()),
        },
        QuestionKind::Checkbox => match single {
            "" => Ok(Vec::new()),
            "yes" => one("Yes".into()),
            _ => Err(UNKNOWN_CHOICE.into()),
        },
        QuestionKind::SingleChoice => match single {
            "" => Ok(Vec::new()),
            chosen if q.options.iter().any(|o| o == chosen) => one(chosen.to_owned()),
            _ => Err(UNKNOWN_CHOICE.into()),
        },
        QuestionKind::MultipleChoice => {
            let prefix = format!("{}_o", field_key(q.id));
            let mut picks: Vec<&str> = posted
                .iter()
                .filter(|(k, v)| k.starts_with(&prefix) && !v.trim().is_empty())
                .map(|(_, v)| v.trim())
                .collect();
            if picks.iter().any(|p| !q.options.iter().any(|o| o == p)) {
                return Err(UNKNOWN_CHOICE.into());
            }
            picks.sort_by_key(|p| q.options.iter().position(|o| o == p));
            picks.dedup();
            Ok(picks.into_iter().map(str::to_owned).collect())
        }
    }
}

/// The posted answers that belong to the questions, to fill the form again after an error.
pub fn echo<'a>(questions: &[Question], posted: &'a HashMap<String, String>) -> Vec<(String, &'a str)> {
    let ids: Vec<String> = questions.iter().map(|q| field_key(q.id)).collect();
    let mut echoed: Vec<(String, &str)> = posted
        .iter()
        .filter(|(k, _)| ids.iter().any(|id| *k == id || k.starts_with(&format!("{id}_o"))))
        .map(|(k, v)| (k.clone(), v.as_str()))
        .collect();
    echoed.sort();
    echoed
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn question(id: i64, kind: QuestionKind, options: &[&str], required: bool) -> Question {
        Question {
            id,
            label: format!("Question {id}"),
            kind,
            options: options.iter().map(|o| o.to_string()).collect(),
            required,
        }
    }

    fn posted(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn input(label: &str, kind: &str, options: &str) -> QuestionInput {
        QuestionInput {
            label: label.into(),
            kind: kind.into(),
            options: options.into(),
            help: String::new(),
            required: true,
        }
    }

    #[test]
    fn a_question_needs_words_a_kind_and_choices_only_when_it_has_them() {
        let ok = validate_question(&input(
            " Monthly visitors? ",
            "single_choice",
            "Under 10k\n\n 10k–100k \nOver 100k",
        ))
        .unwrap();
        assert_eq!(ok.label, "Monthly visitors?");
        assert_eq!(ok.options, vec!["Under 10k", "10k–100k", "Over 100k"]);
        let errors = validate_question(&input("", "dropdown", "")).unwrap_err();
        assert_eq!(errors.get("label"), Some("The question is required."));
        assert_eq!(errors.get("kind"), Some("Choose the kind of answer."));
        let one = validate_question(&input("Pick", "multiple_choice", "Only one")).unwrap_err();
        assert_eq!(one.get("options"), Some("Give between 2 and 20 choices, one per line."));
        let twice = validate_question(&input("Pick", "single_choice", "A\nB\nA")).unwrap_err();
        assert_eq!(
            twice.get("options"),
            Some("“A” is there twice: each choice must differ.")
        );
        let stray = validate_question(&input("Your site", "url", "A\nB")).unwrap_err();
        assert_eq!(
            stray.get("options"),
            Some("A web address question has no choices: leave this empty.")
        );
    }

    #[test]
    fn required_questions_must_be_answered_and_choices_must_be_offered_ones() {
        let questions = vec![
            question(1, QuestionKind::ShortText, &[], true),
            question(2, QuestionKind::SingleChoice, &["Blog", "Video"], true),
            question(3, QuestionKind::MultipleChoice, &["EU", "US", "APAC"], false),
            question(4, QuestionKind::Checkbox, &[], true),
            question(5, QuestionKind::Url, &[], false),
        ];
        let errors = validate_answers(
            &questions,
            &posted(&[("q2", "Podcast"), ("q3_o0", "Mars"), ("q5", "not a url")]),
        )
        .unwrap_err();
        assert_eq!(errors.get("q1"), Some(REQUIRED_ANSWER));
        assert_eq!(errors.get("q2"), Some(UNKNOWN_CHOICE));
        assert_eq!(errors.get("q3"), Some(UNKNOWN_CHOICE));
        assert_eq!(errors.get("q4"), Some(REQUIRED_ANSWER));
        assert_eq!(errors.get("q5"), Some("Enter a web address, like https://example.com."));

        let answers = validate_answers(
            &questions,
            &posted(&[
                ("q1", " Ana "),
                ("q2", "Video"),
                ("q3_o2", "APAC"),
                ("q3_o0", "EU"),
                ("q4", "yes"),
                ("q9", "x"),
            ]),
        )
        .unwrap();
        let values: Vec<(i64, Vec<String>)> = answers.into_iter().map(|a| (a.question_id, a.values)).collect();
        assert_eq!(
            values,
            vec![
                (1, vec!["Ana".to_owned()]),
                (2, vec!["Video".to_owned()]),
                (3, vec!["EU".to_owned(), "APAC".to_owned()]),
                (4, vec!["Yes".to_owned()]),
            ],
            "picks come in the question's order; an optional question left empty is not kept"
        );
    }

    #[test]
    fn answers_longer_than_their_kind_allows_are_refused() {
        let questions = vec![
            question(1, QuestionKind::ShortText, &[], false),
            question(2, QuestionKind::LongText, &[], false),
        ];
        let long = "x".repeat(SHORT_ANSWER_MAX + 1);
        let errors = validate_answers(&questions, &posted(&[("q1", &long), ("q2", &long)])).unwrap_err();
        assert_eq!(errors.get("q1"), Some("The answer must be at most 200 characters."));
        assert_eq!(errors.get("q2"), None);
    }

    #[test]
    fn the_echo_keeps_only_what_belongs_to_the_questions() {
        let questions = vec![question(1, QuestionKind::MultipleChoice, &["A", "B"], false)];
        let form = posted(&[("q1_o1", "B"), ("q11", "other question"), ("name", "x")]);
        assert_eq!(echo(&questions, &form), vec![("q1_o1".to_owned(), "B")]);
    }

    proptest! {
        /// Whatever is posted, every answer kept is among a choice question's options, and
        /// every required question either has an answer or an error.
        #[test]
        fn kept_choices_are_always_offered_ones(
            picks in proptest::collection::vec(("[0-4]", "[A-E]{1}"), 0..6),
            single in "[A-F]?",
        ) {
            let questions = vec![
                question(1, QuestionKind::SingleChoice, &["A", "B", "C"], true),
                question(2, QuestionKind::MultipleChoice, &["A", "B", "C"], true),
            ];
            let mut form: HashMap<String, String> =
                picks.iter().map(|(i, v)| (format!("q2_o{i}"), v.clone())).collect();
            form.insert("q1".into(), single);
            match validate_answers(&questions, &form) {
                Ok(answers) => {
                    prop_assert_eq!(answers.len(), 2);
                    for answer in answers {
                        prop_assert!(!answer.values.is_empty());
                        prop_assert!(answer.values.iter().all(|v| ["A", "B", "C"].contains(&v.as_str())));
                    }
                }
                Err(errors) => prop_assert!(errors.get("q1").is_some() || errors.get("q2").is_some()),
            }
        }
    }
}
