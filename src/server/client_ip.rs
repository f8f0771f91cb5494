//! Which IP address a request comes from: for the consent log and the rate limit.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use http::{Extensions, HeaderMap};

/// Where the client's IP address is read from.
///
/// ```
/// use leptos_consent::{ClientIp, ConsentConfig};
///
/// // Behind one reverse proxy of the shop's own that appends to X-Forwarded-For:
/// let config = ConsentConfig::builder()
///     .secret([7; 32])
///     .client_ip(ClientIp::ForwardedFor { trusted_proxies: 1 })
///     .build()?;
/// assert_eq!(config.client_ip(), ClientIp::ForwardedFor { trusted_proxies: 1 });
/// # Ok::<(), leptos_consent::ConfigError>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ClientIp {
    /// The TCP peer: serve the router with
    /// `into_make_service_with_connect_info::<SocketAddr>()`.
    #[default]
    Peer,
    /// Behind this many reverse proxies of the shop's own, each appending to
    /// `X-Forwarded-For`: the address that many entries from the right. Entries further
    /// left were written by the client and are not trusted. Falls back to the peer when the
    /// header is shorter.
    ForwardedFor {
        /// How many proxies of the shop's own stand in front of it (at least 1).
        trusted_proxies: u8,
    },
}

impl ClientIp {
    /// The client's address, if the request tells it.
    pub fn of(self, headers: &HeaderMap, extensions: &Extensions) -> Option<IpAddr> {
        let peer = || {
            extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| addr.ip())
        };
        match self {
            ClientIp::Peer => peer(),
            ClientIp::ForwardedFor { trusted_proxies } => {
                let entries: Vec<&str> = headers
                    .get_all("x-forwarded-for")
                    .iter()
                    .filter_map(|value| value.to_str().ok())
                    .flat_map(|value| value.split(','))
                    .map(str::trim)
                    .collect();
                let from_right = usize::from(trusted_proxies.max(1));
                entries
                    .len()
                    .checked_sub(from_right)
                    .and_then(|index| entries[index].parse().ok())
                    .or_else(peer)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::*;

    fn request(forwarded: Option<&'static str>, peer: Option<&str>) -> (HeaderMap, Extensions) {
        let mut headers = HeaderMap::new();
        if let Some(value) = forwarded {
            headers.insert("x-forwarded-for", HeaderValue::from_static(value));
        }
        let mut extensions = Extensions::new();
        if let Some(peer) = peer {
            extensions.insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
        }
        (headers, extensions)
    }

    #[test]
    fn the_peer_by_default_whatever_the_headers_say() {
        let (h, e) = request(Some("6.6.6.6"), Some("198.51.100.4:5555"));
        assert_eq!(
            ClientIp::Peer.of(&h, &e),
            Some("198.51.100.4".parse().unwrap())
        );
        let (h, e) = request(None, None);
        assert_eq!(ClientIp::Peer.of(&h, &e), None);
    }

    #[test]
    fn forwarded_for_trusts_only_the_shops_proxies() {
        let one = ClientIp::ForwardedFor { trusted_proxies: 1 };
        let two = ClientIp::ForwardedFor { trusted_proxies: 2 };
        let (h, e) = request(Some("6.6.6.6, 203.0.113.9, 10.0.0.2"), Some("10.0.0.1:80"));
        assert_eq!(one.of(&h, &e), Some("10.0.0.2".parse().unwrap()));
        assert_eq!(two.of(&h, &e), Some("203.0.113.9".parse().unwrap()));
        let (h, e) = request(Some("garbage"), Some("10.0.0.1:80"));
        assert_eq!(
            one.of(&h, &e),
            Some("10.0.0.1".parse().unwrap()),
            "unparsable: the peer"
        );
        let (h, e) = request(None, Some("10.0.0.1:80"));
        assert_eq!(two.of(&h, &e), Some("10.0.0.1".parse().unwrap()));
    }
}
