//! `spawn_second_app`: a second replica of a running `TestApp` — its own `Core` (own pool,
//! own caches) and HTTP server on another port, over the SAME database, keys and clock — as two
//! `serve` processes behind a load balancer would be. For tests of what replicas share (login
//! throttle, reset, sessions). It owns no database: the first app's `TestDb` keeps it alive, so
//! the replica must not outlive the app. No worker runs in it.

use esia_core::Core;

use crate::TestApp;

/// Another replica serving the first app's database.
pub struct Replica {
    /// `http://127.0.0.1:PORT`
    pub address: String,
    pub core: Core,
}

impl Replica {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }
}

/// Starts a second server over `app`'s database with `app`'s configuration (only the bind
/// address and public URL differ) and clock, so advancing `app.clock` moves both.
pub async fn spawn_second_app(app: &TestApp) -> Replica {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind port 0");
    let address = format!("http://{}", listener.local_addr().expect("local addr"));
    let mut config = (*app.core.config).clone();
    config.server.bind = listener.local_addr().expect("local addr").to_string();
    config.server.public_base_url = address.clone();
    let core = Core::open(config, app.clock.clone()).expect("open the second core");
    let control = esia_control::Control::start(core.clone(), app.clock.clone());
    let server = esia_web::server(control, listener).expect("second server");
    tokio::spawn(server);
    Replica { address, core }
}
