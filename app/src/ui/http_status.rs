//! Setting the HTTP status of a server-rendered page (a no-op in the browser).

pub fn set(code: u16) {
    #[cfg(feature = "ssr")]
    crate::backend::ctx::set_status(code);
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}
