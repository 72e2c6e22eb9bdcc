//! Known bots and link previewers, by user agent. Their clicks are recorded and flagged, and left
//! out of unique-click stats.

const MARKERS: &[&str] = &[
    "bot",
    "crawler",
    "spider",
    "slurp",
    "facebookexternalhit",
    "facebot",
    "embedly",
    "preview",
    "whatsapp",
    "telegram",
    "discord",
    "skypeuripreview",
    "bitlybot",
    "vkshare",
    "pinterest",
    "headlesschrome",
    "python-requests",
    "curl/",
    "wget/",
    "go-http-client",
    "okhttp",
    "axios/",
    "httpclient",
    "lighthouse",
];

/// True for crawlers, link previewers (Slackbot, facebookexternalhit, Twitterbot, …), scripted
/// clients, and requests with no user agent at all.
pub fn is_bot(user_agent: &str) -> bool {
    let ua = user_agent.trim().to_ascii_lowercase();
    ua.is_empty() || MARKERS.iter().any(|marker| ua.contains(marker))
}

#[cfg(test)]
mod tests {
    use super::is_bot;

    #[test]
    fn previewers_and_crawlers_are_bots_and_browsers_are_not() {
        for ua in [
            "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
            "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Twitterbot/1.0",
            "WhatsApp/2.23.20.0",
            "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
            "curl/8.5.0",
            "",
        ] {
            assert!(is_bot(ua), "{ua:?} is a bot");
        }
        for ua in [
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1",
        ] {
            assert!(!is_bot(ua), "{ua:?} is a person");
        }
    }
}
