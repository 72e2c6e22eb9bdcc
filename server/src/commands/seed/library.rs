//! A demo content library, published through the same flow as the console's form: in the
//! reseller program a folder of sales documents (one only for holders of the demo
//! certification; the overview deck is attached to the demo course), and in the affiliate
//! program a brand kit. The files are small real PDFs made here. Runs once.

use app::api::error::AppError;
use app::backend::flows::RequestMeta;
use app::backend::library::flows;
use app::backend::library::upload::Incoming;
use app::backend::repos::audit::Actor;
use app::backend::repos::{certifications, courses, library, programs, users};
use app::domain::library::form::DocumentInput;
use diesel_async::AsyncPgConnection;
use futures_util::stream;
use time::OffsetDateTime;

struct DemoDocument {
    program: &'static str,
    folder: &'static str,
    title: &'static str,
    description: &'static str,
    tags: &'static str,
    file_name: &'static str,
    /// Only for holders of the program's first certification.
    certified_only: bool,
}

const DOCUMENTS: [DemoDocument; 4] = [
    DemoDocument {
        program: "acme-resellers",
        folder: "Sales decks",
        title: "Acme Cloud overview deck",
        description: "The first meeting: who Acme Cloud is for, what it costs, and three customer stories.",
        tags: "deck, overview",
        file_name: "acme-cloud-overview.pdf",
        certified_only: false,
    },
    DemoDocument {
        program: "acme-resellers",
        folder: "Battle cards",
        title: "Battle card: Acme Cloud against the big three",
        description: "Where we win on price, support and migration, and the objections to expect.",
        tags: "battle card, competitive",
        file_name: "battle-card-big-three.pdf",
        certified_only: false,
    },
    DemoDocument {
        program: "acme-resellers",
        folder: "Price lists",
        title: "Reseller price list 2027",
        description: "Partner discounts by tier, and the prices customers see.",
        tags: "pricing, 2027",
        file_name: "reseller-prices-2027.pdf",
        certified_only: true,
    },
    DemoDocument {
        program: "acme-affiliates",
        folder: "Brand kit",
        title: "Acme brand guidelines",
        description: "How to name Acme Cloud, use its logo and colours, and write a fair review.",
        tags: "brand, logo",
        file_name: "acme-brand-guidelines.pdf",
        certified_only: false,
    },
];

pub async fn seed(conn: &mut AsyncPgConnection, now: OffsetDateTime) -> Result<(), AppError> {
    let Some(admin) = users::find_by_email(conn, "admin@acme.test").await? else {
        return Ok(());
    };
    let actor = Actor::user(admin.id, &admin.email);
    for doc in &DOCUMENTS {
        let Some((program, _)) = programs::find_by_slug(conn, doc.program).await? else {
            continue;
        };
        if library::of_program(conn, program.id)
            .await?
            .iter()
            .any(|d| d.document.title == doc.title)
        {
            continue;
        }
        let certification = match doc.certified_only {
            true => certifications::of_program(conn, program.id)
                .await?
                .first()
                .map(|c| c.id),
            false => None,
        };
        let input = DocumentInput {
            new_folder: doc.folder.into(),
            title: doc.title.into(),
            description: doc.description.into(),
            tags: doc.tags.into(),
            visibility: if certification.is_some() {
                "certification"
            } else {
                "all"
            }
            .into(),
            certification_id: certification.map(|id| id.to_string()).unwrap_or_default(),
            ..Default::default()
        };
        let file = Incoming {
            file_name: doc.file_name.to_owned(),
            bytes: stream::iter([Ok::<_, String>(one_page_pdf(doc.title, doc.description))]),
        };
        let meta = RequestMeta::default();
        let id = flows::publish(conn, &actor, program.id, &input, file, usize::MAX, &meta, now).await?;
        if let Some((_, lesson)) = ATTACHED_TO.iter().find(|(title, _)| *title == doc.title) {
            attach(conn, &actor, program.id, lesson, id).await?;
        }
    }
    Ok(())
}

/// Documents the demo course points to: (document, lesson).
const ATTACHED_TO: [(&str, &str); 1] = [("Acme Cloud overview deck", "Qualifying a deal")];

async fn attach(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    program_id: i64,
    lesson_title: &str,
    document_id: i64,
) -> Result<(), AppError> {
    for course in courses::of_program(conn, program_id).await? {
        let lessons = courses::lessons(conn, course.id).await?;
        if let Some(lesson) = lessons.iter().find(|l| l.title == lesson_title) {
            let place = (course.id, lesson.id);
            flows::attach_to_lesson(conn, actor, program_id, place, document_id, &RequestMeta::default()).await?;
        }
    }
    Ok(())
}

/// A one-page PDF showing a title and a line of text.
fn one_page_pdf(title: &str, line: &str) -> Vec<u8> {
    let escape = |text: &str| {
        text.chars()
            .filter(char::is_ascii)
            .collect::<String>()
            .replace('\\', "\\\\")
            .replace('(', "\\(")
            .replace(')', "\\)")
    };
    let content = format!(
        "BT /F1 22 Tf 60 760 Td ({}) Tj /F1 12 Tf 0 -32 Td ({}) Tj 0 -20 Td (A Trellis demo document.) Tj ET",
        escape(title),
        escape(line)
    );
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n{body}\nendobj\n", i + 1).bytes());
    }
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for offset in offsets {
        pdf.extend(format!("{offset:010} 00000 n \n").bytes());
    }
    pdf.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    pdf
}
