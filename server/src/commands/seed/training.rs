//! Demo training, added through the same flows as the console's forms: in the reseller program
//! a three-lesson course with a quiz and the certification it leads to, and in the affiliate
//! program a short course on disclosure. Runs once.

use app::api::error::AppError;
use app::backend::flows::RequestMeta;
use app::backend::repos::audit::Actor;
use app::backend::repos::{courses, programs, users};
use app::backend::training::authoring;
use app::domain::training::form::{CertificationInput, CourseInput, LessonInput, QuestionInput};
use app::domain::training::video::VideoHost;
use diesel_async::AsyncPgConnection;
use time::OffsetDateTime;

struct DemoCourse {
    program: &'static str,
    title: &'static str,
    summary: &'static str,
    lessons: &'static [(&'static str, &'static str, &'static str)],
    questions: &'static [(&'static str, &'static str)],
    certification: Option<&'static str>,
}

const COURSES: [DemoCourse; 2] = [
    DemoCourse {
        program: "acme-resellers",
        title: "Selling Acme Cloud",
        summary: "Who buys Acme Cloud, how to qualify a deal, and how deal registration protects you. About 20 minutes.",
        lessons: &[
            (
                "Who buys Acme Cloud",
                "Acme Cloud suits **growing software teams** that have outgrown shared hosting.\n\n- 20 to 500 employees\n- a product that runs on the web\n- an operations team of one or two\n\nThey buy for *predictable cost* and for support that answers.",
                "",
            ),
            (
                "Qualifying a deal",
                "Ask three questions before you quote:\n\n1. What runs today, and what does it cost?\n2. Who signs, and by when?\n3. What would make them stay where they are?\n\nThe overview below is what customers see first.",
                "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            ),
            (
                "Registering the deal",
                "Register every opportunity **before** you quote it. An approved registration is protected for 90 days, and nobody else can register the same customer while it is.\n\nRegister under [Deals](/portal/deals/new).",
                "",
            ),
        ],
        questions: &[
            ("Which customer fits Acme Cloud best?", "A one-person blog\n* A 60-person software company with a web product\nA retailer with no web presence"),
            ("When should you register a deal?", "After the customer signs\n* Before you send the quote\nOnly for deals over EUR 10,000"),
            ("What does an approved registration give you?", "* 90 days of protection\n* No one else can register the same customer meanwhile\nA higher list price"),
        ],
        certification: Some("Acme Certified Seller"),
    },
    DemoCourse {
        program: "acme-affiliates",
        title: "Promoting Acme Cloud the right way",
        summary: "Disclosure, brand bidding and the claims you may make. Five minutes.",
        lessons: &[(
            "Disclose every link",
            "Mark every post that carries your link with **#ad** or *affiliate link*. It is the law in most countries, and readers trust you more for it.\n\nNever bid on **Acme Cloud** in paid search.",
            "",
        )],
        questions: &[("Which post is fine to publish?", "* \"I host on Acme Cloud, try it free: (link) #ad\"\n\"Best hosting ever: (link)\"")],
        certification: None,
    },
];

pub async fn seed(conn: &mut AsyncPgConnection, now: OffsetDateTime) -> Result<(), AppError> {
    let Some(admin) = users::find_by_email(conn, "admin@acme.test").await? else {
        return Ok(());
    };
    let actor = Actor::user(admin.id, &admin.email);
    let meta = RequestMeta::default();
    for demo in COURSES {
        let Some((program, _)) = programs::find_by_slug(conn, demo.program).await? else {
            continue;
        };
        if !courses::of_program(conn, program.id).await?.is_empty() {
            continue;
        }
        let input = CourseInput {
            title: demo.title.into(),
            summary: demo.summary.into(),
            visibility: "all".into(),
            pass_mark: "80".into(),
            max_attempts: "3".into(),
            wait_minutes: "60".into(),
            ..Default::default()
        };
        let course = authoring::create_course(conn, &actor, program.id, &input, &meta, now).await?;
        for (title, body, video_url) in demo.lessons {
            let lesson = LessonInput {
                title: (*title).into(),
                body: (*body).into(),
                video_url: (*video_url).into(),
            };
            authoring::add_lesson(conn, &actor, program.id, course, &lesson, &VideoHost::ALL, &meta).await?;
        }
        for (prompt, options) in demo.questions {
            let question = QuestionInput {
                prompt: (*prompt).into(),
                options: (*options).into(),
            };
            authoring::add_question(conn, &actor, program.id, course, &question, &meta).await?;
        }
        authoring::publish_course(conn, &actor, program.id, course, &meta, now).await?;
        if let Some(name) = demo.certification {
            let certification = CertificationInput {
                name: name.into(),
                description: "Awarded for passing Selling Acme Cloud. Valid for a year.".into(),
                valid_months: "12".into(),
                course_ids: vec![course],
            };
            authoring::create_certification(conn, &actor, program.id, &certification, &meta, now).await?;
        }
    }
    Ok(())
}
