//! The emulator's own signing keys on disk: RSA-2048 and GOST R 34.10-2012-256 (CryptoPro-XchA,
//! like ESIA's) with self-signed certificates, generated into `keys.dir` when absent and loaded
//! once into memory for the token endpoint. Files are written atomically (temp file + rename).
//! Replicas share one keys folder and start together, so the check-then-generate runs under an
//! exclusive lock on `keys.dir/.keys.lock` (released by the OS if the holder dies): exactly one
//! process generates the set, every other one waits and reads that same set.

use std::path::{Path, PathBuf};

use esia_crypto::keys::{EmulatorKeys, KeyMaterialPem};

use crate::error::{CoreError, CoreResult};

pub const RSA_KEY: &str = "esia-rsa.key";
pub const RSA_CERT: &str = "esia-rsa.pem";
pub const GOST_KEY: &str = "esia-gost.key";
pub const GOST_CERT: &str = "esia-gost.pem";
/// The lock file that serialises generation across processes and threads.
pub const LOCK_FILE: &str = ".keys.lock";
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

/// Holds the exclusive lock on `dir`'s lock file until dropped. `None` when the folder is
/// read-only (keys provisioned ahead, e.g. a mounted secret): nothing can be generated there
/// anyway, so readers proceed unlocked.
fn lock_dir(dir: &Path) -> CoreResult<Option<std::fs::File>> {
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let path = dir.join(LOCK_FILE);
    let file = match std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
    {
        Ok(f) => f,
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
            ) =>
        {
            return Ok(None)
        }
        Err(e) => return Err(io(&path, e)),
    };
    file.lock().map_err(|e| io(&path, e))?;
    Ok(Some(file))
}

/// Generates a new key set into `dir`, replacing any existing one.
pub fn generate(dir: &Path) -> CoreResult<KeyMaterialPem> {
    let _lock = lock_dir(dir)?;
    write_new_set(dir)
}

/// Generates and writes a set; the caller holds the lock.
fn write_new_set(dir: &Path) -> CoreResult<KeyMaterialPem> {
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
/// and whether they were generated now (by this call; a concurrent caller that lost the race
/// reads the winner's set and gets `false`).
pub fn load_or_generate(dir: &Path) -> CoreResult<(EmulatorKeys, bool)> {
    let _lock = lock_dir(dir)?;
    let paths = key_paths(dir);
    let generated = !paths.iter().all(|p| p.exists());
    let material = if generated {
        write_new_set(dir)?
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Replicas sharing an empty keys folder: every racer ends up with the one set on disk,
    /// and exactly one of them generated it.
    #[test]
    fn racing_starts_share_one_key_set_equal_to_the_files() {
        let dir = tempfile::tempdir().unwrap();
        let keys_dir = dir.path().join("keys");
        let racers = 6;
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(racers));
        let handles: Vec<_> = (0..racers)
            .map(|_| {
                let barrier = barrier.clone();
                let keys_dir = keys_dir.clone();
                std::thread::spawn(move || {
                    barrier.wait();
                    let (keys, generated) = load_or_generate(&keys_dir).expect("keys");
                    (
                        keys.rsa_cert().der.clone(),
                        keys.gost_cert().der.clone(),
                        generated,
                    )
                })
            })
            .collect();
        let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let generators = results.iter().filter(|r| r.2).count();
        assert_eq!(generators, 1, "exactly one racer generates the set");
        let on_disk = |name: &str| {
            let pem = std::fs::read_to_string(keys_dir.join(name)).unwrap();
            esia_crypto::cert::ParsedCert::from_pem_or_der(pem.as_bytes())
                .unwrap()
                .der
        };
        let (rsa, gost) = (on_disk(RSA_CERT), on_disk(GOST_CERT));
        for (r, g, _) in &results {
            assert!(
                *r == rsa,
                "a racer serves an RSA certificate that is not on disk"
            );
            assert!(
                *g == gost,
                "a racer serves a GOST certificate that is not on disk"
            );
        }
        // A later start reads the same set and generates nothing.
        let (again, generated) = load_or_generate(&keys_dir).unwrap();
        assert!(!generated);
        assert!(again.rsa_cert().der == rsa);
    }
}
