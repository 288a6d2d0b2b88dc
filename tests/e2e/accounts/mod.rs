//! A person's own account over real HTTP: registration, login and recovery, the cabinet's pages,
//! the organisation role choice, e-mail over SMTP and the job queue that carries mail and checks.

mod cabinet_texts;
mod consents;
mod data_reads;
mod jobs;
mod login;
mod mail_smtp;
mod profile_pages;
mod registration;
mod role_choice;
