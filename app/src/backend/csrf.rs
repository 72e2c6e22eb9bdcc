//! CSRF tokens (signed double submit). Each browser gets a random value in an HttpOnly cookie;
//! forms carry an HMAC of that value under the installation's secret. A cross-site page can
//! neither read the cookie nor compute the token, so its POST is refused.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

pub const COOKIE_NAME: &str = "trellis_csrf";
/// The form field (and server-function argument) that carries the token.
pub const FIELD_NAME: &str = "csrf_token";

/// The token of the current request, placed in request extensions by the CSRF middleware so
/// that pages can render it into their forms.
#[derive(Clone, Debug)]
pub struct CsrfToken(pub String);

pub fn new_cookie_value() -> String {
    super::tokens::new_token()
}

pub fn token_for(secret: &[u8], cookie_value: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(cookie_value.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

pub fn verify(secret: &[u8], cookie_value: &str, submitted: &str) -> bool {
    let expected = token_for(secret, cookie_value);
    !cookie_value.is_empty() && expected.as_bytes().ct_eq(submitted.as_bytes()).into()
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
    fn tokens_verify_only_with_the_same_cookie_and_secret() {
        let cookie = new_cookie_value();
        let token = token_for(b"secret", &cookie);
        assert!(verify(b"secret", &cookie, &token));
        assert!(!verify(b"other", &cookie, &token));
        assert!(!verify(b"secret", &new_cookie_value(), &token));
        assert!(!verify(b"secret", &cookie, ""));
        assert!(!verify(b"secret", "", &token_for(b"secret", "")));
    }

    #[test]
    fn cookies_are_read_by_name() {
        let header = "a=1; trellis_csrf=xyz; b=2";
        assert_eq!(cookie_value(header, COOKIE_NAME), Some("xyz"));
        assert_eq!(cookie_value(header, "c"), None);
    }
}
