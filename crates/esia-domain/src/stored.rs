//! The closed sets that are stored as text columns (the migrations' `CHECK (… IN (…))` lists):
//! a contact's type, the flat state of a person's checks, a check's status, a post letter's status, a document's
//! `vrfStu`. Each has
//! `as_str` (the stored and JSON spelling), `FromStr`, `Display`, and the `TryFrom<String>` /
//! `From<_> for String` pair that esia-store's rows use to type a column once, at the boundary.
//! No diesel here: the store names these conversions in `#[diesel(deserialize_as/serialize_as)]`.
//! Also no rules: what a status means for an account is `level::machine`'s business.

use std::fmt;
use std::str::FromStr;

use crate::level::{AccountLevel, AccountStatus, CheckKind, UnknownValue};

/// Declares a fieldless enum whose variants are spelled exactly as the database and the JSON
/// spell them, with `ALL`, `as_str`, `FromStr` (exact match: the CHECK constraint guarantees the
/// spelling, so a near miss is corruption, not input to forgive) and `Display`.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
        )]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every value, in the order of the migration's CHECK list.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored and JSON spelling.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl FromStr for $name {
            type Err = UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| UnknownValue(s.to_owned()))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// The text-column conversions diesel's `deserialize_as = String` / `serialize_as = String` call:
/// a stored value that does not parse is an `UnknownValue` error (diesel turns it into a
/// deserialization error, so the store answers `StoreError`, never a panic).
macro_rules! text_column {
    ($($name:ty),+) => {$(
        impl TryFrom<String> for $name {
            type Error = UnknownValue;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                s.parse()
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.as_str().to_owned()
            }
        }
    )+};
}

text_enum! {
    /// Where a person's upgrade checks stand (`persons.verification`): the flat, stored form of
    /// [`crate::level::Verification`].
    VerificationStatus {
        /// No check running and none failed.
        None = "none",
        /// Checks in progress (ESIA `verifying: true`).
        Verifying = "verifying",
        /// The last round failed.
        Failed = "failed",
    }
}

text_enum! {
    /// One government check's status (`verification_checks.status`).
    CheckStatus {
        /// Sent, no answer yet.
        Pending = "pending",
        /// The registry confirmed the data.
        Passed = "passed",
        /// The registry refused the data.
        Failed = "failed",
        /// Superseded by an edit or a newer round.
        Cancelled = "cancelled",
    }
}

text_enum! {
    /// A post letter with a confirmation code (`post_letters.status`).
    LetterStatus {
        /// Ordered, on its way.
        Ordered = "ordered",
        /// Arrived: the code can be typed in.
        Delivered = "delivered",
        /// Its code confirmed the identity.
        Used = "used",
    }
}

text_enum! {
    /// ESIA `vrfStu` of a document (`documents.vrf_stu`).
    VrfStatus {
        /// Checked by the agency that issued it.
        Verified = "VERIFIED",
        /// Not checked (yet).
        NotVerified = "NOT_VERIFIED",
    }
}

text_enum! {
    /// A contact's type (`contacts.kind`), spelled as ESIA's `/ctts` items spell it.
    ContactKind {
        /// Mobile phone.
        Mobile = "MBT",
        /// Home phone.
        Phone = "PHN",
        /// Personal e-mail.
        Email = "EML",
        /// Corporate e-mail.
        CorporateEmail = "CEM",
        /// Corporate phone.
        CorporatePhone = "CPH",
    }
}

text_column!(
    AccountLevel,
    ContactKind,
    AccountStatus,
    VerificationStatus,
    CheckStatus,
    LetterStatus,
    VrfStatus
);

impl TryFrom<String> for CheckKind {
    type Error = UnknownValue;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        CheckKind::parse(&s).ok_or(UnknownValue(s))
    }
}

impl From<CheckKind> for String {
    fn from(v: CheckKind) -> String {
        v.as_str().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<T>(all: &[T])
    where
        T: Copy + PartialEq + fmt::Debug + fmt::Display + TryFrom<String> + Into<String>,
        T: serde::Serialize + serde::de::DeserializeOwned,
    {
        for &v in all {
            let s: String = v.into();
            assert_eq!(v.to_string(), s);
            assert!(T::try_from(s.clone()).ok() == Some(v), "{s}");
            assert_eq!(serde_json::to_string(&v).unwrap(), format!("\"{s}\""));
            assert_eq!(serde_json::from_str::<T>(&format!("\"{s}\"")).unwrap(), v);
        }
        assert!(T::try_from("bogus".to_owned()).is_err());
    }

    #[test]
    fn stored_spellings_round_trip() {
        round_trip(&AccountLevel::ALL);
        round_trip(&[AccountStatus::Registered, AccountStatus::Deleted]);
        round_trip(&CheckKind::ALL);
        round_trip(VerificationStatus::ALL);
        round_trip(CheckStatus::ALL);
        round_trip(LetterStatus::ALL);
        round_trip(VrfStatus::ALL);
    }

    #[test]
    fn spellings_match_the_migrations() {
        let all = |s: &[&str]| s.join(",");
        let v: Vec<_> = VerificationStatus::ALL.iter().map(|v| v.as_str()).collect();
        assert_eq!(all(&v), "none,verifying,failed");
        let c: Vec<_> = CheckStatus::ALL.iter().map(|v| v.as_str()).collect();
        assert_eq!(all(&c), "pending,passed,failed,cancelled");
        let l: Vec<_> = LetterStatus::ALL.iter().map(|v| v.as_str()).collect();
        assert_eq!(all(&l), "ordered,delivered,used");
        // Exact spelling only: the CHECK constraint guarantees it.
        assert!("Pending".parse::<CheckStatus>().is_err());
    }
}
