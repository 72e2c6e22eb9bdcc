//! Scoring a quiz attempt. The server holds the correct options; the browser sends only the
//! option ids a person picked. An answer naming an option of another question, or a question
//! left unanswered, is refused before anything is scored or stored.

use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    pub id: i64,
    /// Several options may be right, and the answer is the set picked.
    pub multiple: bool,
    pub options: Vec<QuizOption>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuizOption {
    pub id: i64,
    pub correct: bool,
}

/// The option ids picked, per question id.
pub type Answers = BTreeMap<i64, BTreeSet<i64>>;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnswerError {
    /// The answer names a question that isn't in this quiz.
    UnknownQuestion,
    /// The option isn't one of that question's (question number, from 1).
    ForeignOption(usize),
    Unanswered(usize),
    /// More than one pick for a single-choice question.
    OnePickOnly(usize),
}

impl AnswerError {
    pub fn message(&self) -> String {
        match self {
            Self::UnknownQuestion => {
                "The answers name a question that isn't in this quiz. Reload the page and try again.".into()
            }
            Self::ForeignOption(n) => format!("The answer to question {n} names an option that isn't one of its own."),
            Self::Unanswered(n) => format!("Answer question {n} before you submit."),
            Self::OnePickOnly(n) => format!("Question {n} takes one answer."),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Score {
    /// Rounded down: 2 of 3 right is 66.
    pub percent: u8,
    pub passed: bool,
}

/// Scores the answers. Without partial credit a question counts only when exactly its correct
/// options are picked. With it, a multiple-choice question earns its right picks less its wrong
/// ones (never below zero) over its correct options.
pub fn score(
    questions: &[Question],
    answers: &Answers,
    pass_mark: u8,
    partial_credit: bool,
) -> Result<Score, AnswerError> {
    if answers.keys().any(|id| !questions.iter().any(|q| q.id == *id)) {
        return Err(AnswerError::UnknownQuestion);
    }
    // Credit per question in thousandths, so partial credit needs no floats.
    let mut earned: u64 = 0;
    for (index, question) in questions.iter().enumerate() {
        let number = index + 1;
        let picks = answers
            .get(&question.id)
            .filter(|p| !p.is_empty())
            .ok_or(AnswerError::Unanswered(number))?;
        if picks.iter().any(|pick| !question.options.iter().any(|o| o.id == *pick)) {
            return Err(AnswerError::ForeignOption(number));
        }
        if !question.multiple && picks.len() > 1 {
            return Err(AnswerError::OnePickOnly(number));
        }
        let correct: BTreeSet<i64> = question.options.iter().filter(|o| o.correct).map(|o| o.id).collect();
        earned += if *picks == correct {
            1000
        } else if partial_credit && question.multiple && !correct.is_empty() {
            let right = picks.intersection(&correct).count() as u64;
            let wrong = picks.difference(&correct).count() as u64;
            right.saturating_sub(wrong) * 1000 / correct.len() as u64
        } else {
            0
        };
    }
    let percent = if questions.is_empty() {
        100
    } else {
        (earned * 100 / (questions.len() as u64 * 1000)) as u8
    };
    Ok(Score {
        percent,
        passed: percent >= pass_mark,
    })
}

/// The items in an order fixed by `seed`: each attempt gets its own order of options, and a
/// reload of the same attempt shows the same one.
pub fn shuffled<T: Clone>(items: &[T], seed: u64) -> Vec<T> {
    let mut out = items.to_vec();
    let mut state = seed;
    for i in (1..out.len()).rev() {
        let j = (splitmix(&mut state) % (i as u64 + 1)) as usize;
        out.swap(i, j);
    }
    out
}

/// The seed of one person's attempt at one question.
pub fn seed(user_id: i64, question_id: i64, attempt_no: i32) -> u64 {
    let mut state = (user_id as u64) ^ (question_id as u64).rotate_left(21) ^ (attempt_no as u64).rotate_left(42);
    splitmix(&mut state)
}

fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(id: i64, multiple: bool, options: &[(i64, bool)]) -> Question {
        Question {
            id,
            multiple,
            options: options
                .iter()
                .map(|&(id, correct)| QuizOption { id, correct })
                .collect(),
        }
    }

    fn quiz() -> Vec<Question> {
        vec![
            question(1, false, &[(10, true), (11, false), (12, false)]),
            question(2, true, &[(20, true), (21, true), (22, false)]),
        ]
    }

    fn answers(pairs: &[(i64, &[i64])]) -> Answers {
        pairs
            .iter()
            .map(|(q, picks)| (*q, picks.iter().copied().collect()))
            .collect()
    }

    #[test]
    fn every_right_answer_scores_full_marks() {
        let score = score(&quiz(), &answers(&[(1, &[10]), (2, &[20, 21])]), 80, false).unwrap();
        assert_eq!(
            score,
            Score {
                percent: 100,
                passed: true
            }
        );
    }

    #[test]
    fn multiple_choice_needs_the_exact_set_without_partial_credit() {
        let half = answers(&[(1, &[10]), (2, &[20])]);
        assert_eq!(
            score(&quiz(), &half, 80, false).unwrap(),
            Score {
                percent: 50,
                passed: false
            }
        );
        let extra = answers(&[(1, &[10]), (2, &[20, 21, 22])]);
        assert_eq!(
            score(&quiz(), &extra, 50, false).unwrap(),
            Score {
                percent: 50,
                passed: true
            }
        );
    }

    #[test]
    fn partial_credit_counts_right_picks_less_wrong_ones() {
        let one_of_two = answers(&[(1, &[10]), (2, &[20])]);
        assert_eq!(score(&quiz(), &one_of_two, 80, true).unwrap().percent, 75);
        let one_right_one_wrong = answers(&[(1, &[11]), (2, &[20, 22])]);
        assert_eq!(score(&quiz(), &one_right_one_wrong, 80, true).unwrap().percent, 0);
    }

    #[test]
    fn the_pass_mark_is_inclusive_and_percentages_round_down() {
        let three = vec![
            question(1, false, &[(10, true), (11, false)]),
            question(2, false, &[(20, true), (21, false)]),
            question(3, false, &[(30, true), (31, false)]),
        ];
        let two_right = answers(&[(1, &[10]), (2, &[20]), (3, &[31])]);
        assert_eq!(
            score(&three, &two_right, 66, false).unwrap(),
            Score {
                percent: 66,
                passed: true
            }
        );
        assert!(!score(&three, &two_right, 67, false).unwrap().passed);
    }

    #[test]
    fn bad_answers_are_refused_with_the_question_named() {
        assert_eq!(
            score(&quiz(), &answers(&[(1, &[20]), (2, &[20])]), 80, false),
            Err(AnswerError::ForeignOption(1))
        );
        assert_eq!(
            score(&quiz(), &answers(&[(1, &[10])]), 80, false),
            Err(AnswerError::Unanswered(2))
        );
        assert_eq!(
            score(&quiz(), &answers(&[(1, &[10, 11]), (2, &[20])]), 80, false),
            Err(AnswerError::OnePickOnly(1))
        );
        assert_eq!(
            score(&quiz(), &answers(&[(1, &[10]), (2, &[20]), (9, &[90])]), 80, false),
            Err(AnswerError::UnknownQuestion)
        );
        assert!(AnswerError::ForeignOption(1).message().contains("question 1"));
    }

    #[test]
    fn shuffling_keeps_every_item_and_depends_on_the_attempt() {
        let items: Vec<i64> = (1..=8).collect();
        let first = shuffled(&items, seed(7, 3, 1));
        let mut sorted = first.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, items);
        assert_eq!(
            first,
            shuffled(&items, seed(7, 3, 1)),
            "the same attempt sees the same order"
        );
        let orders: BTreeSet<Vec<i64>> = (1..=6).map(|n| shuffled(&items, seed(7, 3, n))).collect();
        assert!(orders.len() > 1, "attempts see different orders");
    }
}
