//! Know-your-partner documents: programs list what they require, partners upload files that are
//! sealed with the data key, admins and finance approve or reject them, approvals may expire.
//! Approval of an application and payout runs wait for the documents they need.

pub mod applicants;
pub mod download;
pub mod expiry;
pub mod requirements;
pub mod review;
pub mod standing;
#[cfg(test)]
mod tests;
pub mod uploads;

/// What an unknown, retired or foreign requirement or file is called: not found, never "not yours".
pub const NO_SUCH_DOCUMENT: &str = "That document doesn't exist, or it isn't yours to see.";
pub const NO_SUCH_REQUIREMENT: &str = "That document requirement doesn't exist in this program.";

/// The context a file is sealed for: its partner and requirement, so a sealed file copied onto
/// another partner's row doesn't open.
pub fn seal_context(partner_id: i64, requirement_id: i64) -> String {
    crate::backend::data_key::context(partner_id, &format!("document:{requirement_id}"))
}
