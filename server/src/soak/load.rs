//! The load: paced workers of each kind, alternating between the instances, recording every
//! outcome in the tally and every acknowledged write for the check afterwards.

use super::browser::{Browser, USER_AGENT};
use super::http::{Client, Response};
use super::tally::{Kind, Outcome, Tally};
use std::io;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A request with no complete answer after this long counts as hung (an error).
const HUNG_AFTER: Duration = Duration::from_secs(30);
pub const CLICK_PARAM: &str = "trl_click=";

/// Writes the servers acknowledged: click ids from 302s, conversion ids from 201s, refund ids
/// from 201s.
#[derive(Default)]
pub struct Acked {
    pub clicks: Vec<String>,
    pub conversions: Vec<i64>,
    pub refunds: Vec<String>,
}

pub struct Shared {
    pub tally: Tally,
    pub acked: Mutex<Acked>,
    pub stop: AtomicBool,
    /// The newest acknowledged click, for conversions to name.
    latest_click: Mutex<Option<String>>,
    orders: AtomicU64,
    /// Makes order and refund ids unique to this run.
    pub run_id: String,
}

impl Shared {
    pub fn new(run_id: String) -> Arc<Self> {
        Arc::new(Self {
            tally: Tally::default(),
            acked: Mutex::new(Acked::default()),
            stop: AtomicBool::new(false),
            latest_click: Mutex::new(None),
            orders: AtomicU64::new(0),
            run_id,
        })
    }

    fn acked(&self) -> std::sync::MutexGuard<'_, Acked> {
        self.acked.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
}

/// Waits for the next tick of a fixed period, false once the run is stopping. A tick missed
/// because the server was slow is not made up for: the rate drops instead.
pub struct Pacer {
    interval: tokio::time::Interval,
}

impl Pacer {
    pub fn new(period: Duration, offset: Duration) -> Self {
        let mut interval = tokio::time::interval_at(tokio::time::Instant::now() + offset, period);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        Self { interval }
    }

    pub async fn tick(&mut self, shared: &Shared) -> bool {
        self.interval.tick().await;
        !shared.stopped()
    }
}

/// Sends one request, timing it; a request that hangs becomes an error.
async fn timed<F>(request: F) -> (io::Result<Response>, Duration)
where
    F: std::future::Future<Output = io::Result<Response>>,
{
    let started = Instant::now();
    let result = match tokio::time::timeout(HUNG_AFTER, request).await {
        Ok(result) => result,
        Err(_) => Err(io::Error::new(
            io::ErrorKind::TimedOut,
            format!("no answer within {} s", HUNG_AFTER.as_secs()),
        )),
    };
    (result, started.elapsed())
}

/// The outcome of a response that should have had status `want`.
pub fn classify(result: &io::Result<Response>, want: u16, what: &str) -> Outcome {
    match result {
        Ok(response) if response.status == want => Outcome::Ok,
        Ok(response) if response.is_deliberate_unavailable() => Outcome::Unavailable,
        Ok(response) => {
            let body: String = response.text().chars().take(200).collect();
            Outcome::Error(format!("{what}: {} {body:?}", response.status))
        }
        Err(error) => Outcome::Error(format!("{what}: {error}")),
    }
}

/// The click id in a redirect's `Location`.
pub fn click_id(location: &str) -> Option<String> {
    let start = location.find(CLICK_PARAM)? + CLICK_PARAM.len();
    let id: String = location[start..]
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    (!id.is_empty()).then_some(id)
}

/// Clients for every instance, used in turn.
struct Turns {
    clients: Vec<Client>,
    next: usize,
}

impl Turns {
    fn new(addrs: &[String]) -> Self {
        Self {
            clients: addrs.iter().map(|a| Client::new(a.clone())).collect(),
            next: 0,
        }
    }

    fn next(&mut self) -> &mut Client {
        let turn = self.next % self.clients.len();
        self.next += 1;
        &mut self.clients[turn]
    }
}

/// `GET /r/{code}` over the demo links; a 302 must carry the click id it stored.
pub async fn clicks(shared: Arc<Shared>, addrs: Vec<String>, codes: Vec<String>, mut pacer: Pacer) {
    let mut turns = Turns::new(&addrs);
    let mut n = 0usize;
    while pacer.tick(&shared).await {
        let path = format!("/r/{}", codes[n % codes.len()]);
        n += 1;
        let client = turns.next();
        let what = format!("GET {path} on {}", client.addr());
        let (result, took) = timed(client.get(&path, &[("User-Agent", USER_AGENT)])).await;
        let mut outcome = classify(&result, 302, &what);
        if let (Outcome::Ok, Ok(response)) = (&outcome, &result) {
            match response.header("location").and_then(click_id) {
                Some(id) => {
                    *shared.latest_click.lock().unwrap_or_else(|p| p.into_inner()) = Some(id.clone());
                    shared.acked().clicks.push(id);
                }
                None => outcome = Outcome::Error(format!("{what}: a 302 without a click id")),
            }
        }
        shared.tally.record(Kind::Click, outcome, took);
    }
}

/// What the conversion workers send.
#[derive(Clone)]
pub struct ConversionLoad {
    pub api_key: String,
    pub currency: String,
    /// Every how many conversions one is partly refunded.
    pub refund_every: u64,
}

/// Sales through the conversion API naming a recent click, and partial refunds of some of
/// them right after (on the other instance, when there are two).
pub async fn conversions(shared: Arc<Shared>, addrs: Vec<String>, load: ConversionLoad, mut pacer: Pacer) {
    let mut turns = Turns::new(&addrs);
    let auth = format!("Bearer {}", load.api_key);
    let headers = [("Authorization", auth.as_str()), ("Content-Type", "application/json")];
    while pacer.tick(&shared).await {
        let n = shared.orders.fetch_add(1, Ordering::Relaxed);
        let order_id = format!("SOAK-{}-{n}", shared.run_id);
        let click = shared.latest_click.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let body = serde_json::json!({
            "order_id": order_id,
            "event": "sale",
            "amount": "49.90",
            "currency": load.currency,
            "click_id": click,
        })
        .to_string();
        let client = turns.next();
        let what = format!("POST /api/v1/conversions on {}", client.addr());
        let (result, took) = timed(client.send("POST", "/api/v1/conversions", &headers, body.as_bytes())).await;
        let mut outcome = classify(&result, 201, &what);
        if let (Outcome::Ok, Ok(response)) = (&outcome, &result) {
            match serde_json::from_slice::<serde_json::Value>(&response.body)
                .ok()
                .and_then(|v| v["id"].as_i64())
            {
                Some(id) => shared.acked().conversions.push(id),
                None => outcome = Outcome::Error(format!("{what}: a 201 without a conversion id")),
            }
        }
        let created = matches!(outcome, Outcome::Ok);
        shared.tally.record(Kind::Conversion, outcome, took);
        if !created || !n.is_multiple_of(load.refund_every) {
            continue;
        }
        let refund_id = format!("{order_id}-R");
        let body = serde_json::json!({ "refund_id": refund_id, "amount": "10.00" }).to_string();
        let path = format!("/api/v1/conversions/{order_id}/refunds");
        let client = turns.next();
        let what = format!("POST {path} on {}", client.addr());
        let (result, took) = timed(client.send("POST", &path, &headers, body.as_bytes())).await;
        let outcome = classify(&result, 201, &what);
        if matches!(outcome, Outcome::Ok) {
            shared.acked().refunds.push(refund_id);
        }
        shared.tally.record(Kind::Refund, outcome, took);
    }
}

/// A logged-in user reading `paths` in turn, each on every instance one after the other (with
/// an even number of paths, taking them in plain turn would pin each path to one instance);
/// each must answer 200 (exports with a CSV).
pub async fn pages(shared: Arc<Shared>, kind: Kind, mut browser: Browser, paths: Vec<String>, mut pacer: Pacer) {
    let mut n = 0usize;
    while pacer.tick(&shared).await {
        let path = &paths[(n / browser.instances()) % paths.len()];
        n += 1;
        let what = format!("GET {path}");
        let (result, took) = timed(browser.get(path)).await;
        let mut outcome = classify(&result, 200, &what);
        if let (Outcome::Ok, Ok(response), Kind::Export) = (&outcome, &result, kind) {
            if !response
                .header("content-type")
                .unwrap_or_default()
                .starts_with("text/csv")
            {
                outcome = Outcome::Error(format!("{what}: not a CSV ({:?})", response.header("content-type")));
            }
        }
        shared.tally.record(kind, outcome, took);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn click_id_comes_from_the_location() {
        assert_eq!(
            click_id("https://shop.test/p?x=1&trl_click=AbC123xyz&y=2").as_deref(),
            Some("AbC123xyz")
        );
        assert_eq!(click_id("https://shop.test/p?x=1"), None);
        assert_eq!(click_id("https://shop.test/p?trl_click="), None);
    }
}
