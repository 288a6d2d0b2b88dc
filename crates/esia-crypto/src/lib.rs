#![doc = include_str!("../README.md")]

mod b64;
pub mod cert;
pub mod cms;
pub mod cms_sign;
pub mod gost;
pub mod hash;
pub mod jwt;
pub mod keys;
pub mod password;
mod private_key;
pub mod secret;
mod secret_check;
mod secret_v1;
mod secret_v2;
mod selfsigned;

pub use hash::{sha256, streebog256, streebog512};
