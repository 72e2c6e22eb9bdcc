//! The names of the built CSS, JS and WebAssembly. cargo-leptos (`hash-files`) puts each file's
//! content hash in its name (`pkg/trellis.HASH.css`) and lists the hashes in `hash.txt` beside
//! the server binary, where Leptos' `HydrationScripts` and `HashedStylesheet` read them. A binary
//! built by plain cargo (tests) has no such file and uses the plain names.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub const HASH_FILE: &str = "hash.txt";

/// `hash.txt` beside the running binary, if there is one.
pub fn hash_file() -> Option<PathBuf> {
    let path = std::env::current_exe().ok()?.parent()?.join(HASH_FILE);
    path.is_file().then_some(path)
}

/// The hash for the file with extension `ext`, from a hash file's lines like `css: HASH`.
pub fn hash_for<'a>(hashes: &'a str, ext: &str) -> Option<&'a str> {
    hashes.lines().find_map(|line| {
        let (kind, hash) = line.split_once(':')?;
        let hash = hash.trim();
        (kind.trim() == ext && !hash.is_empty()).then_some(hash)
    })
}

/// The site path of the built file with extension `ext` (`/pkg/trellis.HASH.ext`).
pub fn built_path(hashes: Option<&str>, ext: &str) -> String {
    match hashes.and_then(|h| hash_for(h, ext)) {
        Some(hash) => format!("/pkg/trellis.{hash}.{ext}"),
        None => format!("/pkg/trellis.{ext}"),
    }
}

/// The stylesheet for pages rendered without Leptos (403, 429, 503).
pub fn stylesheet() -> &'static str {
    static PATH: OnceLock<String> = OnceLock::new();
    PATH.get_or_init(|| {
        let hashes = hash_file().and_then(|path| std::fs::read_to_string(path).ok());
        built_path(hashes.as_deref(), "css")
    })
}

/// The built files the hash file names that `site_root` lacks: a site from another build
/// (a debug build since, or a deploy that copied the binary but not its site).
pub fn missing_from_site(hashes: &str, site_root: &Path) -> Vec<String> {
    ["js", "wasm", "css"]
        .into_iter()
        .map(|ext| built_path(Some(hashes), ext))
        .filter(|path| !site_root.join(path.trim_start_matches('/')).is_file())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HASHES: &str = "js: AAAAAAAAAAAAAAAAAAAAAA\nwasm: BBBBBBBBBBBBBBBBBBBBBB\ncss: CCCCCCCCCCCCCCCCCCCCCC\n";

    #[test]
    fn names_carry_the_hash_cargo_leptos_listed() {
        assert_eq!(
            built_path(Some(HASHES), "css"),
            "/pkg/trellis.CCCCCCCCCCCCCCCCCCCCCC.css"
        );
        assert_eq!(
            built_path(Some(HASHES), "wasm"),
            "/pkg/trellis.BBBBBBBBBBBBBBBBBBBBBB.wasm"
        );
        assert_eq!(built_path(None, "css"), "/pkg/trellis.css");
        assert_eq!(built_path(Some("js: \n"), "js"), "/pkg/trellis.js");
    }

    #[test]
    fn a_site_from_another_build_is_noticed() {
        let site = std::env::temp_dir().join(format!("trellis-assets-{}", std::process::id()));
        std::fs::create_dir_all(site.join("pkg")).unwrap();
        for ext in ["js", "wasm"] {
            std::fs::write(site.join(built_path(Some(HASHES), ext).trim_start_matches('/')), "x").unwrap();
        }
        assert_eq!(
            missing_from_site(HASHES, &site),
            vec!["/pkg/trellis.CCCCCCCCCCCCCCCCCCCCCC.css"]
        );
        std::fs::remove_dir_all(&site).unwrap();
    }
}
