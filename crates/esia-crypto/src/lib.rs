#![doc = include_str!("../README.md")]

pub mod gost;
pub mod hash;
pub mod password;

pub use hash::{sha256, streebog256, streebog512};
