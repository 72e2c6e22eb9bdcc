//! What operators fill in to build training: a course and its quiz rules, a lesson, a quiz
//! question with its options, and a certification. Each is checked field by field.

use super::video;
use crate::domain::creatives::form::kinds_or_tiers;
use crate::domain::creatives::Visibility;
use crate::domain::validate::{self, FieldErrors};

#[derive(Clone, Debug, Default)]
pub struct CourseInput {
    pub title: String,
    pub summary: String,
    /// all | kinds | tiers
    pub visibility: String,
    pub audience: String,
    pub pass_mark: String,
    pub max_attempts: String,
    pub wait_minutes: String,
    pub partial_credit: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidCourse {
    pub title: String,
    pub summary: String,
    pub visibility: Visibility,
    pub pass_mark: i16,
    pub max_attempts: i16,
    pub wait_minutes: i32,
    pub partial_credit: bool,
}

impl CourseInput {
    /// What was typed, for a refused form to show again.
    pub fn echo(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("title", &self.title),
            ("summary", &self.summary),
            ("visibility", &self.visibility),
            ("audience", &self.audience),
            ("pass_mark", &self.pass_mark),
            ("max_attempts", &self.max_attempts),
            ("wait_minutes", &self.wait_minutes),
            ("partial_credit", if self.partial_credit { "yes" } else { "" }),
        ]
    }
}

pub fn course(input: &CourseInput) -> Result<ValidCourse, FieldErrors> {
    let mut errors = FieldErrors::default();
    let title = errors.check("title", validate::required_text(&input.title, "Title", 120));
    let summary = errors.check("summary", validate::optional_text(&input.summary, "Summary", 2000));
    let visibility = errors.check(
        "audience",
        kinds_or_tiers(&input.visibility, &input.audience, "Courses"),
    );
    let pass_mark = errors.check("pass_mark", whole(&input.pass_mark, "The pass mark", 1, 100, "%"));
    let max_attempts = errors.check("max_attempts", whole(&input.max_attempts, "Attempts", 1, 20, ""));
    let wait = errors.check(
        "wait_minutes",
        whole(&input.wait_minutes, "The wait", 0, 43_200, " minutes"),
    );
    match (title, summary, visibility, pass_mark, max_attempts, wait) {
        (Some(title), Some(summary), Some(visibility), Some(pass_mark), Some(max_attempts), Some(wait))
            if errors.is_empty() =>
        {
            Ok(ValidCourse {
                title,
                summary: summary.unwrap_or_default(),
                visibility,
                pass_mark: pass_mark as i16,
                max_attempts: max_attempts as i16,
                wait_minutes: wait as i32,
                partial_credit: input.partial_credit,
            })
        }
        _ => Err(errors),
    }
}

#[derive(Clone, Debug, Default)]
pub struct LessonInput {
    pub title: String,
    pub body: String,
    pub video_url: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidLesson {
    pub title: String,
    /// Markdown, stored as written.
    pub body: String,
    /// The address as the operator gave it; its embed address is made on the way out.
    pub video_url: Option<String>,
}

impl LessonInput {
    pub fn echo(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("title", &self.title),
            ("body", &self.body),
            ("video_url", &self.video_url),
        ]
    }
}

/// A lesson; its video must be on one of the `videos` hosts.
pub fn lesson(input: &LessonInput, videos: &[video::VideoHost]) -> Result<ValidLesson, FieldErrors> {
    let mut errors = FieldErrors::default();
    let title = errors.check("title", validate::required_text(&input.title, "Title", 120));
    let body = errors.check(
        "body",
        validate::optional_text(&input.body, "The lesson's text", 50_000),
    );
    let video = input.video_url.trim();
    let video_url = errors.check(
        "video_url",
        if video.is_empty() {
            Ok(None)
        } else {
            video::embed_url(video, videos).map(|_| Some(video.to_owned()))
        },
    );
    if matches!((&body, &video_url), (Some(None), Some(None))) {
        errors.add("body", "Write the lesson, or give it a video.");
    }
    match (title, body, video_url) {
        (Some(title), Some(body), Some(video_url)) if errors.is_empty() => Ok(ValidLesson {
            title,
            body: body.unwrap_or_default(),
            video_url,
        }),
        _ => Err(errors),
    }
}

#[derive(Clone, Debug, Default)]
pub struct QuestionInput {
    pub prompt: String,
    /// One option per line; a line starting with `*` is a correct one.
    pub options: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidQuestion {
    pub prompt: String,
    /// More than one correct option makes it a multiple-choice question.
    pub multiple: bool,
    /// (label, correct), in the order written.
    pub options: Vec<(String, bool)>,
}

pub const MAX_OPTIONS: usize = 8;

impl QuestionInput {
    pub fn echo(&self) -> Vec<(&'static str, &str)> {
        vec![("prompt", &self.prompt), ("options", &self.options)]
    }
}

pub fn question(input: &QuestionInput) -> Result<ValidQuestion, FieldErrors> {
    let mut errors = FieldErrors::default();
    let prompt = errors.check("prompt", validate::required_text(&input.prompt, "The question", 1000));
    let options = errors.check("options", options(&input.options));
    match (prompt, options) {
        (Some(prompt), Some(options)) => Ok(ValidQuestion {
            prompt,
            multiple: options.iter().filter(|(_, correct)| *correct).count() > 1,
            options,
        }),
        _ => Err(errors),
    }
}

fn options(text: &str) -> Result<Vec<(String, bool)>, String> {
    let mut options: Vec<(String, bool)> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (label, correct) = match line.strip_prefix('*') {
            Some(rest) => (rest.trim(), true),
            None => (line, false),
        };
        let label = validate::required_text(label, "An option", 300)?;
        if options.iter().any(|(l, _)| l.eq_ignore_ascii_case(&label)) {
            return Err(format!("\"{label}\" is listed twice."));
        }
        options.push((label, correct));
    }
    if options.len() < 2 {
        return Err("Give at least two options, one per line.".into());
    }
    if options.len() > MAX_OPTIONS {
        return Err(format!("At most {MAX_OPTIONS} options."));
    }
    if !options.iter().any(|(_, correct)| *correct) {
        return Err("Mark the correct option (or options) with a * at the start of its line.".into());
    }
    Ok(options)
}

#[derive(Clone, Debug, Default)]
pub struct CertificationInput {
    pub name: String,
    pub description: String,
    pub valid_months: String,
    pub course_ids: Vec<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidCertification {
    pub name: String,
    pub description: String,
    pub valid_months: i16,
    pub course_ids: Vec<i64>,
}

impl CertificationInput {
    pub fn echo(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("name", &self.name),
            ("description", &self.description),
            ("valid_months", &self.valid_months),
        ]
    }
}

/// `program_courses` are the ids of the program's courses: any other id is refused.
pub fn certification(input: &CertificationInput, program_courses: &[i64]) -> Result<ValidCertification, FieldErrors> {
    let mut errors = FieldErrors::default();
    let name = errors.check("name", validate::required_text(&input.name, "Name", 120));
    let description = errors.check(
        "description",
        validate::optional_text(&input.description, "Description", 2000),
    );
    let months = errors.check(
        "valid_months",
        whole(&input.valid_months, "Validity", 1, 120, " months"),
    );
    let mut course_ids = input.course_ids.clone();
    course_ids.sort_unstable();
    course_ids.dedup();
    if course_ids.is_empty() {
        errors.add("course_ids", "Choose the courses a person must pass.");
    } else if course_ids.iter().any(|id| !program_courses.contains(id)) {
        errors.add("course_ids", "Choose courses of this program.");
    }
    match (name, description, months) {
        (Some(name), Some(description), Some(months)) if errors.is_empty() => Ok(ValidCertification {
            name,
            description: description.unwrap_or_default(),
            valid_months: months as i16,
            course_ids,
        }),
        _ => Err(errors),
    }
}

fn whole(value: &str, label: &str, min: i64, max: i64, unit: &str) -> Result<i64, String> {
    value
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| format!("{label} must be a whole number from {min} to {max}{unit}."))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course_input() -> CourseInput {
        CourseInput {
            title: "Selling Trellis".into(),
            visibility: "all".into(),
            pass_mark: "80".into(),
            max_attempts: "3".into(),
            wait_minutes: "60".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_course_keeps_its_rules_and_audience() {
        let valid = course(&course_input()).unwrap();
        assert_eq!((valid.pass_mark, valid.max_attempts, valid.wait_minutes), (80, 3, 60));
        assert_eq!(valid.visibility, Visibility::All);
        let tiers = course(&CourseInput {
            visibility: "tiers".into(),
            audience: "Gold, Platinum".into(),
            ..course_input()
        })
        .unwrap();
        assert_eq!(
            tiers.visibility,
            Visibility::Tiers(vec!["Gold".into(), "Platinum".into()])
        );
    }

    #[test]
    fn a_course_refuses_bad_rules_field_by_field() {
        let errors = course(&CourseInput {
            title: " ".into(),
            pass_mark: "101".into(),
            max_attempts: "0".into(),
            wait_minutes: "-5".into(),
            visibility: "partners".into(),
            audience: "a@example.com".into(),
            ..Default::default()
        })
        .unwrap_err();
        for field in ["title", "pass_mark", "max_attempts", "wait_minutes", "audience"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
    }

    #[test]
    fn a_lesson_needs_text_or_a_video_from_an_allowed_host() {
        const ALL: [video::VideoHost; 3] = video::VideoHost::ALL;
        assert!(lesson(
            &LessonInput {
                title: "Intro".into(),
                ..Default::default()
            },
            &ALL
        )
        .unwrap_err()
        .get("body")
        .is_some());
        let video = lesson(
            &LessonInput {
                title: "Intro".into(),
                video_url: "https://youtu.be/abc".into(),
                ..Default::default()
            },
            &ALL,
        )
        .unwrap();
        assert_eq!(video.video_url.as_deref(), Some("https://youtu.be/abc"));
        let bad = lesson(
            &LessonInput {
                title: "Intro".into(),
                body: "Hello".into(),
                video_url: "https://evil.example.com/v".into(),
            },
            &ALL,
        )
        .unwrap_err();
        assert!(bad.get("video_url").unwrap().contains("YouTube"));
        let vimeo_only = lesson(
            &LessonInput {
                title: "Intro".into(),
                video_url: "https://youtu.be/abc".into(),
                ..Default::default()
            },
            &[video::VideoHost::Vimeo],
        )
        .unwrap_err();
        assert!(
            vimeo_only.get("video_url").unwrap().contains("on Vimeo"),
            "a host left out of the list is refused"
        );
    }

    #[test]
    fn a_question_reads_its_options_one_per_line() {
        let single = question(&QuestionInput {
            prompt: "Which plan pays recurring commission?".into(),
            options: "Flat\n* Recurring\n\nTiered".into(),
        })
        .unwrap();
        assert!(!single.multiple);
        assert_eq!(single.options[1], ("Recurring".into(), true));
        let multiple = question(&QuestionInput {
            prompt: "Pick two".into(),
            options: "*A\n*B\nC".into(),
        })
        .unwrap();
        assert!(multiple.multiple);
        for (options, message) in [("A\nB", "Mark the correct"), ("*A", "at least two"), ("*A\na", "twice")] {
            let errors = question(&QuestionInput {
                prompt: "Q".into(),
                options: options.into(),
            })
            .unwrap_err();
            assert!(errors.get("options").unwrap().contains(message), "{options}");
        }
    }

    #[test]
    fn a_certification_names_courses_of_its_program() {
        let input = CertificationInput {
            name: "Certified seller".into(),
            valid_months: "12".into(),
            course_ids: vec![2, 1, 2],
            ..Default::default()
        };
        assert_eq!(certification(&input, &[1, 2]).unwrap().course_ids, vec![1, 2]);
        let foreign = certification(&input, &[1]).unwrap_err();
        assert!(foreign.get("course_ids").is_some());
        let no_courses = certification(
            &CertificationInput {
                course_ids: vec![],
                valid_months: "0".into(),
                ..input
            },
            &[1],
        )
        .unwrap_err();
        assert!(no_courses.get("course_ids").is_some() && no_courses.get("valid_months").is_some());
    }
}
