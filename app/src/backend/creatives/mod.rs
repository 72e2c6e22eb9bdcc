//! Creatives on the server: reading uploaded banners, and the flows that store, list and retire
//! creatives (see `domain::creatives` for the rules).

pub mod flows;
pub mod image;
