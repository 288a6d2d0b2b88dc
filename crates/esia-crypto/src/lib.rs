#![doc = include_str!("../README.md")]

pub mod cert;
pub mod cms;
pub mod gost;
pub mod hash;
pub mod jwt;
pub mod keys;
pub mod password;
pub mod secret;
mod secret_v1;
mod secret_v2;
mod selfsigned;

pub use hash::{sha256, streebog256, streebog512};
