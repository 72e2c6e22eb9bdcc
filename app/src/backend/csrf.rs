//! CSRF tokens (signed double submit, bound to the session). Each browser gets a random value
//! in an HttpOnly cookie; forms carry an HMAC, under the installation's secret, of that value and
//! of the session id (none before login). A cross-site page can neither read the cookie nor
//! compute the token; a token made for another session (someone else's, or the visitor's own
//! before login) is refused, even by a browser that was made to carry a planted cookie.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use tower_sessions::Session;

pub const COOKIE_NAME: &str = "trellis_csrf";
/// The form field (and server-function argument) that carries the token.
pub const FIELD_NAME: &str = "csrf_token";

/// The token this request's forms must carry, placed in request extensions by the CSRF
/// middleware: pages render it, and server functions and the upload handler compare with it.
#[derive(Clone, Debug)]
pub struct CsrfToken(pub String);

/// Put on a response (as an extension) when the session was just started or ended: the CSRF
/// middleware then sends a fresh cookie, so no token from before survives a login.
#[derive(Clone, Copy, Debug)]
pub struct RenewCsrfCookie;

pub fn new_cookie_value() -> String {
    super::tokens::new_token()
}

pub fn token_for(secret: &[u8], cookie_value: &str, session_id: Option<&str>) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(cookie_value.as_bytes());
    // The cookie value is URL-safe base64, so the separator can't be forged by either part.
    mac.update(b"|");
    mac.update(session_id.unwrap_or_default().as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Whether a submitted token is the expected one (in constant time).
pub fn matches(expected: &str, submitted: &str) -> bool {
    !expected.is_empty() && expected.as_bytes().ct_eq(submitted.as_bytes()).into()
}

/// The id of the request's session as the store knows it: `None` without a session cookie, or
/// when the cookie names a session that ended or expired.
pub async fn session_id(session: &Session) -> Result<Option<String>, tower_sessions::session::Error> {
    // Reading any value loads the record; an id the store doesn't know is dropped then.
    session.get_value(COOKIE_NAME).await?;
    Ok(session.id().map(|id| id.to_string()))
}

/// Reads one cookie from a `Cookie` header.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_match_only_for_the_same_cookie_session_and_secret() {
        let cookie = new_cookie_value();
        let token = token_for(b"secret", &cookie, Some("session-a"));
        assert!(matches(&token_for(b"secret", &cookie, Some("session-a")), &token));
        assert!(!matches(&token_for(b"other", &cookie, Some("session-a")), &token));
        assert!(!matches(
            &token_for(b"secret", &new_cookie_value(), Some("session-a")),
            &token
        ));
        assert!(!matches(&token_for(b"secret", &cookie, Some("session-b")), &token));
        assert!(!matches(&token_for(b"secret", &cookie, None), &token));
        assert!(!matches(&token, ""));
        assert!(!matches("", ""));
    }

    #[test]
    fn cookies_are_read_by_name() {
        let header = "a=1; trellis_csrf=xyz; b=2";
        assert_eq!(cookie_value(header, COOKIE_NAME), Some("xyz"));
        assert_eq!(cookie_value(header, "c"), None);
    }
}
