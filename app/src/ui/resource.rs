//! Page data: every page loads its server data through [`resource`], never `Resource::new`.
//!
//! A resource's value reaches the browser twice over: in the page's HTML, which hydration decodes,
//! and as a server function response after a navigation or a submit. Leptos' default codec
//! decodes the first with `serde_json::from_str` and server functions decode the second with
//! `serde_json::from_slice`. Those are two serde_json readers, so every DTO's `Deserialize` was
//! compiled into the WebAssembly twice. [`ServerJson`] decodes hydrated values with the same
//! reader as server function responses: about a fifth of the bundle less (docs/benchmarks.md).

use leptos::prelude::*;
use leptos::server::codee::{Decoder, Encoder};
use serde::{de::DeserializeOwned, Serialize};
use std::future::Future;

/// JSON for hydrated resource values, read the way server function responses are read.
pub struct ServerJson;

impl<T: Serialize> Encoder<T> for ServerJson {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(value: &T) -> Result<String, serde_json::Error> {
        serde_json::to_string(value)
    }
}

impl<T: DeserializeOwned> Decoder<T> for ServerJson {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(encoded: &str) -> Result<T, serde_json::Error> {
        serde_json::from_slice(encoded.as_bytes())
    }
}

/// A page's data: a [`Resource`] decoded with [`ServerJson`].
pub type PageData<T> = Resource<T, ServerJson>;

/// [`Resource::new`] for page data: loads `fetcher(source())` on the server, hydrates it in
/// the browser, and loads it again whenever `source` changes.
#[track_caller]
pub fn resource<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> PageData<T>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    S: PartialEq + Clone + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}
