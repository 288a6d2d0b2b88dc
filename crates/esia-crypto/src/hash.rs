//! Message digests used across the crate: Streebog-256/512 (GOST R 34.11-2012) and SHA-256, with
//! output bytes in the order OpenSSL's `dgst -md_gost12_256` prints them.

use sha2::Sha256;
use streebog::digest::Digest;
use streebog::{Streebog256, Streebog512};

/// Streebog-256 (GOST R 34.11-2012, 256-bit) of `data`.
pub fn streebog256(data: &[u8]) -> [u8; 32] {
    Streebog256::digest(data).into()
}

/// Streebog-512 (GOST R 34.11-2012, 512-bit) of `data`.
pub fn streebog512(data: &[u8]) -> [u8; 64] {
    Streebog512::digest(data).into()
}

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streebog256_rfc6986_m1() {
        let m1 = b"012345678901234567890123456789012345678901234567890123456789012";
        assert_eq!(
            hex::encode(streebog256(m1)),
            "9d151eefd8590b89daa6ba6cb74af9275dd051026bb149a452fd84e5e57b5500"
        );
    }
}
