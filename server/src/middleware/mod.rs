//! Request middleware, outermost first in `router::build`: security headers, request ids and
//! tracing, then (for everything but static files) the database gate, client IP, sessions,
//! CSRF, and the console/portal access guard.

pub mod access;
pub mod client_ip;
pub mod csrf;
pub mod db_gate;
pub mod request_id;
pub mod security_headers;
pub mod server_fn_status;

/// Whether a path is under `/console` or `/portal` (or is one of them).
pub fn in_area(path: &str, area: &str) -> bool {
    path == area || path.strip_prefix(area).is_some_and(|rest| rest.starts_with('/'))
}

/// Server-function calls (JSON answers rather than pages).
pub fn is_server_fn(path: &str) -> bool {
    path.starts_with("/api/")
}

#[cfg(test)]
mod tests {
    #[test]
    fn areas_match_whole_segments() {
        assert!(super::in_area("/console", "/console"));
        assert!(super::in_area("/console/audit", "/console"));
        assert!(!super::in_area("/consoles", "/console"));
        assert!(!super::in_area("/", "/console"));
    }
}
