//! The GOST R 34.10 curve catalogue: the named parameter sets (CryptoPro A/B/C/XchA/XchB, TC26
//! 256 A–D, TC26 512 A–C and the standard's two example curves), their OIDs, and the raw domain
//! parameters in Weierstrass form as published in RFC 4357 and RFC 7836 (and the TC26 documents).
//! Only five distinct 256-bit curves stand behind the nine 256-bit names; aliases share one set.

use serde::{Deserialize, Serialize};

/// A named GOST R 34.10 parameter set (a curve). Aliases (e.g. `CryptoProXchA` = `CryptoProA`)
/// are kept distinct so that keys and certificates round-trip with the OID they came with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Curve {
    /// id-GostR3410-2001-CryptoPro-A-ParamSet, 1.2.643.2.2.35.1 (curve CP-A).
    CryptoProA,
    /// id-GostR3410-2001-CryptoPro-B-ParamSet, 1.2.643.2.2.35.2 (curve CP-B).
    CryptoProB,
    /// id-GostR3410-2001-CryptoPro-C-ParamSet, 1.2.643.2.2.35.3 (curve CP-C).
    CryptoProC,
    /// id-GostR3410-2001-CryptoPro-XchA-ParamSet, 1.2.643.2.2.36.0 (curve CP-A; ESIA's own keys).
    CryptoProXchA,
    /// id-GostR3410-2001-CryptoPro-XchB-ParamSet, 1.2.643.2.2.36.1 (curve CP-C).
    CryptoProXchB,
    /// id-tc26-gost-3410-2012-256-paramSetA, 1.2.643.7.1.2.1.1.1 (twisted-Edwards-equivalent,
    /// used here in its RFC 7836 Weierstrass form).
    Tc26_256A,
    /// id-tc26-gost-3410-2012-256-paramSetB, 1.2.643.7.1.2.1.1.2 (curve CP-A).
    Tc26_256B,
    /// id-tc26-gost-3410-2012-256-paramSetC, 1.2.643.7.1.2.1.1.3 (curve CP-B).
    Tc26_256C,
    /// id-tc26-gost-3410-2012-256-paramSetD, 1.2.643.7.1.2.1.1.4 (curve CP-C).
    Tc26_256D,
    /// id-tc26-gost-3410-12-512-paramSetA, 1.2.643.7.1.2.1.2.1.
    Tc26_512A,
    /// id-tc26-gost-3410-12-512-paramSetB, 1.2.643.7.1.2.1.2.2.
    Tc26_512B,
    /// id-tc26-gost-3410-2012-512-paramSetC, 1.2.643.7.1.2.1.2.3 (twisted-Edwards-equivalent,
    /// Weierstrass form).
    Tc26_512C,
    /// The 256-bit example curve of GOST R 34.10-2012 Appendix A (id-GostR3410-2001-TestParamSet,
    /// 1.2.643.2.2.35.0). For test vectors only.
    Test256,
    /// The 512-bit example curve of GOST R 34.10-2012 Appendix A (1.2.643.7.1.2.1.2.0). For test
    /// vectors only.
    Test512,
}

/// Raw domain parameters, big-endian hex.
pub(crate) struct RawParams {
    pub(crate) p: &'static str,
    pub(crate) a: &'static str,
    pub(crate) b: &'static str,
    pub(crate) q: &'static str,
    pub(crate) x: &'static str,
    pub(crate) y: &'static str,
}

/// The distinct underlying curves; aliases map onto these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BaseCurve {
    CpA,
    CpB,
    CpC,
    Tc26A256,
    Test256,
    Tc26A512,
    Tc26B512,
    Tc26C512,
    Test512,
}

impl Curve {
    /// Every supported parameter set.
    pub const ALL: [Curve; 14] = [
        Curve::CryptoProA,
        Curve::CryptoProB,
        Curve::CryptoProC,
        Curve::CryptoProXchA,
        Curve::CryptoProXchB,
        Curve::Tc26_256A,
        Curve::Tc26_256B,
        Curve::Tc26_256C,
        Curve::Tc26_256D,
        Curve::Tc26_512A,
        Curve::Tc26_512B,
        Curve::Tc26_512C,
        Curve::Test256,
        Curve::Test512,
    ];

    /// The parameter-set OID in dotted form.
    pub fn oid(self) -> &'static str {
        match self {
            Curve::CryptoProA => "1.2.643.2.2.35.1",
            Curve::CryptoProB => "1.2.643.2.2.35.2",
            Curve::CryptoProC => "1.2.643.2.2.35.3",
            Curve::CryptoProXchA => "1.2.643.2.2.36.0",
            Curve::CryptoProXchB => "1.2.643.2.2.36.1",
            Curve::Tc26_256A => "1.2.643.7.1.2.1.1.1",
            Curve::Tc26_256B => "1.2.643.7.1.2.1.1.2",
            Curve::Tc26_256C => "1.2.643.7.1.2.1.1.3",
            Curve::Tc26_256D => "1.2.643.7.1.2.1.1.4",
            Curve::Tc26_512A => "1.2.643.7.1.2.1.2.1",
            Curve::Tc26_512B => "1.2.643.7.1.2.1.2.2",
            Curve::Tc26_512C => "1.2.643.7.1.2.1.2.3",
            Curve::Test256 => "1.2.643.2.2.35.0",
            Curve::Test512 => "1.2.643.7.1.2.1.2.0",
        }
    }

    /// Looks a parameter set up by its dotted OID.
    pub fn from_oid(oid: &str) -> Option<Curve> {
        Curve::ALL.into_iter().find(|c| c.oid() == oid)
    }

    /// A short human-readable name (e.g. `CryptoPro-XchA`).
    pub fn name(self) -> &'static str {
        match self {
            Curve::CryptoProA => "CryptoPro-A",
            Curve::CryptoProB => "CryptoPro-B",
            Curve::CryptoProC => "CryptoPro-C",
            Curve::CryptoProXchA => "CryptoPro-XchA",
            Curve::CryptoProXchB => "CryptoPro-XchB",
            Curve::Tc26_256A => "tc26-256-A",
            Curve::Tc26_256B => "tc26-256-B",
            Curve::Tc26_256C => "tc26-256-C",
            Curve::Tc26_256D => "tc26-256-D",
            Curve::Tc26_512A => "tc26-512-A",
            Curve::Tc26_512B => "tc26-512-B",
            Curve::Tc26_512C => "tc26-512-C",
            Curve::Test256 => "test-256",
            Curve::Test512 => "test-512",
        }
    }

    /// Size in bytes of a scalar, a coordinate and half a signature: 32 or 64.
    pub fn key_bytes(self) -> usize {
        if self.is_512() {
            64
        } else {
            32
        }
    }

    /// Whether this is a 512-bit parameter set (Streebog-512, OID 1.2.643.7.1.1.1.2).
    pub fn is_512(self) -> bool {
        matches!(
            self,
            Curve::Tc26_512A | Curve::Tc26_512B | Curve::Tc26_512C | Curve::Test512
        )
    }

    pub(crate) fn base(self) -> BaseCurve {
        match self {
            Curve::CryptoProA | Curve::CryptoProXchA | Curve::Tc26_256B => BaseCurve::CpA,
            Curve::CryptoProB | Curve::Tc26_256C => BaseCurve::CpB,
            Curve::CryptoProC | Curve::CryptoProXchB | Curve::Tc26_256D => BaseCurve::CpC,
            Curve::Tc26_256A => BaseCurve::Tc26A256,
            Curve::Test256 => BaseCurve::Test256,
            Curve::Tc26_512A => BaseCurve::Tc26A512,
            Curve::Tc26_512B => BaseCurve::Tc26B512,
            Curve::Tc26_512C => BaseCurve::Tc26C512,
            Curve::Test512 => BaseCurve::Test512,
        }
    }
}

impl std::fmt::Display for Curve {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

const P_CPA: &str = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD97";
const P_512: &str = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF\
                     FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFDC7";

impl BaseCurve {
    pub(crate) fn params(self) -> RawParams {
        match self {
            BaseCurve::CpA => RawParams {
                p: P_CPA,
                a: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD94",
                b: "A6",
                q: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF6C611070995AD10045841B09B761B893",
                x: "1",
                y: "8D91E471E0989CDA27DF505A453F2B7635294F2DDF23E3B122ACC99C9E9F1E14",
            },
            BaseCurve::CpB => RawParams {
                p: "8000000000000000000000000000000000000000000000000000000000000C99",
                a: "8000000000000000000000000000000000000000000000000000000000000C96",
                b: "3E1AF419A269A5F866A7D3C25C3DF80AE979259373FF2B182F49D4CE7E1BBC8B",
                q: "800000000000000000000000000000015F700CFFF1A624E5E497161BCC8A198F",
                x: "1",
                y: "3FA8124359F96680B83D1C3EB2C070E5C545C9858D03ECFB744BF8D717717EFC",
            },
            BaseCurve::CpC => RawParams {
                p: "9B9F605F5A858107AB1EC85E6B41C8AACF846E86789051D37998F7B9022D759B",
                a: "9B9F605F5A858107AB1EC85E6B41C8AACF846E86789051D37998F7B9022D7598",
                b: "805A",
                q: "9B9F605F5A858107AB1EC85E6B41C8AA582CA3511EDDFB74F02F3A6598980BB9",
                x: "0",
                y: "41ECE55743711A8C3CBF3783CD08C0EE4D4DC440D4641A8F366E550DFDB3BB67",
            },
            BaseCurve::Tc26A256 => RawParams {
                p: P_CPA,
                a: "C2173F1513981673AF4892C23035A27CE25E2013BF95AA33B22C656F277E7335",
                b: "295F9BAE7428ED9CCC20E7C359A9D41A22FCCD9108E17BF7BA9337A6F8AE9513",
                q: "400000000000000000000000000000000FD8CDDFC87B6635C115AF556C360C67",
                x: "91E38443A5E82C0D880923425712B2BB658B9196932E02C78B2582FE742DAA28",
                y: "32879423AB1A0375895786C4BB46E9565FDE0B5344766740AF268ADB32322E5C",
            },
            BaseCurve::Test256 => RawParams {
                p: "8000000000000000000000000000000000000000000000000000000000000431",
                a: "7",
                b: "5FBFF498AA938CE739B8E022FBAFEF40563F6E6A3472FC2A514C0CE9DAE23B7E",
                q: "8000000000000000000000000000000150FE8A1892976154C59CFC193ACCF5B3",
                x: "2",
                y: "08E2A8A0E65147D4BD6316030E16D19C85C97F0A9CA267122B96ABBCEA7E8FC8",
            },
            BaseCurve::Tc26A512 => RawParams {
                p: P_512,
                a: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF\
                    FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFDC4",
                b: "E8C2505DEDFC86DDC1BD0B2B6667F1DA34B82574761CB0E879BD081CFD0B6265\
                    EE3CB090F30D27614CB4574010DA90DD862EF9D4EBEE4761503190785A71C760",
                q: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF\
                    27E69532F48D89116FF22B8D4E0560609B4B38ABFAD2B85DCACDB1411F10B275",
                x: "3",
                y: "7503CFE87A836AE3A61B8816E25450E6CE5E1C93ACF1ABC1778064FDCBEFA921\
                    DF1626BE4FD036E93D75E6A50E3A41E98028FE5FC235F5B889A589CB5215F2A4",
            },
            BaseCurve::Tc26B512 => RawParams {
                p: "8000000000000000000000000000000000000000000000000000000000000000\
                    000000000000000000000000000000000000000000000000000000000000006F",
                a: "8000000000000000000000000000000000000000000000000000000000000000\
                    000000000000000000000000000000000000000000000000000000000000006C",
                b: "687D1B459DC841457E3E06CF6F5E2517B97C7D614AF138BCBF85DC806C4B289F\
                    3E965D2DB1416D217F8B276FAD1AB69C50F78BEE1FA3106EFB8CCBC7C5140116",
                q: "8000000000000000000000000000000000000000000000000000000000000001\
                    49A1EC142565A545ACFDB77BD9D40CFA8B996712101BEA0EC6346C54374F25BD",
                x: "2",
                y: "1A8F7EDA389B094C2C071E3647A8940F3C123B697578C213BE6DD9E6C8EC7335\
                    DCB228FD1EDF4A39152CBCAAF8C0398828041055F94CEEEC7E21340780FE41BD",
            },
            BaseCurve::Tc26C512 => RawParams {
                p: P_512,
                a: "DC9203E514A721875485A529D2C722FB187BC8980EB866644DE41C68E1430645\
                    46E861C0E2C9EDD92ADE71F46FCF50FF2AD97F951FDA9F2A2EB6546F39689BD3",
                b: "B4C4EE28CEBC6C2C8AC12952CF37F16AC7EFB6A9F69F4B57FFDA2E4F0DE5ADE0\
                    38CBC2FFF719D2C18DE0284B8BFEF3B52B8CC7A5F5BF0A3C8D2319A5312557E1",
                q: "3FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF\
                    C98CDBA46506AB004C33A9FF5147502CC8EDA9E7A769A12694623CEF47F023ED",
                x: "E2E31EDFC23DE7BDEBE241CE593EF5DE2295B7A9CBAEF021D385F7074CEA043A\
                    A27272A7AE602BF2A7B9033DB9ED3610C6FB85487EAE97AAC5BC7928C1950148",
                y: "F5CE40D95B5EB899ABBCCFF5911CB8577939804D6527378B8C108C3D2090FF9B\
                    E18E2D33E3021ED2EF32D85822423B6304F726AA854BAE07D0396E9A9ADDC40F",
            },
            BaseCurve::Test512 => RawParams {
                p: "4531ACD1FE0023C7550D267B6B2FEE80922B14B2FFB90F04D4EB7C09B5D2D15D\
                    F1D852741AF4704A0458047E80E4546D35B8336FAC224DD81664BBF528BE6373",
                a: "7",
                b: "1CFF0806A31116DA29D8CFA54E57EB748BC5F377E49400FDD788B649ECA1AC43\
                    61834013B2AD7322480A89CA58E0CF74BC9E540C2ADD6897FAD0A3084F302ADC",
                q: "4531ACD1FE0023C7550D267B6B2FEE80922B14B2FFB90F04D4EB7C09B5D2D15D\
                    A82F2D7ECB1DBAC719905C5EECC423F1D86E25EDBE23C595D644AAF187E6E6DF",
                x: "24D19CC64572EE30F396BF6EBBFD7A6C5213B3B3D7057CC825F91093A68CD762\
                    FD60611262CD838DC6B60AA7EEE804E28BC849977FAC33B4B530F1B120248A9A",
                y: "2BB312A43BD2CE6E0D020613C857ACDDCFBF061E91E5F2C3F32447C259F39B2C\
                    83AB156D77F1496BF7EB3351E1EE4E43DC1A18B91B24640B6DBB92CB1ADD371E",
            },
        }
    }
}
