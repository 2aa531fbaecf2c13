//! Who the client is behind a reverse proxy. Sign-in throttling counts failures per
//! address; behind a proxy every request comes from the proxy, so one attacker would
//! lock everyone out (or, per address, nobody at all). `X-Forwarded-For` names the
//! client, but anyone can send it: it is believed only when the request comes straight
//! from a proxy the operator listed (`TOWNHALL_TRUSTED_PROXIES`), and then only as far
//! as it was written by trusted proxies.

use axum::http::HeaderMap;
use ipnet::IpNet;
use std::net::IpAddr;
use std::str::FromStr;

/// The networks of the reverse proxies in front of Townhall. Empty (the default): no
/// proxy is trusted and the connection's address is the client's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl FromStr for TrustedProxies {
    type Err = String;

    /// Comma-separated CIDRs (`10.0.0.0/8, 127.0.0.1/32`); a bare address is one host.
    fn from_str(list: &str) -> Result<Self, String> {
        list.split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| {
                item.parse::<IpNet>()
                    .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| {
                        format!("`{item}` is not a network such as 10.0.0.0/8 or an address")
                    })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }
}

impl TrustedProxies {
    pub fn trusts(&self, address: IpAddr) -> bool {
        let address = address.to_canonical();
        self.0.iter().any(|net| net.contains(&address))
    }

    /// The client's address: the connection's (`peer`) unless it is a trusted proxy;
    /// then the right-most `X-Forwarded-For` address that is not a trusted proxy
    /// (addresses further left were written by whoever sent the request, and may be
    /// made up).
    pub fn client_address(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let mut client = peer.to_canonical();
        if !self.trusts(client) {
            return client;
        }
        let hops: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .collect();
        for hop in hops.into_iter().rev() {
            // A trusted proxy wrote something unreadable: stop at the last hop known.
            let Ok(address) = hop.parse::<IpAddr>() else {
                break;
            };
            client = address.to_canonical();
            if !self.trusts(client) {
                break;
            }
        }
        client
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append("x-forwarded-for", HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn lists_are_cidrs_or_addresses() {
        let proxies: TrustedProxies = " 10.0.0.0/8, 127.0.0.1 ,::1/128".parse().unwrap();
        assert_eq!(proxies.0.len(), 3);
        assert_eq!("".parse::<TrustedProxies>(), Ok(TrustedProxies::default()));
        for bad in ["10.0.0.0/33", "proxy.local", "10.0.0.0/8;", "1.2.3"] {
            let err = bad.parse::<TrustedProxies>().unwrap_err();
            assert!(err.contains(bad.trim_end_matches(';')), "{err}");
        }
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let none = TrustedProxies::default();
        let proxies: TrustedProxies = "10.0.0.0/8".parse().unwrap();
        let spoofed = forwarded(&["203.0.113.9"]);
        // Without trusted proxies, or from an untrusted peer, the header is ignored.
        assert_eq!(
            none.client_address(ip("10.0.0.2"), &spoofed),
            ip("10.0.0.2")
        );
        assert_eq!(
            proxies.client_address(ip("198.51.100.7"), &spoofed),
            ip("198.51.100.7")
        );
        // From a trusted proxy: the right-most address it did not write itself.
        assert_eq!(
            proxies.client_address(ip("10.0.0.2"), &spoofed),
            ip("203.0.113.9")
        );
        // A client's made-up entries sit left of the one the proxy appended.
        let chain = forwarded(&["1.1.1.1, 203.0.113.9", "10.0.0.5"]);
        assert_eq!(
            proxies.client_address(ip("10.0.0.2"), &chain),
            ip("203.0.113.9")
        );
        // No header, or nothing readable: the proxy itself (the last hop known).
        assert_eq!(
            proxies.client_address(ip("10.0.0.2"), &HeaderMap::new()),
            ip("10.0.0.2")
        );
        assert_eq!(
            proxies.client_address(ip("10.0.0.2"), &forwarded(&["unknown"])),
            ip("10.0.0.2")
        );
        // Only trusted hops: the furthest one.
        assert_eq!(
            proxies.client_address(ip("10.0.0.2"), &forwarded(&["10.9.9.9"])),
            ip("10.9.9.9")
        );
        // An IPv4 peer seen as IPv6 (`::ffff:10.0.0.2`) is the same peer.
        assert_eq!(
            proxies.client_address(ip("::ffff:10.0.0.2"), &spoofed),
            ip("203.0.113.9")
        );
    }
}
