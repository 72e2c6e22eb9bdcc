//! CSRF tokens (signed double submit, bound to the session). Each browser gets a random value
//! in an HttpOnly cookie; forms carry an HMAC, under the installation's secret, of that value and
//! of the session id (none before login). A cross-site page can neither read the cookie nor
//! compute the token; a token made for another session (someone else's, or the visitor's own
//! before login) is refused, even by a browser that was made to carry a planted cookie.
//!
//! Pages are sent compressed, so the token they carry is masked afresh each time it is written
//! out (a random pad, then the token XOR the pad): no two responses hold the same bytes, and a
//! BREACH-style attacker, who learns a secret by watching compressed sizes over many responses,
//! has nothing stable to guess.

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

/// `token` as a page writes it out: a fresh random pad, then the token XOR the pad (hex).
pub fn masked(token: &str) -> String {
    use rand::RngCore;
    let Ok(raw) = hex::decode(token) else {
        return String::new();
    };
    let mut pad = vec![0u8; raw.len()];
    rand::rngs::OsRng.fill_bytes(&mut pad);
    let xored: Vec<u8> = raw.iter().zip(&pad).map(|(t, p)| t ^ p).collect();
    format!("{}{}", hex::encode(pad), hex::encode(xored))
}

/// The token inside a masked one; `None` when it isn't pad and token of equal length in hex.
fn unmasked(submitted: &str) -> Option<String> {
    let bytes = hex::decode(submitted).ok()?;
    if bytes.is_empty() || bytes.len() % 2 != 0 {
        return None;
    }
    let (pad, xored) = bytes.split_at(bytes.len() / 2);
    Some(hex::encode(
        pad.iter().zip(xored).map(|(p, x)| p ^ x).collect::<Vec<u8>>(),
    ))
}

/// Whether a submitted token, masked or not, is the expected one (in constant time).
pub fn matches(expected: &str, submitted: &str) -> bool {
    if expected.is_empty() {
        return false;
    }
    let token = if submitted.len() == 2 * expected.len() {
        unmasked(submitted).unwrap_or_default()
    } else {
        submitted.to_owned()
    };
    expected.as_bytes().ct_eq(token.as_bytes()).into()
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
    fn a_masked_token_differs_each_time_and_still_matches() {
        let token = token_for(b"secret", &new_cookie_value(), Some("session-a"));
        let (one, two) = (masked(&token), masked(&token));
        assert_ne!(one, two);
        assert!(!one.contains(&token));
        assert!(matches(&token, &one) && matches(&token, &two));
        let other = token_for(b"secret", &new_cookie_value(), Some("session-a"));
        assert!(!matches(&other, &one));
        // A masked token with one digit changed, or cut short, is refused.
        let mut bent = one.clone().into_bytes();
        bent[100] = if bent[100] == b'0' { b'1' } else { b'0' };
        assert!(!matches(&token, &String::from_utf8(bent).unwrap()));
        assert!(!matches(&token, &one[..one.len() - 2]));
        assert!(!matches(&token, &"z".repeat(128)));
    }

    #[test]
    fn cookies_are_read_by_name() {
        let header = "a=1; trellis_csrf=xyz; b=2";
        assert_eq!(cookie_value(header, COOKIE_NAME), Some("xyz"));
        assert_eq!(cookie_value(header, "c"), None);
    }
}
