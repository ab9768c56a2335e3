//! Prometheus metrics in the text exposition format, from a small registry of our own: request
//! counts and latency histograms by route and status, and named counters that other parts
//! (uploads, jobs) increment. An exporter crate would bring a registry, a global recorder and
//! their dependencies for what is a few maps behind a mutex.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Debug, Default, Clone)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// Writes further metrics (of the ingest worker, the jobs) in the text format.
pub type Collector = Box<dyn Fn(&mut String) + Send + Sync>;

/// The registry.
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), Histogram>>,
    counters: Mutex<BTreeMap<(String, String), (String, u64)>>,
    collectors: Mutex<Vec<Collector>>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

impl Metrics {
    /// Records one request on `route` (the matched pattern, never the raw path, so tenant
    /// names and ids do not multiply the series).
    pub fn observe_request(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        let Ok(mut requests) = self.requests.lock() else {
            return;
        };
        let h = requests
            .entry((method.to_owned(), route.to_owned(), status))
            .or_default();
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                h.counts[i] += 1;
            }
        }
        h.count += 1;
        h.sum += seconds;
    }

    /// Adds `by` to the counter `name` (`weerbaar_uploads_total`) with one label set written as
    /// Prometheus labels (`status="done"`, or empty).
    pub fn add(&self, name: &str, help: &str, labels: &str, by: u64) {
        if let Ok(mut counters) = self.counters.lock() {
            let entry = counters
                .entry((name.to_owned(), labels.to_owned()))
                .or_insert_with(|| (help.to_owned(), 0));
            entry.1 += by;
        }
    }

    /// Adds a collector, called on every scrape, for metrics kept elsewhere.
    pub fn add_collector(&self, collector: Collector) {
        if let Ok(mut collectors) = self.collectors.lock() {
            collectors.push(collector);
        }
    }

    /// The text exposition.
    #[must_use]
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP weerbaar_http_requests_total HTTP requests by method, route and status.\n\
             # TYPE weerbaar_http_requests_total counter"
        );
        let requests = self.requests.lock().map(|r| r.clone()).unwrap_or_default();
        for ((method, route, status), h) in &requests {
            let _ = writeln!(
                out,
                "weerbaar_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{status}\"}} {}",
                escape(method),
                escape(route),
                h.count
            );
        }
        let _ = writeln!(
            out,
            "# HELP weerbaar_http_request_duration_seconds Time to respond, by method, route and status.\n\
             # TYPE weerbaar_http_request_duration_seconds histogram"
        );
        for ((method, route, status), h) in &requests {
            let labels = format!(
                "method=\"{}\",route=\"{}\",status=\"{status}\"",
                escape(method),
                escape(route)
            );
            for (bound, n) in BUCKETS.iter().zip(h.counts) {
                let _ = writeln!(
                    out,
                    "weerbaar_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {n}"
                );
            }
            let _ = writeln!(
                out,
                "weerbaar_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}\n\
                 weerbaar_http_request_duration_seconds_sum{{{labels}}} {}\n\
                 weerbaar_http_request_duration_seconds_count{{{labels}}} {}",
                h.count, h.sum, h.count
            );
        }
        let counters = self.counters.lock().map(|c| c.clone()).unwrap_or_default();
        let mut last = "";
        for ((name, labels), (help, value)) in &counters {
            if name != last {
                let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter");
                last = name;
            }
            if labels.is_empty() {
                let _ = writeln!(out, "{name} {value}");
            } else {
                let _ = writeln!(out, "{name}{{{labels}}} {value}");
            }
        }
        if let Ok(collectors) = self.collectors.lock() {
            for collect in collectors.iter() {
                collect(&mut out);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histograms_are_cumulative() {
        let m = Metrics::default();
        m.observe_request("GET", "/a", 200, Duration::from_millis(3));
        m.observe_request("GET", "/a", 200, Duration::from_millis(300));
        let text = m.render();
        assert!(text.contains(
            "weerbaar_http_request_duration_seconds_bucket{method=\"GET\",route=\"/a\",status=\"200\",le=\"0.005\"} 1"
        ), "{text}");
        assert!(text.contains(
            "weerbaar_http_request_duration_seconds_bucket{method=\"GET\",route=\"/a\",status=\"200\",le=\"0.5\"} 2"
        ));
        assert!(text.contains(
            "weerbaar_http_requests_total{method=\"GET\",route=\"/a\",status=\"200\"} 2"
        ));
        m.add("weerbaar_uploads_total", "Uploads accepted.", "", 2);
        assert!(m.render().contains("weerbaar_uploads_total 2"));
    }
}
