//! GOST R 34.10-2012 signatures (256- and 512-bit keys) on every parameter set ESIA clients use.
//!
//! Why hand-written: no maintained Rust crate implements GOST R 34.10, so the scheme is built
//! here on `crypto-bigint`'s fixed-width integers and Montgomery reduction. It is for a test
//! emulator: signing scans table rows in constant time but is not hardened against side channels.
//!
//! Byte conventions (docs/esia-protocol.md §3.4), shared by raw v2 secrets, CMS and JWS:
//! - signature: `s‖r`, each big-endian, 64 bytes (128 for 512-bit keys);
//! - digest: Streebog output read as a **little-endian** integer, `e = int_le(h) mod q`, 0 → 1;
//! - public key: `X_le‖Y_le` (what the certificate's OCTET STRING holds).

mod arith;
mod curves;
mod engine;

use crypto_bigint::Uint;
use serde::Serialize;

use curves::BaseCurve;
pub use curves::Curve;
use engine::{engine256, engine512, to_be, Engine};

/// Why a GOST key or signature operation was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub enum GostError {
    /// An input had the wrong size for the curve.
    #[error("wrong length: expected {expected} bytes, got {got}")]
    WrongLength { expected: usize, got: usize },
    /// The private scalar is zero or not below the group order.
    #[error("private key out of range")]
    InvalidPrivateKey,
    /// The public point is not on the curve.
    #[error("public key is not a point on the curve")]
    InvalidPublicKey,
    /// A caller-supplied nonce was out of range or gave a degenerate signature.
    #[error("nonce out of range or degenerate")]
    InvalidNonce,
}

enum Dispatch {
    Narrow(&'static Engine<4>),
    Wide(&'static Engine<8>),
}

fn dispatch(curve: Curve) -> Dispatch {
    let base: BaseCurve = curve.base();
    if let Some(e) = engine256(base) {
        return Dispatch::Narrow(e);
    }
    match engine512(base) {
        Some(e) => Dispatch::Wide(e),
        None => unreachable!("every base curve has an engine"),
    }
}

/// Streebog of the message with the size matching the curve (256 or 512 bits).
pub fn hash_for(curve: Curve, message: &[u8]) -> Vec<u8> {
    if curve.is_512() {
        crate::hash::streebog512(message).to_vec()
    } else {
        crate::hash::streebog256(message).to_vec()
    }
}

/// A GOST R 34.10-2012 public key: a validated curve point.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GostPublicKey {
    curve: Curve,
    x_be: Vec<u8>,
    y_be: Vec<u8>,
}

impl GostPublicKey {
    /// From big-endian affine coordinates; the point must be on the curve.
    pub fn from_be_xy(curve: Curve, x: &[u8], y: &[u8]) -> Result<Self, GostError> {
        let n = curve.key_bytes();
        if x.len() != n || y.len() != n {
            return Err(GostError::WrongLength {
                expected: n,
                got: x.len().max(y.len()),
            });
        }
        let ok = match dispatch(curve) {
            Dispatch::Narrow(e) => e.point_from_be(x, y).is_some(),
            Dispatch::Wide(e) => e.point_from_be(x, y).is_some(),
        };
        if !ok {
            return Err(GostError::InvalidPublicKey);
        }
        Ok(GostPublicKey {
            curve,
            x_be: x.to_vec(),
            y_be: y.to_vec(),
        })
    }

    /// From the certificate form `X_le‖Y_le` (64 or 128 bytes).
    pub fn from_le_xy(curve: Curve, xy: &[u8]) -> Result<Self, GostError> {
        let n = curve.key_bytes();
        if xy.len() != 2 * n {
            return Err(GostError::WrongLength {
                expected: 2 * n,
                got: xy.len(),
            });
        }
        let mut x = xy[..n].to_vec();
        let mut y = xy[n..].to_vec();
        x.reverse();
        y.reverse();
        Self::from_be_xy(curve, &x, &y)
    }

    /// The certificate form `X_le‖Y_le`.
    pub fn to_le_xy(&self) -> Vec<u8> {
        let mut out: Vec<u8> = self.x_be.iter().rev().copied().collect();
        out.extend(self.y_be.iter().rev());
        out
    }

    /// The parameter set.
    pub fn curve(&self) -> Curve {
        self.curve
    }

    /// Big-endian X coordinate (what `openssl -text` prints as `X:`).
    pub fn x_be(&self) -> &[u8] {
        &self.x_be
    }

    /// Big-endian Y coordinate.
    pub fn y_be(&self) -> &[u8] {
        &self.y_be
    }

    /// Verifies an `s‖r` signature over a Streebog digest (32 or 64 bytes, as hashed).
    pub fn verify_digest(&self, digest: &[u8], signature: &[u8]) -> bool {
        match dispatch(self.curve) {
            Dispatch::Narrow(e) => verify_impl(e, &self.x_be, &self.y_be, digest, signature),
            Dispatch::Wide(e) => verify_impl(e, &self.x_be, &self.y_be, digest, signature),
        }
    }

    /// Hashes the message with Streebog of the key's size and verifies the `s‖r` signature.
    pub fn verify_message(&self, message: &[u8], signature: &[u8]) -> bool {
        self.verify_digest(&hash_for(self.curve, message), signature)
    }
}

fn verify_impl<const L: usize>(
    e: &Engine<L>,
    x: &[u8],
    y: &[u8],
    digest: &[u8],
    sig: &[u8],
) -> bool {
    let n = L * 8;
    if sig.len() != 2 * n {
        return false;
    }
    let Some(pt) = e.point_from_be(x, y) else {
        return false;
    };
    let s = Uint::<L>::from_be_slice(&sig[..n]);
    let r = Uint::<L>::from_be_slice(&sig[n..]);
    e.verify(&pt, &e.digest_to_e(digest), &r, &s)
}

/// A GOST R 34.10-2012 private key with its public key. `Debug` never prints the scalar.
#[derive(Clone)]
pub struct GostPrivateKey {
    curve: Curve,
    d_be: Vec<u8>,
    public: GostPublicKey,
}

impl std::fmt::Debug for GostPrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GostPrivateKey")
            .field("curve", &self.curve)
            .finish_non_exhaustive()
    }
}

impl GostPrivateKey {
    /// A fresh random key on the curve.
    pub fn generate(curve: Curve) -> Self {
        let d_be = match dispatch(curve) {
            Dispatch::Narrow(e) => to_be(&e.random_scalar()),
            Dispatch::Wide(e) => to_be(&e.random_scalar()),
        };
        // A scalar from random_scalar is always in range.
        match Self::from_be_bytes(curve, &d_be) {
            Ok(k) => k,
            Err(_) => unreachable!("random scalar is in [1, q-1]"),
        }
    }

    /// From the big-endian scalar (exactly 32 or 64 bytes), `0 < d < q`.
    pub fn from_be_bytes(curve: Curve, d: &[u8]) -> Result<Self, GostError> {
        let n = curve.key_bytes();
        if d.len() != n {
            return Err(GostError::WrongLength {
                expected: n,
                got: d.len(),
            });
        }
        let (x, y) = match dispatch(curve) {
            Dispatch::Narrow(e) => public_of(e, d)?,
            Dispatch::Wide(e) => public_of(e, d)?,
        };
        Ok(GostPrivateKey {
            curve,
            d_be: d.to_vec(),
            public: GostPublicKey {
                curve,
                x_be: x,
                y_be: y,
            },
        })
    }

    /// From the little-endian scalar (the form inside GOST PKCS#8 files).
    pub fn from_le_bytes(curve: Curve, d: &[u8]) -> Result<Self, GostError> {
        let mut be = d.to_vec();
        be.reverse();
        Self::from_be_bytes(curve, &be)
    }

    /// The scalar, big-endian. Secret: never log it.
    pub fn to_be_bytes(&self) -> Vec<u8> {
        self.d_be.clone()
    }

    /// The scalar, little-endian. Secret: never log it.
    pub fn to_le_bytes(&self) -> Vec<u8> {
        self.d_be.iter().rev().copied().collect()
    }

    /// The parameter set.
    pub fn curve(&self) -> Curve {
        self.curve
    }

    /// The matching public key.
    pub fn public_key(&self) -> &GostPublicKey {
        &self.public
    }

    /// Signs a Streebog digest; returns `s‖r` big-endian (64 or 128 bytes).
    pub fn sign_digest(&self, digest: &[u8]) -> Vec<u8> {
        match dispatch(self.curve) {
            Dispatch::Narrow(e) => sign_impl(e, &self.d_be, digest, None),
            Dispatch::Wide(e) => sign_impl(e, &self.d_be, digest, None),
        }
        .unwrap_or_default()
    }

    /// Deterministic signing with a caller-chosen nonce `k` (big-endian), for the standard's test
    /// vectors only. Never use a fixed nonce for real signatures.
    #[doc(hidden)]
    pub fn sign_digest_with_nonce(&self, digest: &[u8], k_be: &[u8]) -> Result<Vec<u8>, GostError> {
        match dispatch(self.curve) {
            Dispatch::Narrow(e) => sign_impl(e, &self.d_be, digest, Some(k_be)),
            Dispatch::Wide(e) => sign_impl(e, &self.d_be, digest, Some(k_be)),
        }
    }

    /// Hashes with Streebog of the key's size and signs; returns `s‖r` big-endian.
    pub fn sign_message(&self, message: &[u8]) -> Vec<u8> {
        self.sign_digest(&hash_for(self.curve, message))
    }
}

fn public_of<const L: usize>(e: &Engine<L>, d_be: &[u8]) -> Result<(Vec<u8>, Vec<u8>), GostError> {
    let d = Uint::<L>::from_be_slice(d_be);
    if !e.scalar_in_range(&d) {
        return Err(GostError::InvalidPrivateKey);
    }
    let pt =
        e.c.to_affine(&e.mul_base(&d))
            .ok_or(GostError::InvalidPrivateKey)?;
    Ok(e.point_to_be(&pt))
}

fn sign_impl<const L: usize>(
    e: &Engine<L>,
    d_be: &[u8],
    digest: &[u8],
    k_be: Option<&[u8]>,
) -> Result<Vec<u8>, GostError> {
    let d = Uint::<L>::from_be_slice(d_be);
    let h = e.digest_to_e(digest);
    let (r, s) = match k_be {
        None => e.sign(&d, &h),
        Some(k) => {
            if k.len() != L * 8 {
                return Err(GostError::WrongLength {
                    expected: L * 8,
                    got: k.len(),
                });
            }
            let k = Uint::<L>::from_be_slice(k);
            if !e.scalar_in_range(&k) {
                return Err(GostError::InvalidNonce);
            }
            e.sign_with_k(&d, &h, &k).ok_or(GostError::InvalidNonce)?
        }
    };
    let mut out = to_be(&s);
    out.extend(to_be(&r));
    Ok(out)
}

/// Signs a digest with the key (free-function form of [`GostPrivateKey::sign_digest`]).
pub fn sign_digest(key: &GostPrivateKey, digest: &[u8]) -> Vec<u8> {
    key.sign_digest(digest)
}

/// Hashes and signs a message (free-function form of [`GostPrivateKey::sign_message`]).
pub fn sign_message(key: &GostPrivateKey, message: &[u8]) -> Vec<u8> {
    key.sign_message(message)
}

/// Verifies an `s‖r` signature over a message (free-function form).
pub fn verify_message(key: &GostPublicKey, message: &[u8], signature: &[u8]) -> bool {
    key.verify_message(message, signature)
}

/// `a·b mod q` on little-endian scalars of the curve's size (PKCS#8 key unmasking).
pub(crate) fn mul_mod_q_le(curve: Curve, a_le: &[u8], b_le: &[u8]) -> Vec<u8> {
    fn go<const L: usize>(e: &Engine<L>, a: &[u8], b: &[u8]) -> Vec<u8> {
        let (a, b) = (Uint::<L>::from_le_slice(a), Uint::<L>::from_le_slice(b));
        let mut out = to_be(&e.mul_mod_q(&a, &b));
        out.reverse();
        out
    }
    let n = curve.key_bytes();
    if a_le.len() != n || b_le.len() != n {
        return a_le.to_vec();
    }
    match dispatch(curve) {
        Dispatch::Narrow(e) => go(e, a_le, b_le),
        Dispatch::Wide(e) => go(e, a_le, b_le),
    }
}

/// Checks a curve's domain parameters: the base point lies on the curve, `q·G = O` and
/// `(q−1)·G = −G`, using both scalar-multiplication paths. Used by the test suite.
#[doc(hidden)]
pub fn self_check(curve: Curve) -> Result<(), String> {
    match dispatch(curve) {
        Dispatch::Narrow(e) => self_check_impl(e),
        Dispatch::Wide(e) => self_check_impl(e),
    }
}

fn self_check_impl<const L: usize>(e: &Engine<L>) -> Result<(), String> {
    if !e.c.is_on_curve(&e.g) {
        return Err("base point not on curve".into());
    }
    let g = e.c.to_jacobian(&e.g);
    if !e.c.mul_var(&g, &e.q).is_infinity() {
        return Err("q·G ≠ O (windowed)".into());
    }
    if !e
        .c
        .add(&e.mul_base(&e.q.wrapping_sub(&Uint::ONE)), &g)
        .is_infinity()
    {
        return Err("(q−1)·G + G ≠ O (comb)".into());
    }
    let neg = e.c.to_affine(&e.c.negate(&g)).ok_or("−G is infinity")?;
    let qm1 =
        e.c.to_affine(&e.mul_base(&e.q.wrapping_sub(&Uint::ONE)))
            .ok_or("(q−1)·G is infinity")?;
    if neg != qm1 {
        return Err("(q−1)·G ≠ −G".into());
    }
    Ok(())
}
