//! The server's clock. Production reads the system clock; a browser test can move time forward
//! by writing a number of seconds into a file (`TRELLIS_TEST_CLOCK_FILE`), so lock periods and
//! SLAs are tested without sleeping. The file is read on every call, so changes apply at once.

use std::path::PathBuf;
use time::{Duration, OffsetDateTime};

#[derive(Clone, Debug, Default)]
pub enum Clock {
    #[default]
    System,
    /// The system clock plus the seconds written in this file (0 when it is missing or unreadable).
    Shifted(PathBuf),
}

impl Clock {
    pub fn now(&self) -> OffsetDateTime {
        let now = OffsetDateTime::now_utc();
        match self {
            Self::System => now,
            Self::Shifted(path) => {
                let seconds = std::fs::read_to_string(path)
                    .ok()
                    .and_then(|text| text.trim().parse::<i64>().ok())
                    .unwrap_or(0);
                now + Duration::seconds(seconds)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shifted_clock_reads_its_file_each_time() {
        let path = std::env::temp_dir().join(format!("trellis-clock-{}", std::process::id()));
        let clock = Clock::Shifted(path.clone());
        let before = clock.now();
        std::fs::write(&path, "86400").unwrap();
        let later = clock.now();
        assert!(later - before >= Duration::hours(23));
        std::fs::remove_file(&path).unwrap();
    }
}
