//! Decides the client IP once per request: the socket peer, or the first address in the
//! configured proxy header (only when `TRELLIS_CLIENT_IP_HEADER` says it can be trusted). The
//! rightmost address is the one our own proxy added; those to its left came from the client.

use app::backend::ctx::ClientIp;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::net::SocketAddr;
use std::sync::Arc;

pub async fn client_ip(State(header): State<Arc<Option<String>>>, mut req: Request, next: Next) -> Response {
    let from_header = header.as_ref().as_ref().and_then(|name| {
        let value = req.headers().get(name.as_str())?.to_str().ok()?;
        value
            .rsplit(',')
            .next()
            .map(|ip| ip.trim().to_owned())
            .filter(|ip| ip.parse::<std::net::IpAddr>().is_ok())
    });
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string());
    let ip = from_header.or(peer).unwrap_or_else(|| "unknown".into());
    req.extensions_mut().insert(ClientIp(ip));
    next.run(req).await
}
