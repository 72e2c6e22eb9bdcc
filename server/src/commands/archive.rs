//! The file `trellis backup` writes and `trellis restore` reads: a pg_dump custom-format archive,
//! recognized by its first bytes.

use std::fs::File;
use std::io::{ErrorKind, Read, Seek};
use std::path::Path;

/// Every custom-format archive starts with these bytes.
const MAGIC: &[u8; 5] = b"PGDMP";

/// Opens `path` for reading, positioned at its start, if it is a custom-format archive.
pub fn open(path: &Path) -> Result<File, String> {
    let shown = path.display();
    let mut file = File::open(path).map_err(|e| match e.kind() {
        ErrorKind::NotFound => format!("{shown} does not exist"),
        _ => format!("cannot read {shown}: {e}"),
    })?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(format!("{shown} is a folder, not a backup file"));
    }
    let mut head = [0u8; MAGIC.len()];
    if file.read_exact(&mut head).is_err() || &head != MAGIC {
        return Err(format!(
            "{shown} is not a Trellis backup: it does not start like a pg_dump custom-format archive (PGDMP)"
        ));
    }
    file.rewind().map_err(|e| format!("cannot read {shown}: {e}"))?;
    Ok(file)
}

/// A size for people: "532 bytes", "48.2 kB", "3.1 MB".
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} bytes");
    }
    let mut size = bytes as f64 / 1000.0;
    let mut unit = 0;
    while size >= 1000.0 && unit < UNITS.len() - 1 {
        size /= 1000.0;
        unit += 1;
    }
    format!("{size:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(human_size(532), "532 bytes");
        assert_eq!(human_size(48_200), "48.2 kB");
        assert_eq!(human_size(3_100_000), "3.1 MB");
        assert_eq!(human_size(2_000_000_000_000_000), "2000.0 TB");
    }

    #[test]
    fn only_custom_format_archives_open() {
        let dir = std::env::temp_dir().join(format!("trellis-archive-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let good = dir.join("good");
        std::fs::write(&good, b"PGDMP\x01\x0e\x00rest").unwrap();
        assert!(open(&good).is_ok());
        for (name, bytes) in [
            ("empty", &b""[..]),
            ("short", b"PGD"),
            ("sql", b"-- PostgreSQL database dump"),
        ] {
            let path = dir.join(name);
            std::fs::write(&path, bytes).unwrap();
            assert!(open(&path).unwrap_err().contains("is not a Trellis backup"), "{name}");
        }
        assert!(open(&dir.join("missing")).unwrap_err().contains("does not exist"));
        assert!(open(&dir).unwrap_err().contains("is a folder"));
        std::fs::remove_dir_all(&dir).ok();
    }
}
