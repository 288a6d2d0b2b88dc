//! `serve` and `worker`: open the core, migrate, generate missing keys, seed the demo data, print
//! the banner, run the HTTP server and the in-process worker until SIGTERM or Ctrl-C.

use std::sync::Arc;
use std::time::Instant;

use clap::Args;
use esia_control::Control;
use esia_core::domain::clock::ControlledClock;
use esia_core::Core;

use super::{load_config, Cli};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on, e.g. 127.0.0.1:8080 (overrides configuration).
    #[arg(long)]
    pub bind: Option<String>,
    /// Do not run the job worker in this process (run `esia-emulator worker` separately).
    #[arg(long)]
    pub no_worker: bool,
    /// A seed file (YAML/TOML) applied after migrations and the demo seed, before serving, and
    /// again by `POST /emulator/api/reset`; a bad file stops the start (overrides
    /// `demo.seed_file`).
    #[arg(long, value_name = "FILE")]
    pub seed: Option<std::path::PathBuf>,
}

fn open_core(args: &Cli, bind: Option<&str>) -> anyhow::Result<Control> {
    open_core_seeded(args, bind, None)
}

fn open_core_seeded(
    args: &Cli,
    bind: Option<&str>,
    seed: Option<&std::path::Path>,
) -> anyhow::Result<Control> {
    let mut config = load_config(args)?;
    if let Some(bind) = bind {
        config.server.bind = bind.to_string();
        config.validate()?;
    }
    if let Some(seed) = seed {
        // Absolute, so reset re-reads the same file whatever the working directory.
        config.demo.seed_file = std::path::absolute(seed)?.display().to_string();
    }
    let clock = Arc::new(ControlledClock::system());
    let core = Core::open(config, clock.clone())?;
    core.migrate()?;
    // Every process follows the shared clock setting and fault rules, the worker too.
    Ok(Control::start(core, clock))
}

pub fn serve(args: &Cli, serve_args: &ServeArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let control = open_core_seeded(args, serve_args.bind.as_deref(), serve_args.seed.as_deref())?;
    let core = control.idp.clone();
    let seeded = esia_control::snapshot::apply_startup_seed(&control)?;
    let listener = std::net::TcpListener::bind(&core.config.server.bind)
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", core.config.server.bind))?;
    print_banner(&core, seeded, started);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let worker = (!serve_args.no_worker).then(|| {
            tokio::spawn(esia_worker::run(
                core.clone(),
                format!("serve-{}", std::process::id()),
                stop_rx,
            ))
        });
        let server = esia_web::server(control, listener)?;
        let handle = server.handle();
        tokio::spawn(async move {
            shutdown_signal().await;
            let _ = stop_tx.send(true);
            handle.stop(true).await;
        });
        let served = server.await;
        // The write-behind /rs journal rows still buffered in this process, before it exits.
        let flushed = core.clone();
        let _ = tokio::task::spawn_blocking(move || esia_core::protocol::journal::flush(&flushed))
            .await;
        served?;
        if let Some(w) = worker {
            let _ = w.await;
        }
        anyhow::Ok(())
    })
}

pub fn worker_only(args: &Cli) -> anyhow::Result<()> {
    let control = open_core(args, None)?;
    let core = control.idp.clone();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let worker = tokio::spawn(esia_worker::run(
            core,
            format!("worker-{}", std::process::id()),
            stop_rx,
        ));
        shutdown_signal().await;
        let _ = stop_tx.send(true);
        let _ = worker.await;
        drop(control);
        anyhow::Ok(())
    })
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("SIGTERM handler");
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}

fn print_banner(core: &Core, seeded: esia_control::seed_file::SeedSummary, started: Instant) {
    let base = core.config.public_base_url();
    println!(
        "esia-emulator {} — THIS IS AN EMULATOR OF ESIA, NEVER USE IT IN PRODUCTION",
        env!("CARGO_PKG_VERSION")
    );
    println!("  base URL:  {base}/  (login {base}/login, registration {base}/registration)");
    println!(
        "  database:  {} ({})",
        redact_url(&core.config.database_url()),
        core.backend_name()
    );
    let keys_note = if core.keys_generated {
        " (generated now)"
    } else {
        ""
    };
    println!("  keys:      {}{keys_note}", core.config.keys.dir.display());
    println!("  outbox:    {base}/emulator/api/outbox?to=<phone|email>");
    println!("  QA API:    {base}/emulator/api/docs  (OpenAPI: {base}/emulator/api/openapi.json)");
    if core.config.admin.is_open() {
        // Config validation already refused an open control plane on a non-loopback address.
        println!(
            "  WARNING:   the QA API and admin pages are open without a token (loopback only);"
        );
        println!("             set ESIA__ADMIN__TOKEN to require `Authorization: Bearer <token>`");
        tracing::warn!("admin token not set: the QA API is open to local callers");
    } else {
        println!("  QA API:    admin token required (Authorization: Bearer …, or /emulator/login)");
    }
    if seeded.personas_created > 0 {
        println!("  demo data: seeded {} personas", seeded.personas_created);
    }
    if !core.config.demo.seed_file.is_empty() {
        println!("  seed file: {} ({seeded})", core.config.demo.seed_file);
    }
    println!("  demo logins (password 11111111):");
    for p in esia_control::seed::DEMO_PERSONAS {
        let level = p.level.as_str();
        match p.phone {
            Some(phone) => println!(
                "    {} / {phone}  — {} {}, {level}",
                p.email, p.surname, p.name
            ),
            None => println!("    {}  — {} {}, {level}", p.email, p.surname, p.name),
        }
    }
    println!("  ready in {} ms", started.elapsed().as_millis());
}

/// Hides a password in a database URL for the banner.
fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}
