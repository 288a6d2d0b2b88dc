//! The job trait (the crates.io `BackgroundJob` shape: a name, a payload type, `run`) and one
//! job per kind the IdP enqueues. Each job only hands its decoded payload to the use case in
//! esia-core; the use cases own transactions and idempotence, this module must not grow logic.

use esia_core::jobs::{CheckJobPayload, DeliverEmail, JobPayload, PostLetter, SleepMs};
use esia_core::upgrade::{checks, confirm};
use esia_core::Core;

use crate::error::JobError;

/// A kind of background job: the rows of kind [`BackgroundJob::NAME`] carry a
/// [`BackgroundJob::Payload`] and are run by [`BackgroundJob::run`], outside any transaction.
/// A run must be idempotent: a lease that expires hands the job to another worker.
pub trait BackgroundJob: Send + Sync + 'static {
    /// The `kind` column; the payload type names it, so enqueueing and running agree.
    const NAME: &'static str = <Self::Payload as JobPayload>::KIND;
    type Payload: JobPayload + 'static;
    /// Runs one job. An error makes the runner retry with backoff, then dead-letter.
    fn run(&self, core: &Core, payload: Self::Payload) -> Result<(), JobError>;
}

/// `deliver_email`: sends a stored e-mail over SMTP or into `.eml` files.
pub struct DeliverEmailJob;

impl BackgroundJob for DeliverEmailJob {
    type Payload = DeliverEmail;
    fn run(&self, core: &Core, p: DeliverEmail) -> Result<(), JobError> {
        Ok(esia_core::notify::deliver_email(core, &p.outbox_id)?)
    }
}

/// `post_letter`: the post delivers a letter with an identity confirmation code.
pub struct PostLetterJob;

impl BackgroundJob for PostLetterJob {
    type Payload = PostLetter;
    fn run(&self, core: &Core, p: PostLetter) -> Result<(), JobError> {
        Ok(confirm::run_letter(core, &p.letter_id)?)
    }
}

/// `check_snils`, `check_passport`, `check_inn`: a simulated agency answers a check (one job
/// type per payload type; the runner also answers many of them at once, see `runner`).
pub struct CheckJob<P>(std::marker::PhantomData<fn() -> P>);

impl<P> CheckJob<P> {
    pub fn new() -> Self {
        CheckJob(std::marker::PhantomData)
    }
}

impl<P> Default for CheckJob<P> {
    fn default() -> Self {
        Self::new()
    }
}

impl<P: CheckJobPayload + 'static> BackgroundJob for CheckJob<P> {
    type Payload = P;
    fn run(&self, core: &Core, p: P) -> Result<(), JobError> {
        checks::run_check(core, p.check_id())?;
        Ok(())
    }
}

/// Test-only `sleep_ms` (worker crash and lease tests); registered only when
/// `verification.test_jobs` is on, otherwise its rows are an unknown kind, as before.
pub struct SleepJob;

impl BackgroundJob for SleepJob {
    type Payload = SleepMs;
    fn run(&self, core: &Core, p: SleepMs) -> Result<(), JobError> {
        Ok(checks::run_sleep(core, &p)?)
    }
}
