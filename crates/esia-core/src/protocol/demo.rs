//! The demo client system `DEMO_IS`, seeded with the demo personas: the test-only certificates
//! committed under keys/demo-client/ (never use them anywhere real), redirect URI prefixes
//! `http://localhost` and `http://127.0.0.1`, every person and organisation scope, RS256 tokens,
//! strict mode.

use esia_store::write_transaction;

use super::clients::{insert, ClientSpec};
use crate::app::Core;
use crate::error::CoreResult;

/// The demo client's mnemonic.
pub const DEMO_CLIENT: &str = "DEMO_IS";
const GOST_PEM: &str = include_str!("../../../../keys/demo-client/demo-is-gost.pem");
const RSA_PEM: &str = include_str!("../../../../keys/demo-client/demo-is-rsa.pem");

impl Core {
    /// Registers `DEMO_IS` unless a client with that mnemonic exists; returns true when added.
    pub fn seed_demo_client(&self) -> CoreResult<bool> {
        let spec = ClientSpec {
            mnemonic: DEMO_CLIENT.into(),
            name: "Демо-система эмулятора".into(),
            redirect_uris: vec!["http://localhost".into(), "http://127.0.0.1".into()],
            // Every person scope and, for the role choice, every organisation scope.
            scopes: super::clients::all_person_scopes()
                .into_iter()
                .chain(
                    esia_domain::scopes::CATALOGUE
                        .iter()
                        .filter(|s| s.org_scope)
                        .map(|s| s.name.to_string()),
                )
                .collect(),
            token_alg: Some("RS256".into()),
            mode: Some("strict".into()),
            certificates: vec![GOST_PEM.into(), RSA_PEM.into()],
        };
        let mut conn = self.conn()?;
        write_transaction(&mut conn, |conn| -> CoreResult<bool> {
            if esia_store::clients::find_client(conn, DEMO_CLIENT)?.is_some() {
                return Ok(false);
            }
            insert(self, conn, &spec)?;
            Ok(true)
        })
    }
}
