//! Throughput of the hot paths: GOST-256 sign and verify, RS256 JWT signing with the kept key,
//! GOST JWT verification and CMS verification. Run with `cargo bench -p esia-crypto`.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use esia_crypto::cert::ParsedCert;
use esia_crypto::gost::{Curve, GostPrivateKey};
use esia_crypto::jwt::JwtAlg;
use esia_crypto::keys::{EmulatorKeys, KeyMaterialPem};

fn gost(c: &mut Criterion) {
    let key = GostPrivateKey::generate(Curve::CryptoProA);
    let msg = b"775607_DPopenid2025.12.29 17:47:23 +00000f9439ef-3581-4de5-9b8c-d20135960331https://is.example/cb";
    let sig = key.sign_message(msg);
    let mut g = c.benchmark_group("gost256");
    g.throughput(Throughput::Elements(1));
    g.bench_function("sign", |b| b.iter(|| key.sign_message(black_box(msg))));
    g.bench_function("verify", |b| {
        b.iter(|| assert!(key.public_key().verify_message(black_box(msg), &sig)))
    });
    g.finish();
    let key512 = GostPrivateKey::generate(Curve::Tc26_512A);
    let sig512 = key512.sign_message(msg);
    let mut g = c.benchmark_group("gost512");
    g.throughput(Throughput::Elements(1));
    g.sample_size(20);
    g.bench_function("sign", |b| b.iter(|| key512.sign_message(black_box(msg))));
    g.bench_function("verify", |b| {
        b.iter(|| assert!(key512.public_key().verify_message(black_box(msg), &sig512)))
    });
    g.finish();
}

fn jwt(c: &mut Criterion) {
    let keys = EmulatorKeys::load(&KeyMaterialPem::generate("CN=ESIA,O=RTLabs,C=RU", 30).unwrap())
        .unwrap();
    let claims = serde_json::json!({
        "nbf": 1649162126, "scope": "openid fullname?oid=1019797391", "iss": "http://esia.gosuslugi.ru/",
        "urn:esia:sid": "fd0b5333-cceb-43e3-b567-77e2995ce2f6", "urn:esia:sbj_id": 1019797391u64,
        "exp": 1649165726, "iat": 1649162126, "client_id": "159204"
    });
    let rs = keys.sign_jwt(JwtAlg::RS256, 1, "access", &claims).unwrap();
    let gt = keys
        .sign_jwt(JwtAlg::GOST3410_2012_256, 1, "access", &claims)
        .unwrap();
    let mut g = c.benchmark_group("jwt");
    g.throughput(Throughput::Elements(1));
    g.bench_function("rs256_sign", |b| {
        b.iter(|| {
            keys.sign_jwt(JwtAlg::RS256, 1, "access", black_box(&claims))
                .unwrap()
        })
    });
    g.bench_function("rs256_verify", |b| {
        b.iter(|| keys.verify_jwt(black_box(&rs)).unwrap())
    });
    g.bench_function("gost_sign", |b| {
        b.iter(|| {
            keys.sign_jwt(JwtAlg::GOST3410_2012_256, 1, "access", black_box(&claims))
                .unwrap()
        })
    });
    g.bench_function("gost_verify", |b| {
        b.iter(|| keys.verify_jwt(black_box(&gt)).unwrap())
    });
    g.finish();
}

/// A detached CMS without signed attributes made by OpenSSL's gost engine (CryptoPro-A), over
/// `MSG`, with the signer certificate embedded.
const CMS_B64: &str = include_str!("cms_noattr.b64");
const MSG: &[u8] = b"openid2025.12.29 17:47:23 +0000775607_DP0f9439ef-3581-4de5-9b8c-d20135960331";

fn cms(c: &mut Criterion) {
    let (der, _) = esia_crypto::secret::decode_secret_lenient(CMS_B64).unwrap();
    let registry: Vec<ParsedCert> = Vec::new();
    assert!(esia_crypto::cms::verify_cms(&der, MSG, &registry).is_ok());
    let mut g = c.benchmark_group("cms");
    g.throughput(Throughput::Elements(1));
    g.bench_function("verify_gost_noattr", |b| {
        b.iter(|| esia_crypto::cms::verify_cms(black_box(&der), MSG, &registry).unwrap())
    });
    g.finish();
}

criterion_group!(benches, gost, jwt, cms);
criterion_main!(benches);
