//! esia-crypto: the emulator's offline cryptography core. It owns GOST R 34.10-2012 signatures,
//! Streebog hashing, certificate and CMS handling, the ESIA JWTs and client-secret checks, and
//! password hashing. It performs no I/O: callers pass bytes and strings in and get values back.

pub mod password;
