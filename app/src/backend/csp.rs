//! The Content-Security-Policy of every HTML answer. Only the app's own files may run or style
//! the page. The inline scripts Leptos writes (the hydration loader and the serialized
//! resources) carry the per-response nonce that `leptos_axum` makes; the WebAssembly module
//! needs `'wasm-unsafe-eval'` to be compiled. Pages that Leptos doesn't render (403, 503, the
//! tracking pages) get the same policy without a nonce: they have no scripts at all.
//!
//! `style-src 'self'` has no `'unsafe-inline'`: no page writes a `style` attribute or a
//! `<style>` element (charts style their SVG through classes, the QR code uses presentation
//! attributes, which CSP doesn't govern), and copy.js changes styles through the CSSOM, which
//! CSP allows. A page that needs an inline style gets a class in style/main.css instead.

use crate::domain::training::video::VideoHost;

/// The policy, with the nonce of the page's inline scripts when it has any. `live_reload` is
/// the websocket origin of `cargo leptos watch` (development only).
pub fn policy(nonce: Option<&str>, live_reload: Option<&str>, videos: &[VideoHost]) -> String {
    let scripts = match nonce {
        Some(nonce) => format!("'self' 'nonce-{nonce}' 'wasm-unsafe-eval'"),
        None => "'self'".to_owned(),
    };
    let connect = match live_reload {
        Some(origin) => format!("'self' {origin}"),
        None => "'self'".to_owned(),
    };
    // Frames: only the players of the video hosts lessons may embed, nothing else.
    let frames = match videos {
        [] => "'none'".to_owned(),
        hosts => hosts.iter().map(|h| h.player_origin()).collect::<Vec<_>>().join(" "),
    };
    format!(
        "default-src 'self'; script-src {scripts}; style-src 'self'; img-src 'self'; font-src 'self'; \
         connect-src {connect}; frame-src {frames}; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Puts the policy with this render's nonce on the response (called by the shell, in the
/// render's reactive context, where `leptos_axum` has provided the nonce).
pub fn for_this_page(options: &leptos::config::LeptosOptions) {
    use leptos::prelude::use_context;
    let Some(response) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    let nonce = leptos::nonce::use_nonce().map(|n| n.to_string());
    // `AutoReload` only renders under `cargo leptos watch`, which sets LEPTOS_WATCH.
    let live_reload = std::env::var("LEPTOS_WATCH").ok().map(|_| {
        let host = options.site_addr.ip();
        let port = options.reload_external_port.unwrap_or(options.reload_port);
        format!("ws://{host}:{port}")
    });
    let videos = use_context::<crate::backend::state::AppState>()
        .map_or_else(|| VideoHost::ALL.to_vec(), |state| state.settings.video_hosts.clone());
    if let Ok(value) = http::HeaderValue::from_str(&policy(nonce.as_deref(), live_reload.as_deref(), &videos)) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::{policy, VideoHost};

    #[test]
    fn only_own_files_and_the_pages_nonce_may_run() {
        let with = policy(Some("abc"), None, &VideoHost::ALL);
        assert!(with.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval';"));
        assert!(with.contains("frame-ancestors 'none'"));
        assert!(
            with.contains("frame-src https://www.youtube-nocookie.com https://player.vimeo.com https://www.loom.com;")
        );
        assert!(with.contains("style-src 'self';"));
        assert!(!with.contains("unsafe-inline"));
        let without = policy(None, None, &[]);
        assert!(
            without.contains("frame-src 'none';"),
            "pages without lessons frame nothing"
        );
        assert!(without.contains("script-src 'self';"));
        assert!(!without.contains("nonce") && !without.contains("wasm"));
    }

    #[test]
    fn live_reload_may_connect_only_in_development() {
        assert!(policy(None, None, &[]).contains("connect-src 'self';"));
        assert!(policy(None, Some("ws://127.0.0.1:3001"), &[]).contains("connect-src 'self' ws://127.0.0.1:3001;"));
    }
}
