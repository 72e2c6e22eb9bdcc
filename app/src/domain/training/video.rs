//! Videos in lessons: a watch or share address on YouTube, Vimeo or Loom becomes the host's own
//! embed address. Nothing else is ever put in a frame, and the page's CSP allows only these.

/// The frame origins the lesson page's CSP admits.
pub const EMBED_ORIGINS: [&str; 3] = [
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
    "https://www.loom.com",
];

/// The embed address for a video's address, or why it can't be embedded.
pub fn embed_url(url: &str) -> Result<String, String> {
    let refused =
        || "Enter a video's address on YouTube, Vimeo or Loom, like https://www.youtube.com/watch?v=abc123.".to_owned();
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(refused)?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let path = path.split('#').next().unwrap_or_default().trim_end_matches('/');
    let id = match host {
        "youtube.com" | "m.youtube.com" => match path {
            "watch" => query
                .split('&')
                .find_map(|pair| pair.strip_prefix("v="))
                .map(|id| ("https://www.youtube-nocookie.com/embed/", id)),
            _ => path
                .strip_prefix("embed/")
                .or_else(|| path.strip_prefix("shorts/"))
                .map(|id| ("https://www.youtube-nocookie.com/embed/", id)),
        },
        "youtu.be" => Some(("https://www.youtube-nocookie.com/embed/", path)),
        "vimeo.com" => {
            Some(("https://player.vimeo.com/video/", path)).filter(|(_, id)| id.chars().all(|c| c.is_ascii_digit()))
        }
        "loom.com" => path
            .strip_prefix("share/")
            .or_else(|| path.strip_prefix("embed/"))
            .map(|id| ("https://www.loom.com/embed/", id)),
        _ => None,
    };
    match id {
        Some((base, id)) if valid_id(id) => Ok(format!("{base}{id}")),
        _ => Err(refused()),
    }
}

fn valid_id(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_host_becomes_its_embed_address() {
        let youtube = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ";
        assert_eq!(
            embed_url("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=3").unwrap(),
            youtube
        );
        assert_eq!(embed_url("https://youtu.be/dQw4w9WgXcQ").unwrap(), youtube);
        assert_eq!(embed_url("https://youtube.com/embed/dQw4w9WgXcQ").unwrap(), youtube);
        assert_eq!(
            embed_url("https://vimeo.com/76979871").unwrap(),
            "https://player.vimeo.com/video/76979871"
        );
        assert_eq!(
            embed_url("https://www.loom.com/share/0281766fa2d04bb788eaf19e65135184").unwrap(),
            "https://www.loom.com/embed/0281766fa2d04bb788eaf19e65135184"
        );
    }

    #[test]
    fn other_hosts_and_odd_ids_are_refused() {
        for url in [
            "https://evil.example.com/watch?v=abc",
            "javascript:alert(1)",
            "https://www.youtube.com/watch?v=abc\"onload=x",
            "https://vimeo.com/channels/staff",
            "https://youtube.com.evil.example/watch?v=abc",
            "https://www.youtube.com/playlist?list=abc",
        ] {
            assert!(embed_url(url).is_err(), "{url}");
        }
    }

    #[test]
    fn embed_addresses_are_on_the_admitted_origins() {
        for url in ["https://youtu.be/a", "https://vimeo.com/1", "https://loom.com/share/b"] {
            let embed = embed_url(url).unwrap();
            assert!(EMBED_ORIGINS.iter().any(|o| embed.starts_with(o)), "{embed}");
        }
    }
}
