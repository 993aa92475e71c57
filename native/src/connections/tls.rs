//! The rustls client configuration of a client's TLS settings: the system's root certificates
//! or the given CAs, an optional client certificate for mutual TLS, or no verification at all
//! (`insecure`, for tests against self-signed servers).

use crate::protocol::errors::Failure;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::sync::Arc;

/// TLS settings (PEM bytes as given).
#[derive(Clone, Debug)]
pub struct Tls {
    /// Skip certificate verification.
    pub insecure: bool,
    /// CA certificates, concatenated (empty: the system's roots).
    pub root_certs: Vec<u8>,
    /// Client certificate chain and key, for mutual TLS.
    pub client: Option<(Vec<u8>, Vec<u8>)>,
    /// The rustls configuration, built at the first connection and shared by the later ones.
    pub built: Arc<std::sync::OnceLock<Arc<ClientConfig>>>,
}

impl Tls {
    /// The rustls configuration connections are made with.
    pub fn client_config(&self) -> Result<Arc<ClientConfig>, Failure> {
        if let Some(c) = self.built.get() {
            return Ok(c.clone());
        }
        let c = build(self)?;
        Ok(self.built.get_or_init(|| c).clone())
    }
}

/// The configuration connections are made with.
fn build(tls: &Tls) -> Result<Arc<ClientConfig>, Failure> {
    let roots = roots(&tls.root_certs)?;
    let builder = ClientConfig::builder().with_root_certificates(roots);
    let mut config = match &tls.client {
        None => builder.with_no_client_auth(),
        Some((cert, key)) => {
            let chain = CertificateDer::pem_slice_iter(cert)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| bad("the client certificate", e))?;
            let key = PrivateKeyDer::from_pem_slice(key).map_err(|e| bad("the client key", e))?;
            builder
                .with_client_auth_cert(chain, key)
                .map_err(|e| bad("the client certificate and key", e))?
        }
    };
    if tls.insecure {
        config
            .dangerous()
            .set_certificate_verifier(Arc::new(NoVerification::default()));
    }
    Ok(Arc::new(config))
}

fn bad(what: &str, e: impl std::fmt::Display) -> Failure {
    Failure::config(format!("TLS: cannot use {what}: {e}"))
}

/// The given CA certificates, or the system's when none were given.
fn roots(pem: &[u8]) -> Result<RootCertStore, Failure> {
    let mut store = RootCertStore::empty();
    if pem.is_empty() {
        // Unreadable system certificates are skipped, as the crate does with partial results.
        for cert in rustls_native_certs::load_native_certs().certs {
            let _ = store.add(cert);
        }
        return Ok(store);
    }
    for cert in CertificateDer::pem_slice_iter(pem) {
        let cert = cert.map_err(|e| bad("the root certificates", e))?;
        store
            .add(cert)
            .map_err(|e| bad("the root certificates", e))?;
    }
    Ok(store)
}

/// The server name a connection to `host` verifies its certificate against.
pub fn server_name(host: &str) -> Result<ServerName<'static>, Failure> {
    ServerName::try_from(host.to_owned())
        .map_err(|e| Failure::config(format!("TLS: invalid server name {host:?}: {e}")))
}

/// Accepts any server certificate (the `insecure` setting).
#[derive(Debug)]
struct NoVerification {
    schemes: Vec<SignatureScheme>,
}

impl Default for NoVerification {
    fn default() -> Self {
        let provider = rustls::crypto::ring::default_provider();
        NoVerification {
            schemes: provider
                .signature_verification_algorithms
                .supported_schemes(),
        }
    }
}

impl ServerCertVerifier for NoVerification {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Ok(HandshakeSignatureValid::assertion())
    }

    fn verify_tls13_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Ok(HandshakeSignatureValid::assertion())
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.schemes.clone()
    }
}
