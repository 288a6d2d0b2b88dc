//! Read models and small QA actions behind the admin pages and the QA API: the protocol journal
//! (filtered listing, clearing), verification jobs (listing, retry) and the token decoder. They
//! own no protocol rules: they read what the protocol and the worker wrote, and the one write
//! each (clear, retry) runs in its own transaction here.

pub mod decoder;
pub mod jobs;
pub mod journal;
