//! `/metrics` for Prometheus: requests by route, method and status with their latency, the
//! page cache's hits, and the registrations and outbox backlog of the database (read when
//! scraped, so every instance reports the same).
//!
//! Who may read it: with `METRICS_TOKEN` set, a request bearing it; without, a direct
//! connection from this machine only: not from a `TRUSTED_PROXIES` address, nor with any
//! header a proxy adds (or a proxy on the same machine would publish it).
use super::state::AppState;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::{EncodeLabelSet, text::encode};
use prometheus_client::metrics::{counter::Counter, family::Family, gauge::Gauge, histogram::Histogram};
use prometheus_client::registry::Registry;
use sha2::{Digest, Sha256};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabels {
    status: &'static str,
}

/// The process's request metrics; the database's counts are added at each scrape.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    page_cache_hits: Counter,
    registrations: Family<StatusLabels, Gauge>,
    outbox: Family<StatusLabels, Gauge>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("ngo_portal");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register("http_requests", "HTTP requests answered", requests.clone());
        // 1 ms to 16 s, doubling.
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(prometheus_client::metrics::histogram::exponential_buckets(
                0.001, 2.0, 15,
            ))
        });
        registry.register(
            "http_request_duration_seconds",
            "Time to the response's headers, by route",
            latency.clone(),
        );
        let page_cache_hits = Counter::default();
        registry.register(
            "page_cache_hits",
            "Responses served from the page cache",
            page_cache_hits.clone(),
        );
        let registrations = Family::<StatusLabels, Gauge>::default();
        registry.register(
            "registrations",
            "Registrations stored, by status",
            registrations.clone(),
        );
        let outbox = Family::<StatusLabels, Gauge>::default();
        registry.register(
            "outbox_mail",
            "Mail not sent: pending (still tried) or failed (given up)",
            outbox.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            page_cache_hits,
            registrations,
            outbox,
        }
    }
}

/// The label of a request's method: the few the portal answers, the rest as one (a label
/// per made-up method would let anyone grow the metrics without end).
fn method_label(method: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::DELETE => "DELETE",
        _ => "other",
    }
}

/// A layer of the router (it runs once the route is matched): puts the route's pattern
/// on the response for `record`, which is outside the router (and the page cache, whose hits
/// carry the pattern of the page they keep).
pub async fn label_route(request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().cloned();
    let mut response = next.run(request).await;
    if let Some(route) = route {
        response.extensions_mut().insert(route);
    }
    response
}

/// Counts and times every response by its route's pattern (`/bg/events/{slug}`, never the
/// path itself: bounded, and no slug or token in the metrics), as `label_route` and the page
/// cache give it; a request no route matched is `fallback` (a file, a 404).
pub async fn record(State(metrics): State<Arc<Metrics>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = method_label(request.method());
    // The bundle is a nested service, which axum gives no `MatchedPath`.
    let bundle = request.uri().path().starts_with("/pkg/");
    let response = next.run(request).await;
    let route = match response.extensions().get::<MatchedPath>() {
        Some(path) => path.as_str(),
        None if bundle => "/pkg/{file}",
        None => "fallback",
    };
    if response.headers().contains_key(super::cache::HIT_HEADER) {
        metrics.page_cache_hits.inc();
    }
    metrics
        .latency
        .get_or_create(&RouteLabels {
            route: route.to_owned(),
        })
        .observe(started.elapsed().as_secs_f64());
    metrics
        .requests
        .get_or_create(&RequestLabels {
            method,
            route: route.to_owned(),
            status: response.status().as_u16(),
        })
        .inc();
    response
}

/// Headers that say a proxy passed the request on.
const PROXY_HEADERS: [&str; 9] = [
    "forwarded",
    "x-forwarded-for",
    "x-forwarded-host",
    "x-forwarded-proto",
    "x-real-ip",
    "via",
    "cf-connecting-ip",
    "true-client-ip",
    "fastly-client-ip",
];

/// Whether `headers` from `peer` may read the metrics (see the module's text).
fn allowed(token: Option<&str>, peer: SocketAddr, proxies: &[ipnet::IpNet], headers: &HeaderMap) -> bool {
    match token {
        Some(token) => {
            let offered = headers
                .get(header::AUTHORIZATION)
                .and_then(|value| value.to_str().ok())
                .and_then(|value| value.strip_prefix("Bearer "));
            // Digests compared, so that the time taken tells nothing of the token.
            offered.is_some_and(|offered| Sha256::digest(offered) == Sha256::digest(token))
        }
        None => {
            // `::ffff:127.0.0.1` on a dual-stack socket is the IPv4 loopback.
            let ip = peer.ip().to_canonical();
            let forwarded = PROXY_HEADERS.iter().any(|name| headers.contains_key(*name));
            ip.is_loopback() && !proxies.iter().any(|proxy| proxy.contains(&ip)) && !forwarded
        }
    }
}

/// `GET /metrics`: the Prometheus text format.
pub async fn serve(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    let config = &state.config;
    if !allowed(config.metrics_token.as_deref(), peer, &config.trusted_proxies, &headers) {
        return (
            StatusCode::FORBIDDEN,
            [(header::CACHE_CONTROL, "no-store")],
            "forbidden\n",
        )
            .into_response();
    }
    let metrics = &state.metrics;
    match state.store.operational_counts().await {
        Ok(counts) => {
            for (status, count) in [
                ("confirmed", counts.confirmed),
                ("waitlisted", counts.waitlisted),
                ("cancelled", counts.cancelled),
            ] {
                metrics
                    .registrations
                    .get_or_create(&StatusLabels { status })
                    .set(gauge(count));
            }
            for (status, count) in [("pending", counts.outbox_pending), ("failed", counts.outbox_failed)] {
                metrics.outbox.get_or_create(&StatusLabels { status }).set(gauge(count));
            }
        }
        // The request metrics still answer; the database's are left out rather than stale.
        Err(error) => {
            tracing::warn!(%error, "metrics: the database's counts are not available");
            metrics.registrations.clear();
            metrics.outbox.clear();
        }
    }
    let mut body = String::new();
    if encode(&mut body, &metrics.registry).is_err() {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    (
        [
            (
                header::CONTENT_TYPE,
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

fn gauge(count: u64) -> i64 {
    i64::try_from(count).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().expect("header value"));
        }
        map
    }

    #[test]
    fn without_a_token_only_a_direct_local_connection_reads_the_metrics() {
        let local: SocketAddr = "127.0.0.1:50000".parse().expect("address");
        let local6: SocketAddr = "[::1]:50000".parse().expect("address");
        let remote: SocketAddr = "203.0.113.7:50000".parse().expect("address");
        let mapped: SocketAddr = "[::ffff:127.0.0.1]:50000".parse().expect("address");
        let none = HeaderMap::new();
        assert!(allowed(None, local, &[], &none));
        assert!(allowed(None, local6, &[], &none));
        assert!(allowed(None, mapped, &[], &none));
        assert!(!allowed(None, remote, &[], &none));
        // A reverse proxy on this machine passing a visitor on.
        for header in PROXY_HEADERS {
            assert!(
                !allowed(None, local, &[], &headers(&[(header, "203.0.113.7")])),
                "{header}"
            );
        }
        // One that says nothing of it, but is a configured proxy.
        let proxies = ["127.0.0.1/32".parse().expect("network")];
        assert!(!allowed(None, local, &proxies, &none));
        assert!(allowed(None, local6, &proxies, &none));
    }

    #[test]
    fn with_a_token_only_its_bearer_reads_them_from_anywhere() {
        let remote: SocketAddr = "203.0.113.7:50000".parse().expect("address");
        let local: SocketAddr = "127.0.0.1:50000".parse().expect("address");
        let token = Some("s3cret-token");
        let bearer = |value: &str| headers(&[("authorization", value)]);
        assert!(allowed(token, remote, &[], &bearer("Bearer s3cret-token")));
        assert!(!allowed(token, remote, &[], &bearer("Bearer s3cret-tokeN")));
        assert!(!allowed(token, remote, &[], &bearer("s3cret-token")));
        let everyone = "a token set is asked of everyone";
        assert!(!allowed(token, local, &[], &HeaderMap::new()), "{everyone}");
    }

    #[test]
    fn methods_outside_the_few_answered_share_one_label() {
        assert_eq!(method_label(&axum::http::Method::GET), "GET");
        let made_up = axum::http::Method::from_bytes(b"BREW").expect("method");
        assert_eq!(method_label(&made_up), "other");
    }
}
