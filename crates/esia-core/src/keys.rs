//! The emulator's own signing keys on disk: RSA-2048 and GOST R 34.10-2012-256 (CryptoPro-XchA,
//! like ESIA's) with self-signed certificates, generated into `keys.dir` when absent and loaded
//! once into memory for the token endpoint. Files are written atomically (temp file + rename).

use std::path::{Path, PathBuf};

use esia_crypto::keys::{EmulatorKeys, KeyMaterialPem};

use crate::error::{CoreError, CoreResult};

pub const RSA_KEY: &str = "esia-rsa.key";
pub const RSA_CERT: &str = "esia-rsa.pem";
pub const GOST_KEY: &str = "esia-gost.key";
pub const GOST_CERT: &str = "esia-gost.pem";
const SUBJECT: &str = "CN=ESIA Emulator (test only),OU=esia-emulator,O=Test,C=RU";
const VALID_DAYS: u32 = 3650;

/// Where each key file lives.
pub fn key_paths(dir: &Path) -> [PathBuf; 4] {
    [
        dir.join(RSA_KEY),
        dir.join(RSA_CERT),
        dir.join(GOST_KEY),
        dir.join(GOST_CERT),
    ]
}

fn io(path: &Path, e: std::io::Error) -> CoreError {
    CoreError::Config(format!("{}: {e}", path.display()))
}

fn write_atomically(path: &Path, content: &str) -> CoreResult<()> {
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, content).map_err(|e| io(&tmp, e))?;
    #[cfg(unix)]
    if path.extension().is_some_and(|e| e == "key") {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600));
    }
    std::fs::rename(&tmp, path).map_err(|e| io(path, e))
}

/// Generates a new key set into `dir`, replacing any existing one.
pub fn generate(dir: &Path) -> CoreResult<KeyMaterialPem> {
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let material = KeyMaterialPem::generate(SUBJECT, VALID_DAYS)
        .map_err(|e| CoreError::Internal(e.to_string()))?;
    let [rk, rc, gk, gc] = key_paths(dir);
    write_atomically(&rk, &material.rsa_key_pem)?;
    write_atomically(&rc, &material.rsa_cert_pem)?;
    write_atomically(&gk, &material.gost_key_pem)?;
    write_atomically(&gc, &material.gost_cert_pem)?;
    tracing::info!(dir = %dir.display(), "generated emulator signing keys");
    Ok(material)
}

/// Loads the key set from `dir`, generating it first when any file is missing. Returns the keys
/// and whether they were generated now.
pub fn load_or_generate(dir: &Path) -> CoreResult<(EmulatorKeys, bool)> {
    let paths = key_paths(dir);
    let generated = !paths.iter().all(|p| p.exists());
    let material = if generated {
        generate(dir)?
    } else {
        let read = |p: &PathBuf| std::fs::read_to_string(p).map_err(|e| io(p, e));
        KeyMaterialPem {
            rsa_key_pem: read(&paths[0])?,
            rsa_cert_pem: read(&paths[1])?,
            gost_key_pem: read(&paths[2])?,
            gost_cert_pem: read(&paths[3])?,
        }
    };
    let keys = EmulatorKeys::load(&material)
        .map_err(|e| CoreError::Config(format!("keys in {}: {e}", dir.display())))?;
    Ok((keys, generated))
}
