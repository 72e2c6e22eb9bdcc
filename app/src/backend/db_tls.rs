//! TLS for PostgreSQL connections: tokio-postgres's `MakeTlsConnect` over tokio-rustls, with a
//! certificate check as strict as the URL's `sslmode` asks (see `db_url`).
//!
//! Channel binding (SCRAM-SHA-256-PLUS) is not offered; with tokio-postgres's default
//! `channel_binding=prefer` the server falls back to plain SCRAM, as it does for libpq clients
//! without it.

use super::db_url::{Check, Roots, Tls};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio_postgres::tls::{ChannelBinding, MakeTlsConnect, TlsConnect, TlsStream};

/// Makes one TLS connector per connection attempt from a client configuration built once.
#[derive(Clone)]
pub struct MakeRustlsConnect {
    config: Arc<ClientConfig>,
    /// The trusted CAs, in words, for the error when a certificate comes from another.
    trusted: Arc<str>,
}

impl MakeRustlsConnect {
    /// Reads the CA file (if any) now, so a missing or unreadable one is a start-up error.
    pub fn new(tls: &Tls) -> Result<Self, String> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let roots = match &tls.roots {
            Roots::Public => RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
            Roots::File(path) => read_roots(path)?,
        };
        let trusted = match &tls.roots {
            Roots::Public => "the public roots of Mozilla's store".to_owned(),
            Roots::File(path) => format!("the CA in sslrootcert={}", path.display()),
        };
        let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
            .build()
            .map_err(|e| format!("cannot use the CA certificates: {e}"))?;
        let verifier = Verifier {
            check: tls.check,
            webpki,
            provider: provider.clone(),
        };
        let mut config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("cannot set up TLS: {e}"))?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth();
        // PostgreSQL 17's direct TLS negotiation requires it; older servers ignore it.
        config.alpn_protocols = vec![b"postgresql".to_vec()];
        Ok(Self {
            config: Arc::new(config),
            trusted: trusted.into(),
        })
    }
}

fn read_roots(path: &std::path::Path) -> Result<RootCertStore, String> {
    let shown = path.display();
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read sslrootcert {shown}: {e}"))?;
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(&bytes) {
        let cert = cert.map_err(|e| format!("sslrootcert {shown} is not a PEM file of certificates: {e}"))?;
        roots
            .add(cert)
            .map_err(|e| format!("sslrootcert {shown} holds a certificate that cannot be a CA: {e}"))?;
    }
    if roots.is_empty() {
        return Err(format!(
            "sslrootcert {shown} holds no PEM certificate (-----BEGIN CERTIFICATE-----)"
        ));
    }
    Ok(roots)
}

/// Checks the server's certificate as far as `check` says; the handshake's signatures are
/// always verified, so the server must hold the key of the certificate it shows.
#[derive(Debug)]
struct Verifier {
    check: Check,
    webpki: Arc<WebPkiServerVerifier>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if self.check == Check::Nothing {
            return Ok(ServerCertVerified::assertion());
        }
        match self
            .webpki
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            // The chain is checked before the name, so a name error means the chain was fine.
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) if self.check == Check::Issuer => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

/// rustls says `UnknownIssuer`; say which CAs were trusted and what to do.
fn explain(error: io::Error, trusted: &str) -> io::Error {
    let unknown_issuer = matches!(
        error.get_ref().and_then(|e| e.downcast_ref::<rustls::Error>()),
        Some(rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer))
    );
    if !unknown_issuer {
        return error;
    }
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!(
            "the server's certificate is not signed by a trusted CA (trusted: {trusted}); \
             set sslrootcert in the database URL to the CA certificate your provider publishes"
        ),
    )
}

impl<S> MakeTlsConnect<S> for MakeRustlsConnect
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    type Stream = RustlsStream<S>;
    type TlsConnect = RustlsConnect;
    type Error = std::convert::Infallible;

    /// `domain` is the URL's host: the name the certificate must carry under verify-full (empty
    /// for a Unix socket, where tokio-postgres never asks for TLS).
    fn make_tls_connect(&mut self, domain: &str) -> Result<RustlsConnect, Self::Error> {
        Ok(RustlsConnect {
            connector: tokio_rustls::TlsConnector::from(self.config.clone()),
            domain: domain.to_owned(),
            trusted: self.trusted.clone(),
        })
    }
}

pub struct RustlsConnect {
    connector: tokio_rustls::TlsConnector,
    domain: String,
    trusted: Arc<str>,
}

impl<S> TlsConnect<S> for RustlsConnect
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    type Stream = RustlsStream<S>;
    type Error = io::Error;
    type Future = Pin<Box<dyn Future<Output = io::Result<RustlsStream<S>>> + Send>>;

    fn connect(self, stream: S) -> Self::Future {
        Box::pin(async move {
            let name = ServerName::try_from(self.domain.clone()).map_err(|_| {
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!(
                        "'{}' is not a host name or IP address a certificate can name",
                        self.domain
                    ),
                )
            })?;
            match self.connector.connect(name, stream).await {
                Ok(stream) => Ok(RustlsStream(stream)),
                Err(e) => Err(explain(e, &self.trusted)),
            }
        })
    }
}

/// A TLS session to the server.
pub struct RustlsStream<S>(tokio_rustls::client::TlsStream<S>);

impl<S: AsyncRead + AsyncWrite + Unpin> TlsStream for RustlsStream<S> {
    fn channel_binding(&self) -> ChannelBinding {
        ChannelBinding::none()
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncRead for RustlsStream<S> {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_read(cx, buf)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncWrite for RustlsStream<S> {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().0).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tls_with(path: &std::path::Path) -> Tls {
        Tls {
            check: Check::IssuerAndHost,
            roots: Roots::File(path.into()),
        }
    }

    #[test]
    fn public_roots_need_no_file() {
        assert!(MakeRustlsConnect::new(&Tls {
            check: Check::IssuerAndHost,
            roots: Roots::Public
        })
        .is_ok());
    }

    #[test]
    fn a_missing_or_empty_ca_file_is_a_clear_error() {
        let missing = MakeRustlsConnect::new(&tls_with("/nonexistent/ca.pem".as_ref()))
            .err()
            .unwrap_or_default();
        assert!(
            missing.contains("cannot read sslrootcert /nonexistent/ca.pem"),
            "{missing}"
        );
        let file = std::env::temp_dir().join(format!("trellis-not-a-ca-{}.pem", std::process::id()));
        std::fs::write(&file, "hello").unwrap();
        let empty = MakeRustlsConnect::new(&tls_with(&file)).err().unwrap_or_default();
        std::fs::remove_file(&file).ok();
        assert!(empty.contains("holds no PEM certificate"), "{empty}");
    }
}
