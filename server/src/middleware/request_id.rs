//! A request id for every request: taken from a trusted upstream `x-request-id` or made here,
//! echoed in the response and attached to every log line of the request.

use axum::http::{HeaderValue, Request};
use rand::RngCore;
use tower_http::request_id::{MakeRequestId, RequestId};

#[derive(Clone, Copy, Default)]
pub struct RandomRequestId;

impl MakeRequestId for RandomRequestId {
    fn make_request_id<B>(&mut self, _request: &Request<B>) -> Option<RequestId> {
        let mut bytes = [0u8; 8];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        HeaderValue::from_str(&hex::encode(bytes)).ok().map(RequestId::new)
    }
}
