//! The hostile-input walker: every route of `esia_web::routes::ALL` gets the requests of
//! `cases.rs` over raw TCP (`raw.rs`), with a bounded number of routes in flight. It records
//! every 5xx, every request that got no answer and every panic anywhere in the process, and
//! counts requests per route. It judges nothing itself: the test asserts on the `Report`.

pub mod bodies;
pub mod cases;
pub mod raw;
pub mod values;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Once};

use serde_json::Value;

use cases::{Case, Ctx, Route};
use esia_web::routes::Method;
use raw::{send, Outcome};
use values::{fill_valid, names_for};

static PANICS: AtomicUsize = AtomicUsize::new(0);

/// Counts panics on every thread (server workers included), keeping the default report.
pub fn count_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.fetch_add(1, Ordering::SeqCst);
            previous(info);
        }));
    });
}

pub fn panics() -> usize {
    PANICS.load(Ordering::SeqCst)
}

/// What a walk found.
#[derive(Default)]
pub struct Report {
    /// `METHOD pattern` → requests sent.
    pub per_route: BTreeMap<String, usize>,
    /// `METHOD pattern [label] → outcome` for every 5xx or missing answer.
    pub failures: Vec<String>,
    pub sent: usize,
}

/// Query-parameter and JSON-property `(name, JSON type)` per `(method, path)` from the OpenAPI
/// document (the type lets the other fields of a body be valid while one is hostile).
pub fn api_names(doc: &Value) -> BTreeMap<(String, String), Vec<(String, String)>> {
    let schemas = &doc["components"]["schemas"];
    let resolve = |s: &Value| -> Value {
        let s = if s["type"] == "array" { &s["items"] } else { s };
        match s["$ref"].as_str() {
            Some(r) => schemas[r.rsplit('/').next().unwrap_or_default()].clone(),
            None => s.clone(),
        }
    };
    let mut out = BTreeMap::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            let type_of = |s: &Value| {
                let s = resolve(s);
                let t = match &s["type"] {
                    Value::Array(ts) => ts
                        .iter()
                        .find(|t| *t != "null")
                        .cloned()
                        .unwrap_or_default(),
                    t => t.clone(),
                };
                t.as_str().unwrap_or("string").to_string()
            };
            let mut names: Vec<(String, String)> = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "query")
                .filter_map(|p| Some((p["name"].as_str()?.to_string(), type_of(&p["schema"]))))
                .collect();
            let body = resolve(&op["requestBody"]["content"]["application/json"]["schema"]);
            names.extend(
                body["properties"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, v)| (k.clone(), type_of(v))),
            );
            out.insert((method.to_uppercase(), path.clone()), names);
        }
    }
    out
}

/// Routes that remove what the other cases lean on (the walker's persona, session and client,
/// or the whole state): walked last, one at a time, so every other route meets a stable state.
/// Concurrent resets racing other writes are issue 10 item 12, with a test of their own.
const LAST: &[(&str, &str)] = &[
    ("POST", "/logout"),
    ("POST", "/profile/delete"),
    ("POST", "/emulator/personas/{oid}/block"),
    ("POST", "/emulator/personas/{oid}/delete"),
    ("DELETE", "/emulator/api/personas/{oid}"),
    ("DELETE", "/emulator/api/clients/{mnemonic}"),
    ("POST", "/emulator/api/snapshot"),
    ("POST", "/emulator/reset"),
    ("POST", "/emulator/api/reset"),
];

fn is_last(method: &str, pattern: &str) -> bool {
    LAST.iter().any(|(m, p)| *m == method && *p == pattern)
}

/// Sends every case of every route: the others `parallel` routes at a time, then `LAST` in
/// order; each route's cases are sent in order.
pub async fn walk(addr: SocketAddr, ctx: Ctx, doc: &Value, parallel: usize) -> Report {
    let names = Arc::new(api_names(doc));
    let report = Arc::new(Mutex::new(Report::default()));
    let all = esia_web::routes::ALL;
    let first: Vec<_> = all
        .iter()
        .filter(|(m, p)| !is_last(m.as_str(), p))
        .collect();
    let last: Vec<_> = LAST
        .iter()
        .filter_map(|(m, p)| all.iter().find(|(am, ap)| am.as_str() == *m && ap == p))
        .collect();
    for (routes, parallel) in [(first, parallel), (last, 1)] {
        walk_routes(addr, &ctx, &names, &report, routes, parallel).await;
    }
    Arc::try_unwrap(report)
        .ok()
        .expect("walker finished")
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
}

type Names = BTreeMap<(String, String), Vec<(String, String)>>;

async fn walk_routes(
    addr: SocketAddr,
    ctx: &Ctx,
    names: &Arc<Names>,
    report: &Arc<Mutex<Report>>,
    routes: Vec<&(esia_web::routes::Method, &str)>,
    parallel: usize,
) {
    let gate = Arc::new(tokio::sync::Semaphore::new(parallel));
    let mut tasks = tokio::task::JoinSet::new();
    for (method, pattern) in routes {
        let (method, pattern) = (method.clone(), pattern.to_string());
        let (names, report, ctx) = (names.clone(), report.clone(), ctx.clone());
        let permit = gate.clone().acquire_owned().await.expect("semaphore");
        tasks.spawn_blocking(move || {
            let _permit = permit;
            let key = (method.to_string(), pattern.clone());
            let api = names.get(&key).cloned().unwrap_or_default();
            let route = format!("{method} {pattern}");
            let list: Vec<Case> = cases(&method, &pattern, &api, &ctx);
            let mut failures = Vec::new();
            for case in &list {
                match send(addr, &case.raw) {
                    Outcome::Status(s) if s < 500 => {}
                    Outcome::NoAnswer if case.may_drop => {}
                    other => failures.push(format!("{route} [{}] → {other:?}", case.label)),
                }
            }
            let mut r = report.lock().unwrap_or_else(|e| e.into_inner());
            r.sent += list.len();
            *r.per_route.entry(route).or_default() += list.len();
            r.failures.extend(failures);
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("walker task");
    }
}

/// Every hostile request for one route. `api` are the `(name, type)` pairs the OpenAPI document
/// gives for its query parameters and JSON body properties.
fn cases(method: &Method, pattern: &str, api: &[(String, String)], ctx: &Ctx) -> Vec<Case> {
    let r = Route {
        method: method.as_str(),
        pattern,
        api,
        ctx,
        names: names_for(pattern, api),
        valid: fill_valid(pattern, ctx),
        body_route: matches!(
            *method,
            Method::POST | Method::PUT | Method::PATCH | Method::DELETE
        ),
    };
    let mut out = Vec::new();
    cases::path_and_query(&r, &mut out);
    bodies::head_and_body(&r, &mut out);
    out
}
