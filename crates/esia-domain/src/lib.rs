#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod values;

pub use values::*;
pub mod clock;
pub mod esia_error;
pub mod generate;
pub mod level;
pub mod scopes;
pub mod stored;

pub use level::{AccountLevel, AccountStatus, CheckKind};
pub use stored::{CheckStatus, ContactKind, LetterStatus, VerificationStatus, VrfStatus};
