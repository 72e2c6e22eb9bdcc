//! Creatives: a program's list and the add form (console), and the partner's gallery with the
//! code for each creative (portal). Adding one is a plain multipart form
//! (`server::handlers::creatives`), so that a banner uploads with or without JavaScript.

mod console;
mod gallery;

pub use console::*;
pub use gallery::*;

/// Where a refused add-creative form leaves its errors for the page to show.
pub fn refusal_key(program_id: i64) -> String {
    format!("creative-refusal:{program_id}")
}

/// A stored image's public address, relative to the site.
pub fn file_path(sha256: &str, content_type: &str) -> String {
    let ext = match content_type {
        "image/jpeg" => "jpg",
        "image/gif" => "gif",
        "image/webp" => "webp",
        _ => "png",
    };
    format!("/creatives/files/{sha256}.{ext}")
}
