//! Static files (the site's `/pkg` and everything from `public/`) are served in front of the
//! session and CSRF layers: a file answer sets no cookie and costs no session write (the session
//! layer saves on every request it sees). Anything that isn't a file, and every method other
//! than GET and HEAD, goes on to the pages.

use axum::Router;
use tower_http::services::ServeDir;

pub fn in_front_of(site_root: &str, pages: Router) -> Router {
    let files = ServeDir::new(site_root)
        // A directory is never a file answer: `/` and `/pkg` are for the pages (or their 404).
        .append_index_html_on_directories(false)
        .call_fallback_on_method_not_allowed(true)
        .fallback(pages);
    Router::new().fallback_service(files)
}
