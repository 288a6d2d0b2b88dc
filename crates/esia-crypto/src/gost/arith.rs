//! Prime-field and elliptic-curve point arithmetic for the hand-written GOST R 34.10-2012 code:
//! Montgomery-form field elements on fixed-width `crypto-bigint` integers (`Uint<4>` for 256-bit
//! curves, `Uint<8>` for 512-bit ones) and Jacobian-coordinate points on a short Weierstrass
//! curve `y² = x³ + ax + b` with an arbitrary `a` (the TC26 curves do not have `a = −3`).

use crypto_bigint::modular::montgomery_reduction;
use crypto_bigint::modular::runtime_mod::{DynResidue, DynResidueParams};
use crypto_bigint::subtle::{Choice, ConditionallySelectable};
use crypto_bigint::{Limb, Uint, Zero};

/// A prime field GF(p) with Montgomery constants. Elements are `Uint<L>` in Montgomery form.
#[derive(Clone, Debug)]
pub(crate) struct Field<const L: usize> {
    pub(crate) p: Uint<L>,
    neg_inv: Limb,
    pub(crate) one: Uint<L>,
    r2: Uint<L>,
    p_minus_2: Uint<L>,
}

impl<const L: usize> Field<L> {
    /// Builds the Montgomery constants for an odd prime `p`.
    pub(crate) fn new(p: Uint<L>) -> Self {
        let p0 = p.as_words()[0];
        // Newton iteration for p⁻¹ mod 2⁶⁴: each step doubles the number of correct bits.
        let mut inv: u64 = 1;
        for _ in 0..6 {
            inv = inv.wrapping_mul(2u64.wrapping_sub(p0.wrapping_mul(inv)));
        }
        let params = DynResidueParams::new(&p);
        let one = *DynResidue::one(params).as_montgomery();
        let r2 = *DynResidue::new(&one, params).as_montgomery();
        Field {
            p,
            neg_inv: Limb(inv.wrapping_neg()),
            one,
            r2,
            p_minus_2: p.wrapping_sub(&Uint::from_u8(2)),
        }
    }

    #[inline(always)]
    pub(crate) fn mul(&self, a: &Uint<L>, b: &Uint<L>) -> Uint<L> {
        montgomery_reduction(&a.mul_wide(b), &self.p, self.neg_inv)
    }

    #[inline(always)]
    pub(crate) fn sqr(&self, a: &Uint<L>) -> Uint<L> {
        montgomery_reduction(&a.square_wide(), &self.p, self.neg_inv)
    }

    #[inline(always)]
    pub(crate) fn add(&self, a: &Uint<L>, b: &Uint<L>) -> Uint<L> {
        a.add_mod(b, &self.p)
    }

    #[inline(always)]
    pub(crate) fn sub(&self, a: &Uint<L>, b: &Uint<L>) -> Uint<L> {
        a.sub_mod(b, &self.p)
    }

    #[inline(always)]
    pub(crate) fn dbl(&self, a: &Uint<L>) -> Uint<L> {
        a.add_mod(a, &self.p)
    }

    #[inline(always)]
    pub(crate) fn neg(&self, a: &Uint<L>) -> Uint<L> {
        a.neg_mod(&self.p)
    }

    /// Converts a canonical integer (`< p`) into Montgomery form.
    pub(crate) fn to_mont(&self, a: &Uint<L>) -> Uint<L> {
        self.mul(a, &self.r2)
    }

    /// Converts a Montgomery-form element back to its canonical integer.
    pub(crate) fn to_canonical(&self, a: &Uint<L>) -> Uint<L> {
        montgomery_reduction(&(*a, Uint::ZERO), &self.p, self.neg_inv)
    }

    /// Inverse by Fermat's little theorem (`a^(p−2)`); the exponent is public, so a plain
    /// left-to-right square-and-multiply is fine. Returns zero for zero.
    pub(crate) fn invert(&self, a: &Uint<L>) -> Uint<L> {
        let mut acc = self.one;
        let bits = self.p_minus_2.bits_vartime();
        for i in (0..bits).rev() {
            acc = self.sqr(&acc);
            if self.p_minus_2.bit_vartime(i) {
                acc = self.mul(&acc, a);
            }
        }
        acc
    }
}

/// A point in affine coordinates (Montgomery form). Never the point at infinity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Affine<const L: usize> {
    pub(crate) x: Uint<L>,
    pub(crate) y: Uint<L>,
}

impl<const L: usize> Affine<L> {
    pub(crate) const ZERO: Self = Affine {
        x: Uint::ZERO,
        y: Uint::ZERO,
    };

    /// Constant-time conditional assignment (used for table look-ups in signing).
    pub(crate) fn conditional_assign(&mut self, other: &Self, choice: Choice) {
        self.x = Uint::conditional_select(&self.x, &other.x, choice);
        self.y = Uint::conditional_select(&self.y, &other.y, choice);
    }
}

/// A point in Jacobian coordinates `(X/Z², Y/Z³)`; `Z = 0` is the point at infinity.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Jacobian<const L: usize> {
    pub(crate) x: Uint<L>,
    pub(crate) y: Uint<L>,
    pub(crate) z: Uint<L>,
}

impl<const L: usize> Jacobian<L> {
    pub(crate) const INFINITY: Self = Jacobian {
        x: Uint::ZERO,
        y: Uint::ZERO,
        z: Uint::ZERO,
    };

    pub(crate) fn is_infinity(&self) -> bool {
        bool::from(self.z.is_zero())
    }
}

/// The curve `y² = x³ + ax + b` over a field; `a` and `b` are in Montgomery form.
#[derive(Clone, Debug)]
pub(crate) struct CurveArith<const L: usize> {
    pub(crate) f: Field<L>,
    pub(crate) a: Uint<L>,
    pub(crate) b: Uint<L>,
}

impl<const L: usize> CurveArith<L> {
    pub(crate) fn to_jacobian(&self, p: &Affine<L>) -> Jacobian<L> {
        Jacobian {
            x: p.x,
            y: p.y,
            z: self.f.one,
        }
    }

    pub(crate) fn is_on_curve(&self, p: &Affine<L>) -> bool {
        let f = &self.f;
        let lhs = f.sqr(&p.y);
        let x3 = f.mul(&f.sqr(&p.x), &p.x);
        let rhs = f.add(&f.add(&x3, &f.mul(&self.a, &p.x)), &self.b);
        lhs == rhs
    }

    pub(crate) fn negate(&self, p: &Jacobian<L>) -> Jacobian<L> {
        Jacobian {
            x: p.x,
            y: self.f.neg(&p.y),
            z: p.z,
        }
    }

    /// Doubling, "dbl-2007-bl" (general `a`).
    pub(crate) fn double(&self, p: &Jacobian<L>) -> Jacobian<L> {
        if p.is_infinity() {
            return *p;
        }
        let f = &self.f;
        let xx = f.sqr(&p.x);
        let yy = f.sqr(&p.y);
        let yyyy = f.sqr(&yy);
        let zz = f.sqr(&p.z);
        let s = f.dbl(&f.sub(&f.sub(&f.sqr(&f.add(&p.x, &yy)), &xx), &yyyy));
        let m = f.add(&f.add(&f.dbl(&xx), &xx), &f.mul(&self.a, &f.sqr(&zz)));
        let t = f.sub(&f.sqr(&m), &f.dbl(&s));
        let yyyy8 = f.dbl(&f.dbl(&f.dbl(&yyyy)));
        let y3 = f.sub(&f.mul(&m, &f.sub(&s, &t)), &yyyy8);
        let z3 = f.sub(&f.sub(&f.sqr(&f.add(&p.y, &p.z)), &yy), &zz);
        Jacobian { x: t, y: y3, z: z3 }
    }

    /// Mixed addition `P + Q` with `Q` affine, "madd-2007-bl", with the special cases handled.
    pub(crate) fn add_mixed(&self, p: &Jacobian<L>, q: &Affine<L>) -> Jacobian<L> {
        if p.is_infinity() {
            return self.to_jacobian(q);
        }
        let f = &self.f;
        let z1z1 = f.sqr(&p.z);
        let u2 = f.mul(&q.x, &z1z1);
        let s2 = f.mul(&f.mul(&q.y, &p.z), &z1z1);
        let h = f.sub(&u2, &p.x);
        let r = f.dbl(&f.sub(&s2, &p.y));
        if bool::from(h.is_zero()) {
            return if bool::from(r.is_zero()) {
                self.double(p)
            } else {
                Jacobian::INFINITY
            };
        }
        let hh = f.sqr(&h);
        let i = f.dbl(&f.dbl(&hh));
        let j = f.mul(&h, &i);
        let v = f.mul(&p.x, &i);
        let x3 = f.sub(&f.sub(&f.sqr(&r), &j), &f.dbl(&v));
        let y3 = f.sub(&f.mul(&r, &f.sub(&v, &x3)), &f.dbl(&f.mul(&p.y, &j)));
        let z3 = f.sub(&f.sub(&f.sqr(&f.add(&p.z, &h)), &z1z1), &hh);
        Jacobian {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// General addition, "add-2007-bl", with the special cases handled.
    pub(crate) fn add(&self, p: &Jacobian<L>, q: &Jacobian<L>) -> Jacobian<L> {
        if p.is_infinity() {
            return *q;
        }
        if q.is_infinity() {
            return *p;
        }
        let f = &self.f;
        let z1z1 = f.sqr(&p.z);
        let z2z2 = f.sqr(&q.z);
        let u1 = f.mul(&p.x, &z2z2);
        let u2 = f.mul(&q.x, &z1z1);
        let s1 = f.mul(&f.mul(&p.y, &q.z), &z2z2);
        let s2 = f.mul(&f.mul(&q.y, &p.z), &z1z1);
        let h = f.sub(&u2, &u1);
        let r = f.dbl(&f.sub(&s2, &s1));
        if bool::from(h.is_zero()) {
            return if bool::from(r.is_zero()) {
                self.double(p)
            } else {
                Jacobian::INFINITY
            };
        }
        let i = f.sqr(&f.dbl(&h));
        let j = f.mul(&h, &i);
        let v = f.mul(&u1, &i);
        let x3 = f.sub(&f.sub(&f.sqr(&r), &j), &f.dbl(&v));
        let y3 = f.sub(&f.mul(&r, &f.sub(&v, &x3)), &f.dbl(&f.mul(&s1, &j)));
        let zsum = f.add(&p.z, &q.z);
        let z3 = f.mul(&f.sub(&f.sub(&f.sqr(&zsum), &z1z1), &z2z2), &h);
        Jacobian {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// Converts to affine; `None` for the point at infinity.
    pub(crate) fn to_affine(&self, p: &Jacobian<L>) -> Option<Affine<L>> {
        if p.is_infinity() {
            return None;
        }
        let f = &self.f;
        let zinv = f.invert(&p.z);
        let zinv2 = f.sqr(&zinv);
        Some(Affine {
            x: f.mul(&p.x, &zinv2),
            y: f.mul(&f.mul(&p.y, &zinv2), &zinv),
        })
    }

    /// Converts many finite points to affine with one inversion (Montgomery's trick).
    pub(crate) fn batch_to_affine(&self, points: &[Jacobian<L>]) -> Vec<Affine<L>> {
        let f = &self.f;
        let mut prefix = Vec::with_capacity(points.len());
        let mut acc = f.one;
        for p in points {
            prefix.push(acc);
            acc = f.mul(&acc, &p.z);
        }
        let mut inv = f.invert(&acc);
        let mut out = vec![Affine::ZERO; points.len()];
        for (idx, p) in points.iter().enumerate().rev() {
            let zinv = f.mul(&inv, &prefix[idx]);
            inv = f.mul(&inv, &p.z);
            let zinv2 = f.sqr(&zinv);
            out[idx] = Affine {
                x: f.mul(&p.x, &zinv2),
                y: f.mul(&f.mul(&p.y, &zinv2), &zinv),
            };
        }
        out
    }

    /// Variable-base scalar multiplication with a 4-bit fixed window (verification path).
    pub(crate) fn mul_var(&self, p: &Jacobian<L>, k: &Uint<L>) -> Jacobian<L> {
        let mut table = [*p; 16];
        table[0] = Jacobian::INFINITY;
        for i in 2..16 {
            table[i] = self.add(&table[i - 1], p);
        }
        let mut acc = Jacobian::INFINITY;
        let nibbles = L * 16;
        for n in (0..nibbles).rev() {
            for _ in 0..4 {
                acc = self.double(&acc);
            }
            let nib = nibble(k, n);
            if nib != 0 {
                acc = self.add(&acc, &table[nib]);
            }
        }
        acc
    }
}

/// The `n`-th 4-bit digit of `k`, least significant first.
#[inline(always)]
pub(crate) fn nibble<const L: usize>(k: &Uint<L>, n: usize) -> usize {
    let word = k.as_words()[n / 16];
    ((word >> ((n % 16) * 4)) & 0xf) as usize
}
