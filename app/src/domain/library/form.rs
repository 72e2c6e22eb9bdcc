//! What an operator fills in to publish a document (its file comes separately, streamed), and
//! the note of a new version. Checked field by field; the folder and the certification are
//! checked against the program by the caller.

use super::DocumentVisibility;
use crate::domain::creatives::form::{kinds_or_tiers, tags};
use crate::domain::validate::{self, FieldErrors};

#[derive(Clone, Debug, Default)]
pub struct DocumentInput {
    /// An existing folder's id, or "" with `new_folder` naming one to create.
    pub folder_id: String,
    pub new_folder: String,
    pub title: String,
    pub description: String,
    pub tags: String,
    /// all | kinds | tiers | certification
    pub visibility: String,
    pub audience: String,
    pub certification_id: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FolderChoice {
    Existing(i64),
    New(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidDocument {
    pub folder: FolderChoice,
    pub title: String,
    pub description: String,
    pub tags: Vec<String>,
    pub visibility: DocumentVisibility,
}

impl DocumentInput {
    /// What was typed, for a refused form to show again.
    pub fn echo(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("folder_id", &self.folder_id),
            ("new_folder", &self.new_folder),
            ("title", &self.title),
            ("description", &self.description),
            ("tags", &self.tags),
            ("visibility", &self.visibility),
            ("audience", &self.audience),
            ("certification_id", &self.certification_id),
        ]
    }
}

pub fn document(input: &DocumentInput) -> Result<ValidDocument, FieldErrors> {
    let mut errors = FieldErrors::default();
    // Shown under "New folder", which every form has (a program without folders has no list).
    let folder = errors.check("new_folder", folder(&input.folder_id, &input.new_folder));
    let title = errors.check("title", validate::required_text(&input.title, "Title", 160));
    let description = errors.check(
        "description",
        validate::optional_text(&input.description, "Description", 2000),
    );
    let tags = errors.check("tags", tags(&input.tags));
    let visibility = if input.visibility == "certification" {
        errors.check(
            "certification_id",
            input
                .certification_id
                .trim()
                .parse::<i64>()
                .map(DocumentVisibility::Certified)
                .map_err(|_| "Choose the certification its readers must hold.".to_owned()),
        )
    } else {
        errors.check(
            "audience",
            kinds_or_tiers(&input.visibility, &input.audience, "Documents").map(DocumentVisibility::Open),
        )
    };
    match (folder, title, description, tags, visibility) {
        (Some(folder), Some(title), Some(description), Some(tags), Some(visibility)) if errors.is_empty() => {
            Ok(ValidDocument {
                folder,
                title,
                description: description.unwrap_or_default(),
                tags,
                visibility,
            })
        }
        _ => Err(errors.with_submitted(&input.echo())),
    }
}

fn folder(folder_id: &str, new_folder: &str) -> Result<FolderChoice, String> {
    let name = new_folder.trim();
    if !name.is_empty() {
        return validate::required_text(name, "The folder's name", 80).map(FolderChoice::New);
    }
    folder_id
        .trim()
        .parse()
        .map(FolderChoice::Existing)
        .map_err(|_| "Choose a folder, or name a new one.".to_owned())
}

/// A version's note ("Prices from January"): optional, short.
pub fn version_note(note: &str) -> Result<String, FieldErrors> {
    validate::optional_text(note, "The note", 500)
        .map(Option::unwrap_or_default)
        .map_err(|message| FieldErrors::single("note", message))
}

/// The text searches read: title, description and tags.
pub fn search_text(title: &str, description: &str, tags: &[String]) -> String {
    format!("{title}\n{description}\n{}", tags.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::creatives::Visibility;

    fn input() -> DocumentInput {
        DocumentInput {
            folder_id: "3".into(),
            title: "Battle card: Acme vs Globex".into(),
            description: "Where we win.".into(),
            tags: "Competitive, sales".into(),
            visibility: "all".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_document_in_an_existing_or_a_new_folder() {
        let valid = document(&input()).unwrap();
        assert_eq!(valid.folder, FolderChoice::Existing(3));
        assert_eq!(valid.tags, vec!["competitive", "sales"]);
        assert_eq!(valid.visibility, DocumentVisibility::Open(Visibility::All));
        let mut new = input();
        new.new_folder = "  Price lists ".into();
        assert_eq!(document(&new).unwrap().folder, FolderChoice::New("Price lists".into()));
    }

    #[test]
    fn a_certification_gate_needs_a_certification() {
        let mut gated = input();
        gated.visibility = "certification".into();
        let refused = document(&gated).unwrap_err();
        assert!(refused.get("certification_id").is_some());
        gated.certification_id = "12".into();
        assert_eq!(document(&gated).unwrap().visibility, DocumentVisibility::Certified(12));
    }

    #[test]
    fn each_bad_field_is_named_and_what_was_typed_comes_back() {
        let bad = DocumentInput {
            folder_id: String::new(),
            title: " ".into(),
            visibility: "tiers".into(),
            ..input()
        };
        let errors = document(&bad).unwrap_err();
        assert!(errors.get("new_folder").unwrap().contains("Choose a folder"));
        assert!(errors.get("title").is_some());
        assert!(errors.get("audience").is_some());
        assert_eq!(errors.submitted("description"), Some("Where we win."));
        assert!(version_note(&"x".repeat(501)).is_err());
    }
}
