//! Creatives: what a program hands its partners to promote it (banners, text links, email swipes,
//! social posts, video links), who may see each one, and the code a partner pastes.

pub mod code;
pub mod form;
pub mod image_type;
pub mod kind;
pub mod visibility;

pub use kind::CreativeKind;
pub use visibility::{Audience, Visibility};

use time::OffsetDateTime;

/// Inside its active window (both ends optional; `until` is exclusive).
pub fn is_live(from: Option<OffsetDateTime>, until: Option<OffsetDateTime>, now: OffsetDateTime) -> bool {
    from.is_none_or(|from| from <= now) && until.is_none_or(|until| now < until)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn the_active_window_includes_its_start_and_excludes_its_end() {
        let now = datetime!(2026-12-05 12:00 UTC);
        assert!(is_live(None, None, now));
        assert!(is_live(Some(now), None, now));
        assert!(!is_live(None, Some(now), now));
        assert!(!is_live(Some(datetime!(2026-12-06 0:00 UTC)), None, now));
        assert!(is_live(
            Some(datetime!(2026-12-01 0:00 UTC)),
            Some(datetime!(2027-01-01 0:00 UTC)),
            now
        ));
    }
}
