//! Known-answer tests for GOST R 34.10-2012 (the standard's Appendix A examples, 256 and 512 bit)
//! and domain-parameter checks for every supported curve.

use esia_crypto::gost::{self, Curve, GostPrivateKey, GostPublicKey};

fn unhex(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap()
}

/// The standard gives `e` as an integer; the digest bytes are its little-endian encoding.
fn digest_from_e(e_be: &str) -> Vec<u8> {
    let mut d = unhex(e_be);
    d.reverse();
    d
}

#[test]
fn every_curve_has_sound_domain_parameters() {
    for curve in Curve::ALL {
        gost::self_check(curve).unwrap_or_else(|e| panic!("{curve}: {e}"));
        assert_eq!(Curve::from_oid(curve.oid()), Some(curve));
    }
}

#[test]
fn appendix_a1_256_bit_example() {
    let d = "7A929ADE789BB9BE10ED359DD39A72C11B60961F49397EEE1D19CE9891EC3B28";
    let key = GostPrivateKey::from_be_bytes(Curve::Test256, &unhex(d)).unwrap();
    let qx = "7F2B49E270DB6D90D8595BEC458B50C58585BA1D4E9B788F6689DBD8E56FD80B";
    let qy = "26F1B489D6701DD185C8413A977B3CBBAF64D1C593D26627DFFB101A87FF77DA";
    assert_eq!(hex::encode_upper(key.public_key().x_be()), qx);
    assert_eq!(hex::encode_upper(key.public_key().y_be()), qy);
    let digest = digest_from_e("2DFBC1B372D89A1188C09C52E0EEC61FCE52032AB1022E8E67ECE6672B043EE5");
    let k = unhex("77105C9B20BCD3122823C8CF6FCC7B956DE33814E95B7FE64FED924594DCEAB3");
    let sig = key.sign_digest_with_nonce(&digest, &k).unwrap();
    let r = "41AA28D2F1AB148280CD9ED56FEDA41974053554A42767B83AD043FD39DC0493";
    let s = "01456C64BA4642A1653C235A98A60249BCD6D3F746B631DF928014F6C5BF9C40";
    assert_eq!(hex::encode_upper(&sig), format!("{s}{r}"));
    let public = GostPublicKey::from_be_xy(Curve::Test256, &unhex(qx), &unhex(qy)).unwrap();
    assert!(public.verify_digest(&digest, &sig));
    let mut bad = sig.clone();
    bad[10] ^= 1;
    assert!(!public.verify_digest(&digest, &bad));
}

#[test]
fn appendix_a2_512_bit_example() {
    let d = "0BA6048AADAE241BA40936D47756D7C93091A0E8514669700EE7508E508B1020\
             72E8123B2200A0563322DAD2827E2714A2636B7BFD18AADFC62967821FA18DD4";
    let key = GostPrivateKey::from_be_bytes(Curve::Test512, &unhex(d)).unwrap();
    let qx = "115DC5BC96760C7B48598D8AB9E740D4C4A85A65BE33C1815B5C320C854621DD\
              5A515856D13314AF69BC5B924C8B4DDFF75C45415C1D9DD9DD33612CD530EFE1";
    let qy = "37C7C90CD40B0F5621DC3AC1B751CFA0E2634FA0503B3D52639F5D7FB72AFD61\
              EA199441D943FFE7F0C70A2759A3CDB84C114E1F9339FDF27F35ECA93677BEEC";
    assert_eq!(hex::encode_upper(key.public_key().x_be()), qx);
    assert_eq!(hex::encode_upper(key.public_key().y_be()), qy);
    let digest = digest_from_e(
        "3754F3CFACC9E0615C4F4A7C4D8DAB531B09B6F9C170C533A71D147035B0C591\
         7184EE536593F4414339976C647C5D5A407ADEDB1D560C4FC6777D2972075B8C",
    );
    let k = unhex(
        "0359E7F4B1410FEACC570456C6801496946312120B39D019D455986E364F3658\
         86748ED7A44B3E794434006011842286212273A6D14CF70EA3AF71BB1AE679F1",
    );
    let sig = key.sign_digest_with_nonce(&digest, &k).unwrap();
    let r = "2F86FA60A081091A23DD795E1E3C689EE512A3C82EE0DCC2643C78EEA8FCACD3\
             5492558486B20F1C9EC197C90699850260C93BCBCD9C5C3317E19344E173AE36";
    let s = "1081B394696FFE8E6585E7A9362D26B6325F56778AADBC081C0BFBE933D52FF5\
             823CE288E8C4F362526080DF7F70CE406A6EEB1F56919CB92A9853BDE73E5B4A";
    assert_eq!(hex::encode_upper(&sig), format!("{s}{r}"));
    assert!(key.public_key().verify_digest(&digest, &sig));
}

#[test]
fn random_sign_verify_every_curve() {
    for curve in Curve::ALL {
        let key = GostPrivateKey::generate(curve);
        let sig = key.sign_message(b"hello");
        assert_eq!(sig.len(), 2 * curve.key_bytes());
        assert!(key.public_key().verify_message(b"hello", &sig), "{curve}");
        assert!(!key.public_key().verify_message(b"hellp", &sig), "{curve}");
        let le = key.public_key().to_le_xy();
        assert_eq!(
            &GostPublicKey::from_le_xy(curve, &le).unwrap(),
            key.public_key()
        );
    }
}
