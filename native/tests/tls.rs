//! TLS against a real server on loopback. Runs only with `GLIDE_TEST_TLS=127.0.0.1:PORT` and
//! `GLIDE_TEST_TLS_DIR` naming a directory with `ca.crt`, `client.crt` and `client.key` (the
//! server's certificate signed by that CA, valid for 127.0.0.1).

mod common;

use common::*;
use glide_deno::boundary::ffi;
use glide_deno::proto::{ConnectionRequest, TlsConfiguration};
use std::time::Duration;

fn setup() -> Option<(String, u16, std::path::PathBuf)> {
    let v = std::env::var("GLIDE_TEST_TLS").ok()?;
    let dir = std::env::var("GLIDE_TEST_TLS_DIR").ok()?;
    let (host, port) = v.rsplit_once(':')?;
    assert_eq!(host, "127.0.0.1", "loopback only");
    Some((host.to_string(), port.parse().ok()?, dir.into()))
}

fn read(dir: &std::path::Path, f: &str) -> Vec<u8> {
    std::fs::read(dir.join(f)).unwrap()
}

fn tls_config(host: &str, port: u16, tls: TlsConfiguration) -> Vec<u8> {
    config(host, port, |r: &mut ConnectionRequest| {
        r.use_tls = true;
        r.tls = Some(tls);
        r.connection_timeout_ms = Some(1000);
    })
}

fn async_ping(cfg: &[u8]) -> Outcome {
    let (h, create) = async_create(cfg);
    assert_ne!(h, 0, "{:?}", last_error());
    let created = completion(create, Duration::from_secs(5)).expect("no create completion");
    let out = created.and_then(|_| call(h, 0, &[b"PING"]));
    ffi::glide_close(h);
    out
}

#[test]
fn tls_with_ca_client_cert_and_insecure() {
    let Some((host, port, dir)) = setup() else {
        return;
    };
    let pong = V::Simple("PONG".into());
    let with_ca = tls_config(
        &host,
        port,
        TlsConfiguration {
            root_certificates: vec![read(&dir, "ca.crt")],
            ..Default::default()
        },
    );
    assert_eq!(async_ping(&with_ca), Ok(pong.clone()));
    let h = sync_create(&with_ca);
    assert_ne!(h, 0, "{:?}", last_error());
    assert_eq!(sync_call(h, 4096, 0, &[b"PING"]), Ok(pong.clone()));
    ffi::glide_close(h);

    let mtls = tls_config(
        &host,
        port,
        TlsConfiguration {
            root_certificates: vec![read(&dir, "ca.crt")],
            client_certificate: Some(read(&dir, "client.crt")),
            client_key: Some(read(&dir, "client.key")),
            ..Default::default()
        },
    );
    assert_eq!(async_ping(&mtls), Ok(pong.clone()));

    let insecure = tls_config(
        &host,
        port,
        TlsConfiguration {
            insecure: true,
            ..Default::default()
        },
    );
    assert_eq!(async_ping(&insecure), Ok(pong.clone()));

    // The system's roots do not know the test CA.
    let untrusted = tls_config(&host, port, TlsConfiguration::default());
    assert_eq!(err(async_ping(&untrusted)).0, CONNECTION);
    assert_eq!(sync_create(&untrusted), 0);
    assert_eq!(last_error().0, CONNECTION);

    // Plain TCP to a TLS port fails as a connection error too, within the timeout.
    let plain = config(&host, port, |r| r.connection_timeout_ms = Some(300));
    assert!(async_ping(&plain).is_err());
}
