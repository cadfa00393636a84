//! Per-visitor limit on registration submissions (GCRA via `governor`). The visitor is the TCP
//! peer, or behind trusted reverse proxies the address they name in `X-Forwarded-For`; IPv6
//! visitors count per /64 (one household or phone gets a whole /64 and could rotate through
//! it). Over the limit, a form post without JavaScript gets a 429 page in the visitor's
//! language; the app's own requests get the `RateLimited` error, shown next to the button.
use crate::error::AppError;
use crate::i18n::*;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use ipnet::IpNet;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

/// The registration server function's endpoint.
const REGISTER_PATH: &str = "/api/events/register";
/// How often the limiter forgets visitors whose allowance is whole again.
const TRIM_EVERY: Duration = Duration::from_secs(60);

pub struct RegistrationLimiter {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    trusted_proxies: Vec<IpNet>,
}

impl RegistrationLimiter {
    pub fn new(registrations_per_minute: u32, trusted_proxies: Vec<IpNet>) -> Arc<RegistrationLimiter> {
        let quota = Quota::per_minute(NonZeroU32::new(registrations_per_minute).unwrap_or(NonZeroU32::MIN));
        Arc::new(RegistrationLimiter {
            limiter: RateLimiter::keyed(quota),
            trusted_proxies,
        })
    }

    /// Forgets, every minute, the visitors the limit no longer holds back, so its memory
    /// follows the recent visitors rather than every address ever seen.
    pub fn spawn_trim(self: &Arc<Self>) {
        let limiter = Arc::downgrade(self);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(TRIM_EVERY).await;
                let Some(limiter) = limiter.upgrade() else { return };
                limiter.trim();
            }
        });
    }

    fn trim(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }

    /// How many visitors it remembers.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.limiter.len()
    }

    #[cfg(test)]
    fn is_empty(&self) -> bool {
        self.limiter.is_empty()
    }

    /// Counts one submission of this visitor; false when over the limit.
    pub fn check(&self, peer: IpAddr, headers: &HeaderMap) -> bool {
        let visitor = client_ip(peer, headers, &self.trusted_proxies);
        self.limiter.check_key(&bucket(visitor)).is_ok()
    }
}

/// The visitor's address: the peer, unless the peer is a trusted proxy; then, reading
/// `X-Forwarded-For` from the right (each proxy appends whom it heard from), the first
/// address that is not a trusted proxy. What a visitor writes into the header themselves is
/// on its left and never read past an untrusted hop.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(&canonical(*ip)));
    if !is_trusted(&peer) {
        return canonical(peer);
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    // The nearest hop known so far: starts at the peer, moves left while hops are proxies.
    let mut visitor = canonical(peer);
    for hop in hops.iter().rev() {
        let Some(ip) = parse_hop(hop) else { break };
        visitor = canonical(ip);
        if !is_trusted(&ip) {
            break;
        }
    }
    visitor
}

/// One `X-Forwarded-For` entry: an address, possibly with a port (`1.2.3.4:5`, `[::1]:5`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|socket| socket.ip()))
}

/// IPv4-mapped IPv6 addresses are IPv4 addresses.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The limiter's key: an IPv4 address, or the /64 network of an IPv6 address.
pub fn bucket(ip: IpAddr) -> IpAddr {
    match canonical(ip) {
        IpAddr::V6(v6) => {
            let mut segments = v6.segments();
            segments[4..].fill(0);
            IpAddr::V6(Ipv6Addr::from(segments))
        }
        v4 => v4,
    }
}

/// A registration: the app's server function, or the form posted to an event page.
fn is_registration(method: &Method, path: &str) -> bool {
    if *method != Method::POST {
        return false;
    }
    if path == REGISTER_PATH {
        return true;
    }
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    matches!(segments.as_slice(), [lang, "events", _] if lang.parse::<crate::domain::Lang>().is_ok())
}

pub async fn limit_registrations(
    State(limiter): State<Arc<RegistrationLimiter>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    if !is_registration(request.method(), request.uri().path()) || limiter.check(peer.ip(), request.headers()) {
        return next.run(request).await;
    }
    tracing::warn!("registration rate limit reached");
    let mut response = super::plain_page::refusal(
        StatusCode::TOO_MANY_REQUESTS,
        AppError::RateLimited,
        request.headers(),
        request.uri().path(),
        |locale| {
            (
                td_string!(locale, rate_limited_title).to_string(),
                td_string!(locale, rate_limited_text).to_string(),
            )
        },
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forwarded(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", value.parse().unwrap());
        headers
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn an_untrusted_peer_is_the_visitor_whatever_it_forwards() {
        let trusted = crate::server::config::parse_networks("10.0.0.0/8").unwrap();
        assert_eq!(
            client_ip(ip("203.0.113.9"), &forwarded("198.51.100.1"), &trusted),
            ip("203.0.113.9")
        );
        assert_eq!(
            client_ip(ip("203.0.113.9"), &forwarded("198.51.100.1"), &[]),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn behind_trusted_proxies_the_first_untrusted_hop_from_the_right_is_the_visitor() {
        let trusted = crate::server::config::parse_networks("10.0.0.0/8, 127.0.0.1").unwrap();
        // The visitor typed a fake address in front; the proxies appended the real one.
        let headers = forwarded("1.2.3.4, 198.51.100.7, 10.0.0.2");
        assert_eq!(client_ip(ip("127.0.0.1"), &headers, &trusted), ip("198.51.100.7"));
        // Only proxies in the chain: the leftmost is the closest we know to the visitor.
        assert_eq!(
            client_ip(ip("10.0.0.1"), &forwarded("10.0.0.3"), &trusted),
            ip("10.0.0.3")
        );
        // No usable header: the proxy itself.
        assert_eq!(
            client_ip(ip("10.0.0.1"), &forwarded("garbage"), &trusted),
            ip("10.0.0.1")
        );
        assert_eq!(client_ip(ip("10.0.0.1"), &HeaderMap::new(), &trusted), ip("10.0.0.1"));
    }

    #[test]
    fn ipv6_visitors_share_one_allowance_per_64() {
        assert_eq!(bucket(ip("2001:db8:1:2:aaaa:bbbb:cccc:dddd")), ip("2001:db8:1:2::"));
        assert_eq!(bucket(ip("2001:db8:1:2::1")), bucket(ip("2001:db8:1:2:ffff::9")));
        assert_ne!(bucket(ip("2001:db8:1:2::1")), bucket(ip("2001:db8:1:3::1")));
        assert_eq!(bucket(ip("::ffff:192.0.2.1")), ip("192.0.2.1"));
    }

    #[test]
    fn rotating_through_a_64_does_not_escape_the_limit() {
        let limiter = RegistrationLimiter::new(2, Vec::new());
        let headers = HeaderMap::new();
        assert!(limiter.check(ip("2001:db8::1"), &headers));
        assert!(limiter.check(ip("2001:db8::2"), &headers));
        assert!(!limiter.check(ip("2001:db8::3"), &headers));
        assert!(limiter.check(ip("2001:db8:0:1::1"), &headers), "another /64");
    }

    #[test]
    fn registrations_are_the_server_function_and_event_page_posts() {
        assert!(is_registration(&Method::POST, "/api/events/register"));
        assert!(is_registration(&Method::POST, "/bg/events/summer-art-party"));
        assert!(is_registration(&Method::POST, "/en/events/summer-art-party/"));
        assert!(!is_registration(&Method::GET, "/bg/events/summer-art-party"));
        assert!(!is_registration(&Method::POST, "/api/registrations/cancel"));
        assert!(!is_registration(&Method::POST, "/de/events/x"));
    }

    #[tokio::test]
    async fn trimming_forgets_visitors_whose_allowance_is_whole_again() {
        let limiter = RegistrationLimiter::new(600, Vec::new());
        for i in 0..50u8 {
            limiter.check(IpAddr::from([192, 0, 2, i]), &HeaderMap::new());
        }
        assert_eq!(limiter.len(), 50);
        // 600 a minute: one submission's allowance is back after 100 ms.
        tokio::time::sleep(Duration::from_millis(250)).await;
        limiter.trim();
        assert!(limiter.is_empty(), "{} remembered", limiter.len());
    }
}
