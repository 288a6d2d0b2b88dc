//! Real headless Chromium for end-to-end page tests. This module owns the
//! whole browser life cycle of one test: it finds `chromedriver` and
//! Chromium, starts a private `chromedriver` on a free localhost port with a
//! fresh Chromium profile directory, opens a WebDriver session through
//! `fantoccini` (plain HTTP, no TLS), offers a few convenience actions keyed
//! by CSS selectors (use [`tid`] for `data-testid`), and tears everything
//! down again (session, driver process group, profile directory) on
//! [`Browser::close`] or on drop. It also owns the opt-in switch for browser
//! tests: they run only with `ESIA_TEST_BROWSER=1`; without it they skip
//! loudly, and with it a missing driver or browser is an error, never a skip.

mod driver;
mod steps;

pub use steps::{fill_fields, log_in};

use std::fmt;
use std::fs::File;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use driver::{
    capabilities, chromium_binary, delete_session_blocking, find_chromedriver, free_port,
    kill_driver, log_tail, wait_ready,
};

use fantoccini::elements::Element;
use fantoccini::{ClientBuilder, Locator};

/// Bound for waiting on the driver to come up and for [`Browser::wait_for`].
pub const WAIT: Duration = Duration::from_secs(10);

/// Default Chromium binary (Debian's `chromium` package); override with `CHROMIUM_BIN`.
pub const DEFAULT_CHROMIUM: &str = "/usr/bin/chromium";

/// True when `ESIA_TEST_BROWSER=1`, i.e. browser tests should really run.
pub fn browser_tests_enabled() -> bool {
    std::env::var("ESIA_TEST_BROWSER").is_ok_and(|v| v.trim() == "1")
}

/// Prints the loud stderr line that marks a skipped browser test.
pub fn skip_browser_test(name: &str) {
    // Written to the real stderr: eprintln! would be captured by the test harness and hidden.
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED (set ESIA_TEST_BROWSER=1): browser test {name}"
    );
}

/// In a test returning `()`: skip loudly and `return` unless browser tests are enabled.
///
/// ```ignore
/// #[tokio::test]
/// async fn login_page() {
///     esia_testkit::require_browser!("login_page");
///     let b = Browser::start().await.expect("browser");
/// }
/// ```
#[macro_export]
macro_rules! require_browser {
    ($name:expr) => {
        if !$crate::browser::browser_tests_enabled() {
            $crate::browser::skip_browser_test($name);
            return;
        }
    };
}

/// CSS selector for a `data-testid` attribute: `[data-testid="id"]`.
pub fn tid(id: &str) -> String {
    format!(
        "[data-testid=\"{}\"]",
        id.replace('\\', "\\\\").replace('"', "\\\"")
    )
}

/// Any failure of the browser helpers, with a human-readable explanation.
pub struct BrowserError(pub String);

/// Same as `Display`, so `.expect()` in a test prints the readable message.
impl fmt::Debug for BrowserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for BrowserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BrowserError {}

/// `.ctx("what failed")`: turns any displayable error into a [`BrowserError`].
trait Ctx<T> {
    fn ctx(self, what: impl fmt::Display) -> Result<T, BrowserError>;
}

impl<T, E: fmt::Display> Ctx<T> for Result<T, E> {
    fn ctx(self, what: impl fmt::Display) -> Result<T, BrowserError> {
        self.map_err(|e| BrowserError(format!("{what}: {e}")))
    }
}

/// A headless Chromium driven over WebDriver. Dropping it kills the driver
/// and the browser; [`Browser::close`] ends the session gracefully first.
pub struct Browser {
    /// The raw `fantoccini` client, for anything the helpers do not cover.
    pub client: fantoccini::Client,
    driver: Child,
    port: u16,
    session_id: Option<String>,
    closed: bool,
    profile: tempfile::TempDir,
}

impl Browser {
    /// Starts `chromedriver` on a free port and opens a headless Chromium session.
    pub async fn start() -> Result<Browser, BrowserError> {
        let driver_bin = find_chromedriver()?;
        let chromium = chromium_binary()?;
        let profile = tempfile::Builder::new()
            .prefix("esia-browser-")
            .tempdir()
            .ctx("creating a temp dir for the Chromium profile")?;
        let user_data = profile.path().join("profile");
        let log_path = profile.path().join("chromedriver.log");
        let mut last = None;
        for _attempt in 0..3 {
            let port = free_port()?;
            let log = File::create(&log_path).ctx("creating chromedriver log")?;
            let log2 = log.try_clone().ctx("cloning log handle")?;
            let mut driver = Command::new(&driver_bin)
                .arg(format!("--port={port}"))
                .stdin(Stdio::null())
                .stdout(log)
                .stderr(log2)
                .process_group(0)
                .spawn()
                .ctx(format_args!("starting {}", driver_bin.display()))?;
            if let Err(e) = wait_ready(port, &mut driver, &log_path).await {
                kill_driver(&mut driver);
                last = Some(e);
                continue;
            }
            let caps = capabilities(&chromium, &user_data);
            let connected =
                ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                    .capabilities(caps)
                    .connect(&format!("http://127.0.0.1:{port}"))
                    .await;
            let client = match connected {
                Ok(c) => c,
                Err(e) => {
                    kill_driver(&mut driver);
                    return Err(BrowserError(format!(
                        "chromedriver could not start Chromium ({}): {e}\n--- chromedriver log ---\n{}",
                        chromium.display(),
                        log_tail(&log_path)
                    )));
                }
            };
            let session_id = client.session_id().await.ok().flatten();
            let closed = false;
            return Ok(Browser {
                client,
                driver,
                port,
                session_id,
                closed,
                profile,
            });
        }
        Err(last.unwrap_or_else(|| BrowserError("chromedriver did not start".into())))
    }

    /// Port of this instance's private chromedriver.
    pub fn driver_port(&self) -> u16 {
        self.port
    }

    /// Directory holding the Chromium profile and `chromedriver.log`.
    pub fn profile_dir(&self) -> &Path {
        self.profile.path()
    }

    /// Navigates to `url` and waits for the page load.
    pub async fn goto(&self, url: &str) -> Result<(), BrowserError> {
        self.client.goto(url).await.ctx(format!("goto {url}"))
    }

    /// Waits (bounded by [`WAIT`]) until an element matches `css`, and returns it.
    pub async fn wait_for(&self, css: &str) -> Result<Element, BrowserError> {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .ctx(format!("waiting {WAIT:?} for element {css}"))
    }

    /// Clears the input matching `css` (waiting for it) and types `text` into it.
    pub async fn fill(&self, css: &str, text: &str) -> Result<(), BrowserError> {
        let el = self.wait_for(css).await?;
        el.clear().await.ctx(format!("clear {css}"))?;
        el.send_keys(text).await.ctx(format!("type into {css}"))
    }

    /// Clicks the element matching `css` (waiting for it).
    pub async fn click(&self, css: &str) -> Result<(), BrowserError> {
        let el = self.wait_for(css).await?;
        el.click().await.ctx(format!("click {css}"))
    }

    /// Visible text of the element matching `css` (waiting for it).
    pub async fn text(&self, css: &str) -> Result<String, BrowserError> {
        let el = self.wait_for(css).await?;
        el.text().await.ctx(format!("text of {css}"))
    }

    /// Current `value` property of the input matching `css` (waiting for it).
    pub async fn value(&self, css: &str) -> Result<String, BrowserError> {
        let el = self.wait_for(css).await?;
        let v = el.prop("value").await.ctx(format!("value of {css}"))?;
        Ok(v.unwrap_or_default())
    }

    /// The URL of the current page.
    pub async fn current_url(&self) -> Result<String, BrowserError> {
        let url = self.client.current_url().await.ctx("current_url")?;
        Ok(url.to_string())
    }

    /// Waits (bounded by [`WAIT`]) until the current URL contains `needle`; returns it.
    pub async fn wait_for_url_contains(&self, needle: &str) -> Result<String, BrowserError> {
        let deadline = Instant::now() + WAIT;
        loop {
            let url = self.current_url().await?;
            if url.contains(needle) {
                return Ok(url);
            }
            if Instant::now() >= deadline {
                return Err(BrowserError(format!(
                    "waited {WAIT:?} for the URL to contain {needle:?}; it is {url}"
                )));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Clicks the element matching `css` (a submit button or a link) and waits (bounded by
    /// [`WAIT`]) until the page it was on has been replaced by the answer.
    ///
    /// A click only starts the navigation: a `goto` right after it can cancel the request, and
    /// a `wait_for` of an element the old page also has (a notice, a field) can find it on the
    /// old page and then read a stale element. The old page's root element goes stale exactly
    /// when the new document replaces it, so waiting for that is a wait for the new page.
    pub async fn click_to_new_page(&self, css: &str) -> Result<(), BrowserError> {
        let old = self
            .client
            .find(Locator::Css("html"))
            .await
            .ctx("finding the page before the click")?;
        self.click(css).await?;
        let deadline = Instant::now() + WAIT;
        // Any error means the element no longer belongs to the current document.
        while old.tag_name().await.is_ok() {
            if Instant::now() >= deadline {
                let url = self.current_url().await.unwrap_or_default();
                return Err(BrowserError(format!(
                    "clicked {css}, but {url} was not replaced within {WAIT:?}"
                )));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(())
    }

    /// Text of the element matching `css` once `accept` holds for it, waiting (bounded by
    /// [`WAIT`]) while the page is being replaced: a missing or stale element, or one that
    /// still shows the old text, is asked again. The error names the last text seen.
    pub async fn text_once(
        &self,
        css: &str,
        accept: impl Fn(&str) -> bool,
    ) -> Result<String, BrowserError> {
        let deadline = Instant::now() + WAIT;
        let mut last = None;
        loop {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                if let Ok(text) = el.text().await {
                    if accept(&text) {
                        return Ok(text);
                    }
                    last = Some(text);
                }
            }
            if Instant::now() >= deadline {
                return Err(BrowserError(format!(
                    "waited {WAIT:?} for the text of {css}; last seen: {last:?}"
                )));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// [`Browser::text_once`] for a text equal to `expected`.
    pub async fn text_once_equal(&self, css: &str, expected: &str) -> Result<String, BrowserError> {
        self.text_once(css, |t| t == expected).await
    }

    /// Full HTML source of the current page.
    pub async fn source(&self) -> Result<String, BrowserError> {
        self.client.source().await.ctx("page source")
    }

    /// Saves a PNG screenshot of the viewport to `path`.
    pub async fn screenshot(&self, path: impl AsRef<Path>) -> Result<(), BrowserError> {
        let path = path.as_ref();
        let png = self.client.screenshot().await.ctx("screenshot")?;
        std::fs::write(path, png).ctx(format_args!("writing {}", path.display()))
    }

    /// Ends the WebDriver session (closing Chromium) and kills chromedriver.
    pub async fn close(mut self) -> Result<(), BrowserError> {
        let res = self.client.clone().close().await.ctx("closing the session");
        self.closed = true;
        kill_driver(&mut self.driver);
        res
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.closed {
            if let Some(id) = &self.session_id {
                delete_session_blocking(self.port, id);
            }
        }
        kill_driver(&mut self.driver);
    }
}
