//! The GOST R 34.10-2012 signature scheme over one curve, generic in the integer width
//! (`L = 4` limbs for 256-bit curves, `L = 8` for 512-bit ones). It owns scalar arithmetic mod q,
//! the precomputed base-point comb table (built lazily once per curve), signing and verifying on
//! integers, and the byte conventions of §3.4 (digest read little-endian, signature `s‖r`
//! big-endian).

use std::sync::OnceLock;

use crypto_bigint::modular::runtime_mod::{DynResidue, DynResidueParams};
use crypto_bigint::subtle::ConstantTimeEq;
use crypto_bigint::{NonZero, RandomMod, Uint, Zero};
use rand::rngs::OsRng;

use super::arith::{nibble, Affine, CurveArith, Field, Jacobian};
use super::curves::{BaseCurve, RawParams};

/// One curve's precomputed state.
pub(crate) struct Engine<const L: usize> {
    pub(crate) c: CurveArith<L>,
    pub(crate) q: Uint<L>,
    q_nz: NonZero<Uint<L>>,
    q_params: DynResidueParams<L>,
    pub(crate) g: Affine<L>,
    /// `comb[i][j-1] = j·16^i·G` in affine form, for every nibble position `i`.
    comb: OnceLock<Vec<[Affine<L>; 15]>>,
}

fn parse_hex<const L: usize>(s: &str) -> Uint<L> {
    // Constants are compile-time literals of at most L*16 hex digits (checked by tests).
    let mut padded = "0".repeat(L * 16 - s.len());
    padded.push_str(s);
    Uint::from_be_hex(&padded)
}

impl<const L: usize> Engine<L> {
    pub(crate) fn new(raw: &RawParams) -> Self {
        let p = parse_hex::<L>(raw.p);
        let f = Field::new(p);
        let a = f.to_mont(&parse_hex(raw.a));
        let b = f.to_mont(&parse_hex(raw.b));
        let g = Affine {
            x: f.to_mont(&parse_hex(raw.x)),
            y: f.to_mont(&parse_hex(raw.y)),
        };
        let q = parse_hex::<L>(raw.q);
        let q_nz = Option::from(NonZero::new(q)).unwrap_or(NonZero::<Uint<L>>::ONE);
        Engine {
            c: CurveArith { f, a, b },
            q,
            q_nz,
            q_params: DynResidueParams::new(&q),
            g,
            comb: OnceLock::new(),
        }
    }

    fn comb(&self) -> &Vec<[Affine<L>; 15]> {
        self.comb.get_or_init(|| {
            let positions = L * 16;
            let mut jac = Vec::with_capacity(positions * 15);
            let mut base = self.c.to_jacobian(&self.g);
            for _ in 0..positions {
                let mut acc = base;
                jac.push(acc);
                for _ in 2..=15 {
                    acc = self.c.add(&acc, &base);
                    jac.push(acc);
                }
                // base ← 16·base
                for _ in 0..4 {
                    base = self.c.double(&base);
                }
            }
            let aff = self.c.batch_to_affine(&jac);
            aff.chunks_exact(15)
                .map(|ch| {
                    let mut row = [Affine::ZERO; 15];
                    row.copy_from_slice(ch);
                    row
                })
                .collect()
        })
    }

    /// `k·G` using the comb table. The table row is scanned in full with constant-time selects so
    /// the memory access pattern does not reveal the nonce digits; zero digits still skip an add.
    pub(crate) fn mul_base(&self, k: &Uint<L>) -> Jacobian<L> {
        let comb = self.comb();
        let mut acc = Jacobian::INFINITY;
        for (i, row) in comb.iter().enumerate() {
            let nib = nibble(k, i);
            let mut sel = Affine::ZERO;
            for (j, entry) in row.iter().enumerate() {
                sel.conditional_assign(entry, ((j + 1) as u32).ct_eq(&(nib as u32)));
            }
            if nib != 0 {
                acc = self.c.add_mixed(&acc, &sel);
            }
        }
        acc
    }

    /// Decodes an affine point from canonical big-endian coordinates, checking it is on the curve.
    pub(crate) fn point_from_be(&self, x: &[u8], y: &[u8]) -> Option<Affine<L>> {
        if x.len() != L * 8 || y.len() != L * 8 {
            return None;
        }
        let (x, y) = (Uint::<L>::from_be_slice(x), Uint::<L>::from_be_slice(y));
        if x >= self.c.f.p || y >= self.c.f.p {
            return None;
        }
        let pt = Affine {
            x: self.c.f.to_mont(&x),
            y: self.c.f.to_mont(&y),
        };
        self.c.is_on_curve(&pt).then_some(pt)
    }

    pub(crate) fn point_to_be(&self, p: &Affine<L>) -> (Vec<u8>, Vec<u8>) {
        (
            to_be(&self.c.f.to_canonical(&p.x)),
            to_be(&self.c.f.to_canonical(&p.y)),
        )
    }

    /// `e = int_le(digest) mod q`, with `e = 1` when that is zero.
    pub(crate) fn digest_to_e(&self, digest: &[u8]) -> Uint<L> {
        let mut buf = vec![0u8; L * 8];
        let n = digest.len().min(L * 8);
        buf[..n].copy_from_slice(&digest[..n]);
        let e = Uint::<L>::from_le_slice(&buf).rem(&self.q_nz);
        if bool::from(e.is_zero()) {
            Uint::ONE
        } else {
            e
        }
    }

    /// A uniformly random scalar in `[1, q−1]`.
    pub(crate) fn random_scalar(&self) -> Uint<L> {
        loop {
            let k = Uint::<L>::random_mod(&mut OsRng, &self.q_nz);
            if !bool::from(k.is_zero()) {
                return k;
            }
        }
    }

    /// Whether `0 < d < q`.
    pub(crate) fn scalar_in_range(&self, d: &Uint<L>) -> bool {
        !bool::from(d.is_zero()) && d < &self.q
    }

    fn modq(&self, x: &Uint<L>) -> DynResidue<L> {
        DynResidue::new(x, self.q_params)
    }

    /// Signs `e` with private scalar `d` and nonce `k`; `None` when `r` or `s` comes out zero.
    pub(crate) fn sign_with_k(
        &self,
        d: &Uint<L>,
        e: &Uint<L>,
        k: &Uint<L>,
    ) -> Option<(Uint<L>, Uint<L>)> {
        let c = self.c.to_affine(&self.mul_base(k))?;
        let r = self.c.f.to_canonical(&c.x).rem(&self.q_nz);
        if bool::from(r.is_zero()) {
            return None;
        }
        let s = (self.modq(&r) * self.modq(d) + self.modq(k) * self.modq(e)).retrieve();
        if bool::from(s.is_zero()) {
            return None;
        }
        Some((r, s))
    }

    /// `a·b mod q` for arbitrary integers below `2^(64L)` (used to unmask GOST private keys).
    pub(crate) fn mul_mod_q(&self, a: &Uint<L>, b: &Uint<L>) -> Uint<L> {
        (self.modq(a) * self.modq(b)).retrieve()
    }

    /// Signs with a fresh random nonce, retrying in the (negligible) degenerate cases.
    pub(crate) fn sign(&self, d: &Uint<L>, e: &Uint<L>) -> (Uint<L>, Uint<L>) {
        loop {
            let k = self.random_scalar();
            if let Some(rs) = self.sign_with_k(d, e, &k) {
                return rs;
            }
        }
    }

    /// The verification equation of §3.4.
    pub(crate) fn verify(&self, q_pt: &Affine<L>, e: &Uint<L>, r: &Uint<L>, s: &Uint<L>) -> bool {
        if !self.scalar_in_range(r) || !self.scalar_in_range(s) {
            return false;
        }
        let (v, ok) = self.modq(e).invert();
        if !bool::from(ok) {
            return false;
        }
        let z1 = (self.modq(s) * v).retrieve();
        let z2 = (-(self.modq(r) * v)).retrieve();
        let c1 = self.mul_base(&z1);
        let c2 = self.c.mul_var(&self.c.to_jacobian(q_pt), &z2);
        match self.c.to_affine(&self.c.add(&c1, &c2)) {
            Some(c) => self.c.f.to_canonical(&c.x).rem(&self.q_nz) == *r,
            None => false,
        }
    }
}

/// Big-endian bytes of a `Uint<L>`.
pub(crate) fn to_be<const L: usize>(x: &Uint<L>) -> Vec<u8> {
    let mut out = Vec::with_capacity(L * 8);
    for w in x.as_words().iter().rev() {
        out.extend_from_slice(&w.to_be_bytes());
    }
    out
}

macro_rules! engine_cells {
    ($name:ident, $limbs:literal, $($variant:ident),+) => {
        pub(crate) fn $name(base: BaseCurve) -> Option<&'static Engine<$limbs>> {
            $(
                #[allow(non_upper_case_globals)]
                static $variant: OnceLock<Engine<$limbs>> = OnceLock::new();
            )+
            match base {
                $(BaseCurve::$variant => Some($variant.get_or_init(|| Engine::new(&base.params()))),)+
                #[allow(unreachable_patterns)]
                _ => None,
            }
        }
    };
}

engine_cells!(engine256, 4, CpA, CpB, CpC, Tc26A256, Test256);
engine_cells!(engine512, 8, Tc26A512, Tc26B512, Tc26C512, Test512);
