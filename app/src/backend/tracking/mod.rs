//! The redirect's and conversion ingest's hot paths: the link and program caches, the
//! repeat-click filter, the click writer that group-commits clicks, and the conversion writer
//! that does the same for conversions.

pub mod cache_events;
pub mod click_writer;
pub mod creative_cache;
pub mod link_cache;
pub mod program_cache;
pub mod repeat_filter;
pub mod ttl_map;

use std::sync::Arc;

/// Everything the redirect shares between requests.
#[derive(Clone)]
pub struct Tracking {
    pub links: Arc<link_cache::LinkCache>,
    pub programs: Arc<program_cache::ProgramCache>,
    pub creatives: Arc<creative_cache::CreativeCache>,
    pub repeats: Arc<repeat_filter::RepeatFilter>,
    pub clicks: click_writer::ClickWriter,
    pub conversions: crate::backend::api_v1::conversion_writer::ConversionWriter,
}

/// A new click id: 22 random base62 characters (about 131 bits).
pub fn new_click_id() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut rng = rand::thread_rng();
    (0..22)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// A new link code: 8 base62 characters.
pub fn new_link_code() -> String {
    new_click_id()[..8].to_owned()
}
