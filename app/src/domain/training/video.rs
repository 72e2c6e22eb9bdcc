//! Videos in lessons: a watch or share address on an allowed host (YouTube, Vimeo and Loom by
//! default; `TRELLIS_VIDEO_HOSTS` narrows the list, or turns videos off with `none`) becomes the host's own embed address.
//! Nothing else is ever put in a frame, and the page's CSP admits only the allowed hosts' players.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum VideoHost {
    YouTube,
    Vimeo,
    Loom,
}

impl VideoHost {
    pub const ALL: [Self; 3] = [Self::YouTube, Self::Vimeo, Self::Loom];

    /// The name in `TRELLIS_VIDEO_HOSTS`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::YouTube => "youtube",
            Self::Vimeo => "vimeo",
            Self::Loom => "loom",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::YouTube => "YouTube",
            Self::Vimeo => "Vimeo",
            Self::Loom => "Loom",
        }
    }

    /// The origin of its player: the one frame origin the CSP admits for it.
    pub fn player_origin(self) -> &'static str {
        match self {
            Self::YouTube => "https://www.youtube-nocookie.com",
            Self::Vimeo => "https://player.vimeo.com",
            Self::Loom => "https://www.loom.com",
        }
    }

    /// "youtube, vimeo" → the hosts, "none" → none, or the name that isn't one.
    pub fn parse_list(list: &str) -> Result<Vec<Self>, String> {
        let mut hosts = Vec::new();
        if list.trim().eq_ignore_ascii_case("none") {
            return Ok(hosts);
        }
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let host = Self::ALL
                .into_iter()
                .find(|h| h.as_str().eq_ignore_ascii_case(name))
                .ok_or_else(|| format!("'{name}' is not a video host; use youtube, vimeo, loom, or none"))?;
            if !hosts.contains(&host) {
                hosts.push(host);
            }
        }
        Ok(hosts)
    }
}

/// "YouTube, Vimeo or Loom"
pub fn names(allowed: &[VideoHost]) -> String {
    let labels: Vec<&str> = allowed.iter().map(|h| h.label()).collect();
    match labels.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// The embed address for a video's address on one of the `allowed` hosts, or why it can't be
/// embedded.
pub fn embed_url(url: &str, allowed: &[VideoHost]) -> Result<String, String> {
    let refused = || match allowed {
        [] => "Videos are switched off on this installation; write the lesson as text.".to_owned(),
        _ => format!(
            "Enter a video's address on {}, like https://vimeo.com/76979871.",
            names(allowed)
        ),
    };
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
    let found = match host {
        "youtube.com" | "m.youtube.com" => match path {
            "watch" => query
                .split('&')
                .find_map(|pair| pair.strip_prefix("v="))
                .map(|id| (VideoHost::YouTube, "/embed/", id)),
            _ => path
                .strip_prefix("embed/")
                .or_else(|| path.strip_prefix("shorts/"))
                .map(|id| (VideoHost::YouTube, "/embed/", id)),
        },
        "youtu.be" => Some((VideoHost::YouTube, "/embed/", path)),
        "vimeo.com" => {
            Some((VideoHost::Vimeo, "/video/", path)).filter(|(.., id)| id.chars().all(|c| c.is_ascii_digit()))
        }
        "loom.com" => path
            .strip_prefix("share/")
            .or_else(|| path.strip_prefix("embed/"))
            .map(|id| (VideoHost::Loom, "/embed/", id)),
        _ => None,
    };
    match found {
        Some((host, prefix, id)) if allowed.contains(&host) && valid_id(id) => {
            Ok(format!("{}{prefix}{id}", host.player_origin()))
        }
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
            embed_url("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=3", &VideoHost::ALL).unwrap(),
            youtube
        );
        assert_eq!(
            embed_url("https://youtu.be/dQw4w9WgXcQ", &VideoHost::ALL).unwrap(),
            youtube
        );
        assert_eq!(
            embed_url("https://youtube.com/embed/dQw4w9WgXcQ", &VideoHost::ALL).unwrap(),
            youtube
        );
        assert_eq!(
            embed_url("https://vimeo.com/76979871", &VideoHost::ALL).unwrap(),
            "https://player.vimeo.com/video/76979871"
        );
        assert_eq!(
            embed_url(
                "https://www.loom.com/share/0281766fa2d04bb788eaf19e65135184",
                &VideoHost::ALL
            )
            .unwrap(),
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
            assert!(embed_url(url, &VideoHost::ALL).is_err(), "{url}");
        }
    }

    #[test]
    fn embed_addresses_are_on_their_hosts_player_origins() {
        for (url, host) in [
            ("https://youtu.be/a", VideoHost::YouTube),
            ("https://vimeo.com/1", VideoHost::Vimeo),
            ("https://loom.com/share/b", VideoHost::Loom),
        ] {
            let embed = embed_url(url, &VideoHost::ALL).unwrap();
            assert!(embed.starts_with(host.player_origin()), "{embed}");
        }
    }

    #[test]
    fn a_narrowed_list_refuses_the_other_hosts_and_names_the_allowed_ones() {
        let vimeo_only = [VideoHost::Vimeo];
        assert!(embed_url("https://vimeo.com/76979871", &vimeo_only).is_ok());
        let refused = embed_url("https://youtu.be/dQw4w9WgXcQ", &vimeo_only).unwrap_err();
        assert!(refused.contains("on Vimeo,"), "{refused}");
        assert!(embed_url("https://vimeo.com/1", &[])
            .unwrap_err()
            .contains("switched off"));
        assert_eq!(
            VideoHost::parse_list(" Vimeo, loom,vimeo ").unwrap(),
            vec![VideoHost::Vimeo, VideoHost::Loom]
        );
        assert!(VideoHost::parse_list("youtube, wistia")
            .unwrap_err()
            .contains("'wistia'"));
        assert_eq!(VideoHost::parse_list(" None ").unwrap(), vec![]);
    }
}
