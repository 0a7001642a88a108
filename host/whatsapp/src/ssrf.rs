//! SSRF guard for callback URLs: only http(s), and only hosts that resolve to
//! public addresses (unless allow-listed). The address found at request time
//! is pinned and used for delivery, so a later DNS answer cannot redirect the
//! callback (no DNS rebinding).

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::Url;

use crate::provider::BoxFuture;

/// Longest callback URL accepted.
const MAX_URL_LEN: usize = 2048;
/// Longest wait for the callback host's DNS answer.
const RESOLVE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Resolves a host name to socket addresses.
pub trait Resolve: Send + Sync {
    /// All addresses of `host` (a domain name, never an IP literal) at `port`.
    fn resolve<'a>(
        &'a self,
        host: &'a str,
        port: u16,
    ) -> BoxFuture<'a, io::Result<Vec<SocketAddr>>>;
}

/// The operating system's resolver (`getaddrinfo`, via tokio).
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemResolver;

impl Resolve for SystemResolver {
    fn resolve<'a>(
        &'a self,
        host: &'a str,
        port: u16,
    ) -> BoxFuture<'a, io::Result<Vec<SocketAddr>>> {
        Box::pin(async move { Ok(tokio::net::lookup_host((host, port)).await?.collect()) })
    }
}

/// A callback URL that passed the guard, with the address it must be sent to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VettedCallback {
    /// The parsed URL.
    pub url: Url,
    /// The address the host resolved to at request time.
    pub pinned: SocketAddr,
}

/// Checks a callback URL. The error is a message for the client.
pub async fn vet_callback(
    raw: &str,
    allowlist: &[String],
    resolver: &dyn Resolve,
) -> Result<VettedCallback, String> {
    if raw.len() > MAX_URL_LEN {
        return Err("callback URL is too long".into());
    }
    let url = Url::parse(raw.trim()).map_err(|_| "callback is not a valid URL".to_string())?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("callback must be an http or https URL".into());
    }
    let port = url
        .port_or_known_default()
        .ok_or_else(|| "callback URL has no port".to_string())?;
    let allowed = |name: &str| {
        allowlist
            .iter()
            .any(|a| a.trim().eq_ignore_ascii_case(name))
    };
    let refused = || {
        "callback host is not allowed (it resolves to a loopback, private, link-local or metadata address)".to_string()
    };
    let (host_allowed, addrs) = match url.host() {
        None => return Err("callback URL has no host".into()),
        Some(url::Host::Ipv4(ip)) => (false, vec![SocketAddr::new(IpAddr::V4(ip), port)]),
        Some(url::Host::Ipv6(ip)) => (false, vec![SocketAddr::new(IpAddr::V6(ip), port)]),
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.');
            let addrs = tokio::time::timeout(RESOLVE_TIMEOUT, resolver.resolve(name, port))
                .await
                .map_err(|_| "callback host did not resolve in time".to_string())?
                .map_err(|_| "callback host does not resolve".to_string())?;
            if addrs.is_empty() {
                return Err("callback host does not resolve".into());
            }
            (allowed(name), addrs)
        }
    };
    // Every address must be acceptable: a resolver may rotate between them.
    for addr in &addrs {
        if !host_allowed && !allowed(&addr.ip().to_string()) && is_forbidden(addr.ip()) {
            return Err(refused());
        }
    }
    Ok(VettedCallback {
        url,
        pinned: addrs[0],
    })
}

/// True for addresses a callback must never reach: loopback, private, link-local,
/// unspecified, broadcast, multicast, shared (CGNAT, which holds some cloud
/// metadata services), IETF-reserved, and IPv6 forms that embed such IPv4 addresses.
pub fn is_forbidden(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_forbidden_v4(v4),
        IpAddr::V6(v6) => is_forbidden_v6(v6),
    }
}

fn is_forbidden_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local() // 169.254/16, includes 169.254.169.254 metadata
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || a == 0 // "this network"
        || (a == 100 && (64..128).contains(&b)) // 100.64/10 shared; 100.100.100.200 metadata
        || (a == 192 && b == 0 && ip.octets()[2] == 0) // 192.0.0/24 IETF; 192.0.0.192 metadata
        || a >= 240 // reserved
}

fn is_forbidden_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_forbidden_v4(v4);
    }
    let seg = ip.segments();
    // IPv4-compatible (::a.b.c.d, deprecated) and NAT64 (64:ff9b::/96) embed an IPv4 address.
    let embedded = Ipv4Addr::new(
        (seg[6] >> 8) as u8,
        seg[6] as u8,
        (seg[7] >> 8) as u8,
        seg[7] as u8,
    );
    if seg[..6] == [0; 6] || seg[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return ip.is_unspecified() || ip.is_loopback() || is_forbidden_v4(embedded);
    }
    ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (seg[0] & 0xfe00) == 0xfc00 // fc00::/7 unique local (includes fd00:ec2::254 metadata)
        || (seg[0] & 0xffc0) == 0xfe80 // fe80::/10 link-local
        || (seg[0] & 0xffc0) == 0xfec0 // fec0::/10 site-local (deprecated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_addresses() {
        for bad in [
            "127.0.0.1",
            "127.8.9.1",
            "10.0.0.1",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.100.100.200",
            "192.0.0.192",
            "255.255.255.255",
            "::1",
            "::",
            "fc00::1",
            "fd00:ec2::254",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "::127.0.0.1",
            "ff02::1",
        ] {
            assert!(is_forbidden(bad.parse().unwrap()), "{bad} must be refused");
        }
        for good in [
            "93.184.216.34",
            "8.8.8.8",
            "172.32.0.1",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert!(!is_forbidden(good.parse().unwrap()), "{good} must pass");
        }
    }
}
