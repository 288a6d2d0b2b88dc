//! The end state the batched-check comparison (`upgrade_batch.rs`) compares: every person with
//! its checks and documents, the outbox, the registry and the jobs, with generated ids replaced
//! by the person's OID and times by presence, sorted, so two runs compare line by line.

use esia_core::Core;
use esia_store::jobs;

/// The end state, with generated ids replaced by the person's OID and times by presence.
pub(super) fn snapshot(core: &Core) -> Vec<String> {
    let mut conn = core.conn().unwrap();
    let mut out = Vec::new();
    let persons = esia_store::persons::list_persons(&mut conn, 1000).unwrap();
    let oid_of = |id: &Option<String>| {
        id.as_ref()
            .and_then(|id| persons.iter().find(|p| &p.id == id))
            .map_or(0, |p| p.oid)
    };
    for p in &persons {
        out.push(format!(
            "person {} {} {} {:?}",
            p.oid, p.level, p.verification, p.verification_note
        ));
        for c in esia_store::verification::checks_of(&mut conn, &p.id, 50).unwrap() {
            out.push(format!(
                "check {} {} {} {:?} finished={}",
                p.oid,
                c.kind,
                c.status,
                c.reason,
                c.finished_at.is_some()
            ));
        }
        for d in esia_store::person_data::documents_of(&mut conn, &p.id).unwrap() {
            out.push(format!(
                "doc {} {} {} {:?} {:?}",
                p.oid, d.doc_type, d.vrf_stu, d.vrf_val_stu, d.fms_valid
            ));
        }
    }
    for m in esia_store::outbox::list(&mut conn, None, None, 1000).unwrap() {
        out.push(format!(
            "outbox {} {} {} {:?} {} delivered={}",
            oid_of(&m.person_id),
            m.kind,
            m.recipient,
            m.subject,
            m.body,
            m.delivered_at.is_some()
        ));
    }
    for r in esia_store::verification::list_registry(&mut conn, 1000).unwrap() {
        out.push(format!(
            "registry {} {} {:?} {} {} {:?} {:?} {} {:?}",
            r.surname,
            r.name,
            r.patronymic,
            r.gender,
            r.birth_date,
            r.snils,
            r.passport,
            r.passport_valid,
            r.inn
        ));
    }
    for j in jobs::list(&mut conn, None, 1000).unwrap() {
        out.push(format!(
            "job {} {} attempts={} {:?} run_at={}",
            j.kind, j.status, j.attempts, j.last_error, j.run_at
        ));
    }
    out.sort();
    out
}
