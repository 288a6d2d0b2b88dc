//! Test personas for QA: the persona spec (what a persona can be given; also the unit of seed
//! files and snapshots) and the use cases applying, listing, changing and deleting personas.

pub mod spec;

pub use spec::PersonaSpec;
