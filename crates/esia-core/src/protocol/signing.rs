//! The signing strings of §3 for every endpoint and grant (all §12 variants, in order of
//! preference) and the `client_secret` check against a client's certificates, with the
//! strict/lenient policy on top of the crypto crate's verdict. Logs which variant matched.

use esia_crypto::secret::{
    verify_client_secret, FailureReason, SecretCheck, SecretFailure, SecretMatch, SignatureVariant,
    SigningCandidate,
};

use super::clients::LoadedClient;
use super::request::SignedFields;
use super::{Endpoint, EsiaErrorCode};

/// The candidate strings for a request, most preferred first.
pub(crate) fn candidates(endpoint: Endpoint, f: &SignedFields) -> Vec<SigningCandidate> {
    let (cid, scope, org, ts, state, ru) = (
        &f.client_id,
        &f.scope,
        &f.scope_org,
        &f.timestamp,
        &f.state,
        &f.redirect_uri,
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
            let mut v = match f.grant_type.as_str() {
                "refresh_token" => vec![
                    SigningCandidate {
                        name: "v3te-refresh-ilm4",
                        message: format!("{cid}{scope}{org}{ts}{state}{ru}"),
                    },
                    SigningCandidate {
                        name: "v3te-refresh-ais",
                        message: format!("{cid}{scope}{ts}{state}{}", f.refresh_token),
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
                    message: format!("{cid}{scope}{org}{ts}{state}{ru}{}", f.code),
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
    fields: &SignedFields,
) -> Result<SecretMatch, SecretFailure> {
    let mut cands = candidates(endpoint, fields);
    if !endpoint.is_v1() && !client.lenient {
        cands.retain(|c| !c.name.starts_with("v1-"));
    }
    let result = verify_client_secret(&SecretCheck {
        generation: endpoint.generation(),
        candidates: cands,
        client_secret: &fields.client_secret,
        client_certificate_hash: fields.client_certificate_hash.as_deref(),
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
