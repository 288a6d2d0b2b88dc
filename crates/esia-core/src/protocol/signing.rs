//! The signing strings of §3 for every endpoint and grant (all §12 variants, in order of
//! preference) and the `client_secret` check against a client's certificates, with the
//! strict/lenient policy on top of the crypto crate's verdict. Logs which variant matched.

use esia_crypto::secret::{
    verify_client_secret, FailureReason, SecretCheck, SecretFailure, SecretMatch, SignatureVariant,
    SigningCandidate,
};

use super::clients::LoadedClient;
use super::{Endpoint, EsiaErrorCode, Params};

fn p<'a>(params: &'a Params, name: &str) -> &'a str {
    params.get(name).unwrap_or("")
}

/// The candidate strings for a request, most preferred first.
pub(crate) fn candidates(endpoint: Endpoint, params: &Params) -> Vec<SigningCandidate> {
    let (cid, scope, org, ts, state, ru) = (
        p(params, "client_id"),
        p(params, "scope"),
        p(params, "scope_org"),
        p(params, "timestamp"),
        p(params, "state"),
        p(params, "redirect_uri"),
    );
    let v1 = SigningCandidate {
        name: "v1-scope-timestamp-client_id-state",
        message: format!("{scope}{ts}{cid}{state}"),
    };
    match endpoint {
        Endpoint::AcV1 | Endpoint::TeV1 => vec![v1],
        Endpoint::AcV2 => vec![
            SigningCandidate {
                name: "v2ac",
                message: format!("{cid}{scope}{org}{ts}{state}{ru}"),
            },
            v1,
        ],
        Endpoint::TeV3 => {
            let mut v = match p(params, "grant_type") {
                "refresh_token" => vec![
                    SigningCandidate {
                        name: "v3te-refresh-ilm4",
                        message: format!("{cid}{scope}{org}{ts}{state}{ru}"),
                    },
                    SigningCandidate {
                        name: "v3te-refresh-ais",
                        message: format!("{cid}{scope}{ts}{state}{}", p(params, "refresh_token")),
                    },
                ],
                "client_credentials" => vec![
                    SigningCandidate {
                        name: "v3te-client-credentials",
                        message: format!("{cid}{scope}{ts}{state}{ru}"),
                    },
                    SigningCandidate {
                        name: "v3te-client-credentials-scope_org",
                        message: format!("{cid}{scope}{org}{ts}{state}{ru}"),
                    },
                ],
                _ => vec![SigningCandidate {
                    name: "v3te-code",
                    message: format!("{cid}{scope}{org}{ts}{state}{ru}{}", p(params, "code")),
                }],
            };
            v.push(v1);
            v
        }
    }
}

/// Checks the secret. Strict clients refuse a CMS on a v2/v3 endpoint ("FR-style") and the v1
/// string on v2/v3; lenient ones accept them (and SHA-256 certificate hashes).
pub(crate) fn check(
    client: &LoadedClient,
    endpoint: Endpoint,
    params: &Params,
) -> Result<SecretMatch, SecretFailure> {
    let mut cands = candidates(endpoint, params);
    if !endpoint.is_v1() && !client.lenient {
        cands.retain(|c| !c.name.starts_with("v1-"));
    }
    let secret = params.get("client_secret").unwrap_or("");
    let result = verify_client_secret(&SecretCheck {
        generation: endpoint.generation(),
        candidates: cands,
        client_secret: secret,
        client_certificate_hash: params.non_empty("client_certificate_hash"),
        certs: &client.certs,
        lenient: client.lenient,
    });
    match result {
        Ok(m) if m.variant == SignatureVariant::CmsOnV2FrStyle && !client.lenient => {
            Err(SecretFailure {
                reason: FailureReason::SignatureMismatch,
                detail: "a CMS secret on a v2/v3 endpoint is accepted only in lenient mode".into(),
                encoding: Some(m.encoding),
                attempts: Vec::new(),
            })
        }
        Ok(m) => {
            tracing::debug!(
                client.id = %client.mnemonic,
                candidate = m.candidate,
                variant = ?m.variant,
                encoding = ?m.encoding,
                cert_hash_form = ?m.cert_hash_form,
                "client_secret verified"
            );
            Ok(m)
        }
        Err(f) => {
            tracing::debug!(client.id = %client.mnemonic, reason = ?f.reason, "client_secret rejected");
            Err(f)
        }
    }
}

/// The ESIA code for a failed check: 007002 when the CMS certificate is not the client's,
/// 007053 otherwise.
pub(crate) fn failure_code(f: &SecretFailure) -> EsiaErrorCode {
    match f.reason {
        FailureReason::CertNotRegistered | FailureReason::NoUsableCert => EsiaErrorCode::E007002,
        _ => EsiaErrorCode::E007053,
    }
}
