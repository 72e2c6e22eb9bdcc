//! Markdown from operators (lessons, announcements) rendered on the server and sanitized: what
//! is stored is what was written, and what reaches a browser can't run script, whatever it held.

use pulldown_cmark::{html, Options, Parser};

/// Sanitized HTML for a Markdown text. Links open on their own site with `rel="noopener
/// noreferrer"`; scripts, event attributes, `javascript:` links, frames and styles are removed.
pub fn render(markdown: &str) -> String {
    let parser = Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH);
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, parser);
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&unsafe_html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_html() {
        let html = render("# Welcome\n\nSell **more** with [the deck](https://example.com/deck).");
        assert!(html.contains("<h1>Welcome</h1>"), "{html}");
        assert!(html.contains("<strong>more</strong>"));
        assert!(html.contains("href=\"https://example.com/deck\""));
        assert!(html.contains("rel=\"noopener noreferrer nofollow\""));
    }

    #[test]
    fn script_event_attributes_and_javascript_links_are_made_harmless() {
        let html = render(
            "<script>alert(1)</script>\n\n[click](javascript:alert(2))\n\n<img src=x onerror=\"alert(3)\">\n\n<a href=\"javascript:alert(4)\">x</a> <iframe src=\"https://evil.example\"></iframe>",
        );
        let lower = html.to_lowercase();
        for bad in ["<script", "javascript:", "onerror", "<iframe", "alert(1)"] {
            assert!(!lower.contains(bad), "{bad} survived in {html}");
        }
    }
}
