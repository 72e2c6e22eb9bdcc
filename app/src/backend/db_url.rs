//! The TLS settings in a PostgreSQL URL, read the way libpq reads them, and the URL to hand to
//! tokio-postgres (which knows `sslmode=require` but not `verify-ca`, `verify-full` or
//! `sslrootcert`).
//!
//! | sslmode | connection |
//! |---|---|
//! | absent, `disable`, `allow`, `prefer` | plain, as before |
//! | `require` | encrypted; the certificate is not checked (unless `sslrootcert` names a CA file: then as `verify-ca`, like libpq) |
//! | `verify-ca` | encrypted; the certificate must come from a trusted CA |
//! | `verify-full` | encrypted; trusted CA, and the certificate must name the host connected to |
//!
//! `sslrootcert=/path/ca.pem` is the CA to trust; without it (or with `sslrootcert=system`) the
//! public roots of Mozilla's store are trusted.

use std::path::PathBuf;

/// How much of the server's certificate is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// Encryption only (libpq's `require`).
    Nothing,
    /// Signed by a trusted CA (`verify-ca`).
    Issuer,
    /// Signed by a trusted CA and valid for the host name (`verify-full`).
    IssuerAndHost,
}

/// The CAs a certificate is checked against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Roots {
    /// Mozilla's public roots (webpki-roots).
    Public,
    /// The certificates in this PEM file.
    File(PathBuf),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tls {
    pub check: Check,
    pub roots: Roots,
}

/// A database URL split into what tokio-postgres reads and the TLS settings we apply ourselves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DbUrl {
    /// The URL without `sslrootcert`, with `sslmode=require` when TLS is on and no `sslmode`
    /// otherwise.
    pub driver_url: String,
    /// `None`: a plain connection.
    pub tls: Option<Tls>,
}

const MODES: &str = "disable, allow, prefer, require, verify-ca or verify-full";

impl DbUrl {
    pub fn parse(url: &str) -> Result<Self, String> {
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let mut mode = None;
        let mut root_cert = None;
        let mut kept = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match key {
                "sslmode" => mode = Some(decode(key, value)?),
                "sslrootcert" => root_cert = Some(decode(key, value)?),
                _ => kept.push(pair),
            }
        }
        let roots = match root_cert.as_deref() {
            None | Some("system") => Roots::Public,
            Some("") => return Err("sslrootcert is empty; give the path of a PEM file with the CA certificate".into()),
            Some(path) => Roots::File(PathBuf::from(path)),
        };
        let check = match mode.as_deref() {
            None | Some("disable" | "allow" | "prefer") => None,
            Some("require") if roots == Roots::Public => Some(Check::Nothing),
            Some("require" | "verify-ca") => Some(Check::Issuer),
            Some("verify-full") => Some(Check::IssuerAndHost),
            Some(other) => return Err(format!("sslmode '{other}' is not one of {MODES}")),
        };
        if check.is_some() {
            kept.push("sslmode=require");
        }
        let driver_url = match kept.is_empty() {
            true => base.to_owned(),
            false => format!("{base}?{}", kept.join("&")),
        };
        Ok(Self {
            driver_url,
            tls: check.map(|check| Tls { check, roots }),
        })
    }
}

fn decode(key: &str, value: &str) -> Result<String, String> {
    percent_encoding::percent_decode_str(value)
        .decode_utf8()
        .map(|v| v.into_owned())
        .map_err(|_| format!("{key} is not valid UTF-8 once percent-decoded"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(url: &str) -> DbUrl {
        DbUrl::parse(url).unwrap()
    }

    #[test]
    fn urls_without_tls_settings_pass_through_unchanged() {
        for url in [
            "postgres://u:p@db.example.com:5432/trellis",
            "postgresql:///postgres?host=/tmp/pg&user=trellis",
        ] {
            assert_eq!(
                parse(url),
                DbUrl {
                    driver_url: url.into(),
                    tls: None
                }
            );
        }
    }

    #[test]
    fn disable_allow_and_prefer_stay_plain() {
        for mode in ["disable", "allow", "prefer"] {
            let url = parse(&format!("postgres://h/db?sslmode={mode}&user=u&sslrootcert=/ca.pem"));
            assert_eq!(url.driver_url, "postgres://h/db?user=u");
            assert_eq!(url.tls, None);
        }
    }

    #[test]
    fn require_encrypts_without_checking_unless_a_ca_is_given() {
        let url = parse("postgres://h/db?sslmode=require");
        assert_eq!(url.driver_url, "postgres://h/db?sslmode=require");
        assert_eq!(
            url.tls,
            Some(Tls {
                check: Check::Nothing,
                roots: Roots::Public
            })
        );
        let with_ca = parse("postgres://h/db?sslmode=require&sslrootcert=/etc/ca.pem");
        assert_eq!(
            with_ca.tls.map(|t| t.check),
            Some(Check::Issuer),
            "libpq: require with a CA file is verify-ca"
        );
    }

    #[test]
    fn verify_modes_become_require_for_the_driver() {
        let url = parse("postgresql://u@db.example.com/trellis?sslmode=verify-full&sslrootcert=%2Fsecrets%2Fmy%20ca.pem&application_name=x");
        assert_eq!(
            url.driver_url,
            "postgresql://u@db.example.com/trellis?application_name=x&sslmode=require"
        );
        assert_eq!(
            url.tls,
            Some(Tls {
                check: Check::IssuerAndHost,
                roots: Roots::File("/secrets/my ca.pem".into())
            })
        );
        let ca = parse("postgres://h/db?sslmode=verify-ca&sslrootcert=system");
        assert_eq!(
            ca.tls,
            Some(Tls {
                check: Check::Issuer,
                roots: Roots::Public
            })
        );
    }

    #[test]
    fn the_last_sslmode_wins_as_in_libpq() {
        assert_eq!(
            parse("postgres://h/db?sslmode=disable&sslmode=verify-full")
                .tls
                .map(|t| t.check),
            Some(Check::IssuerAndHost)
        );
    }

    #[test]
    fn bad_values_say_what_is_wrong() {
        let bad_mode = DbUrl::parse("postgres://h/db?sslmode=verify").unwrap_err();
        assert!(
            bad_mode.contains("sslmode 'verify'") && bad_mode.contains("verify-full"),
            "{bad_mode}"
        );
        let empty = DbUrl::parse("postgres://h/db?sslmode=verify-full&sslrootcert=").unwrap_err();
        assert!(empty.contains("sslrootcert is empty"), "{empty}");
        assert!(DbUrl::parse("postgres://h/db?sslrootcert=%FF&sslmode=require").is_err());
    }
}
