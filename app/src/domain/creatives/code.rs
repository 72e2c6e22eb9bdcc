//! The code a partner pastes: an HTML snippet, Markdown and the bare URL, each already holding the
//! partner's own tracked link for the creative. Every value from the creative is escaped for the
//! format it lands in; the email swipe's HTML is the program's own and goes in as written, with
//! `{link}` replaced.

use super::CreativeKind;
use crate::domain::html::escape;

/// Where the partner's tracked link goes in an email swipe or a social post.
pub const LINK_PLACEHOLDER: &str = "{link}";

pub struct CreativeForCode<'a> {
    pub kind: CreativeKind,
    pub name: &'a str,
    pub body: &'a str,
    pub alt_text: &'a str,
    /// The image's public address, for banners and social posts with an image.
    pub image: Option<(&'a str, i32, i32)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Code {
    pub html: String,
    pub markdown: String,
    pub url: String,
}

/// The partner's tracked link for one creative: its link plus `cr`, which the redirect reads to
/// send the visitor to the creative's landing page and to count the click for the creative.
pub fn tracked_url(link_url: &str, creative_id: i64) -> String {
    crate::domain::destination::with_param(link_url, "cr", &creative_id.to_string())
}

pub fn code_for(creative: &CreativeForCode, url: &str) -> Code {
    let link_text = first_line(creative.body).unwrap_or(creative.name);
    let alt = if creative.alt_text.is_empty() {
        creative.name
    } else {
        creative.alt_text
    };
    let (html, markdown) = match (creative.kind, creative.image) {
        (CreativeKind::Banner, Some((src, width, height))) => (
            format!(
                "<a href=\"{}\" rel=\"sponsored\"><img src=\"{}\" width=\"{width}\" height=\"{height}\" alt=\"{}\"></a>",
                escape(url),
                escape(src),
                escape(alt)
            ),
            format!("[![{}]({src})]({url})", markdown_text(alt)),
        ),
        (CreativeKind::Email, _) => (creative.body.replace(LINK_PLACEHOLDER, &escape(url)), format!("[{}]({url})", markdown_text(creative.name))),
        (CreativeKind::Social, image) => {
            let text = with_link(creative.body, url);
            let picture = image
                .map(|(src, width, height)| {
                    format!("<br><img src=\"{}\" width=\"{width}\" height=\"{height}\" alt=\"{}\">", escape(src), escape(alt))
                })
                .unwrap_or_default();
            (format!("<p>{}{picture}</p>", escape(&text).replace('\n', "<br>")), text)
        }
        _ => (
            format!("<a href=\"{}\" rel=\"sponsored\">{}</a>", escape(url), escape(link_text)),
            format!("[{}]({url})", markdown_text(link_text)),
        ),
    };
    Code {
        html,
        markdown,
        url: url.to_owned(),
    }
}

fn first_line(text: &str) -> Option<&str> {
    text.lines().map(str::trim).find(|l| !l.is_empty())
}

/// The post's text with the link where `{link}` stands, or after it.
pub fn with_link(text: &str, url: &str) -> String {
    if text.contains(LINK_PLACEHOLDER) {
        text.replace(LINK_PLACEHOLDER, url)
    } else {
        format!("{} {url}", text.trim_end())
    }
}

/// Text that can't close or open Markdown link syntax.
fn markdown_text(text: &str) -> String {
    text.chars()
        .flat_map(|c| match c {
            '[' | ']' | '(' | ')' | '\\' | '*' | '_' | '`' | '!' | '<' | '>' => vec!['\\', c],
            '\n' | '\r' => vec![' '],
            c => vec![c],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://t.example/r/AbC12345?cr=7";

    fn creative(kind: CreativeKind, body: &'static str) -> CreativeForCode<'static> {
        CreativeForCode {
            kind,
            name: "Winter sale",
            body,
            alt_text: "",
            image: None,
        }
    }

    #[test]
    fn the_tracked_url_adds_the_creative_to_the_link() {
        assert_eq!(tracked_url("https://t.example/r/AbC12345", 7), URL);
    }

    #[test]
    fn a_banner_carries_its_size_alt_text_and_the_partners_link() {
        let banner = CreativeForCode {
            alt_text: "50% off \"today\"",
            image: Some(("https://t.example/creatives/files/ab.png", 728, 90)),
            ..creative(CreativeKind::Banner, "")
        };
        let code = code_for(&banner, URL);
        assert_eq!(
            code.html,
            "<a href=\"https://t.example/r/AbC12345?cr=7\" rel=\"sponsored\"><img src=\"https://t.example/creatives/files/ab.png\" width=\"728\" height=\"90\" alt=\"50% off &quot;today&quot;\"></a>"
        );
        assert_eq!(
            code.markdown,
            format!("[![50% off \"today\"](https://t.example/creatives/files/ab.png)]({URL})")
        );
        assert_eq!(code.url, URL);
    }

    #[test]
    fn text_from_the_program_cannot_break_out_of_the_snippet() {
        let code = code_for(
            &creative(CreativeKind::Text, "<script>alert(1)</script> [x](javascript:y)"),
            URL,
        );
        assert!(!code.html.contains("<script>"));
        assert!(code.markdown.starts_with("[\\<script\\>alert\\(1\\)"));
        assert!(!code.markdown.contains("](javascript"));
    }

    #[test]
    fn email_and_social_put_the_link_where_the_placeholder_is() {
        let email = code_for(
            &creative(CreativeKind::Email, "<p>Hi! <a href=\"{link}\">Shop</a></p>"),
            URL,
        );
        assert_eq!(email.html, format!("<p>Hi! <a href=\"{}\">Shop</a></p>", escape(URL)));
        let social = code_for(&creative(CreativeKind::Social, "New season {link} #ad"), URL);
        assert_eq!(social.markdown, format!("New season {URL} #ad"));
        let appended = code_for(&creative(CreativeKind::Social, "New season #ad"), URL);
        assert_eq!(appended.markdown, format!("New season #ad {URL}"));
    }
}
