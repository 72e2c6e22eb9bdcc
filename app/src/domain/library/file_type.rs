//! Which files the library takes: PDF, PowerPoint, Word, Excel, PNG, JPEG and ZIP. The type comes
//! from the file's first bytes; the name must agree with them. Office files are ZIP archives, so
//! for those the name says which of the four it is.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentType {
    Pdf,
    Pptx,
    Docx,
    Xlsx,
    Png,
    Jpeg,
    Zip,
}

pub const RULES: &str = "PDF, PPTX, DOCX, XLSX, PNG, JPEG or ZIP.";

/// How many leading bytes `identify` needs (fewer only when the file is shorter).
pub const HEAD_BYTES: usize = 8;

impl DocumentType {
    pub const ALL: [Self; 7] = [
        Self::Pdf,
        Self::Pptx,
        Self::Docx,
        Self::Xlsx,
        Self::Png,
        Self::Jpeg,
        Self::Zip,
    ];

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Pptx => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Zip => "application/zip",
        }
    }

    /// "PDF", "PowerPoint" …, for the library's lists.
    pub fn label(self) -> &'static str {
        match self {
            Self::Pdf => "PDF",
            Self::Pptx => "PowerPoint",
            Self::Docx => "Word",
            Self::Xlsx => "Excel",
            Self::Png => "PNG image",
            Self::Jpeg => "JPEG image",
            Self::Zip => "ZIP archive",
        }
    }

    pub fn from_content_type(content_type: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.content_type() == content_type)
    }

    fn extensions(self) -> &'static [&'static str] {
        match self {
            Self::Pdf => &["pdf"],
            Self::Pptx => &["pptx"],
            Self::Docx => &["docx"],
            Self::Xlsx => &["xlsx"],
            Self::Png => &["png"],
            Self::Jpeg => &["jpg", "jpeg"],
            Self::Zip => &["zip"],
        }
    }

    fn is_zip(self) -> bool {
        matches!(self, Self::Pptx | Self::Docx | Self::Xlsx | Self::Zip)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Bytes {
    Pdf,
    Png,
    Jpeg,
    Zip,
}

fn sniff(head: &[u8]) -> Option<Bytes> {
    if head.starts_with(b"%PDF-") {
        Some(Bytes::Pdf)
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Bytes::Png)
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Bytes::Jpeg)
    } else if head.starts_with(b"PK\x03\x04") {
        Some(Bytes::Zip)
    } else {
        None
    }
}

/// The document type of a file called `file_name` that starts with `head`, or why it is refused.
pub fn identify(file_name: &str, head: &[u8]) -> Result<DocumentType, String> {
    if head.is_empty() {
        return Err(format!("{file_name} is empty."));
    }
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    let Some(named) = DocumentType::ALL
        .into_iter()
        .find(|t| t.extensions().contains(&ext.as_str()))
    else {
        return Err(format!("{file_name} is not a file the library takes: {RULES}"));
    };
    let Some(bytes) = sniff(head) else {
        return Err(format!(
            "{file_name} is not really a {}: its contents don't match its name. The library takes {RULES}",
            named.label()
        ));
    };
    let agrees = match bytes {
        Bytes::Pdf => named == DocumentType::Pdf,
        Bytes::Png => named == DocumentType::Png,
        Bytes::Jpeg => named == DocumentType::Jpeg,
        Bytes::Zip => named.is_zip(),
    };
    if agrees {
        Ok(named)
    } else {
        Err(format!(
            "{file_name} is named as a {} but its contents are not: rename it or export it again.",
            named.label()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bytes_and_the_name_must_agree() {
        assert_eq!(identify("Deck.PDF", b"%PDF-1.7\n"), Ok(DocumentType::Pdf));
        assert_eq!(identify("prices.xlsx", b"PK\x03\x04rest"), Ok(DocumentType::Xlsx));
        assert_eq!(identify("kit.zip", b"PK\x03\x04rest"), Ok(DocumentType::Zip));
        assert_eq!(identify("logo.jpeg", &[0xFF, 0xD8, 0xFF, 0xE0]), Ok(DocumentType::Jpeg));
        assert_eq!(identify("logo.png", b"\x89PNG\r\n\x1a\n"), Ok(DocumentType::Png));
    }

    #[test]
    fn renamed_and_unknown_files_are_refused_by_name() {
        let exe = identify("deck.pdf", b"MZ\x90\x00\x03").unwrap_err();
        assert!(exe.contains("deck.pdf is not really a PDF"), "{exe}");
        let html = identify("banner.png", b"<html><script>").unwrap_err();
        assert!(html.contains("not really a PNG"), "{html}");
        let svg = identify("logo.svg", b"<svg xmlns").unwrap_err();
        assert!(svg.contains("not a file the library takes"), "{svg}");
        let swapped = identify("deck.docx", b"%PDF-1.4").unwrap_err();
        assert!(swapped.contains("named as a Word"), "{swapped}");
        assert!(identify("nothing.pdf", b"").unwrap_err().contains("empty"));
        assert!(identify("no-extension", b"%PDF-1.4").is_err());
    }

    #[test]
    fn content_types_read_back() {
        for t in DocumentType::ALL {
            assert_eq!(DocumentType::from_content_type(t.content_type()), Some(t));
        }
    }
}
