//! Running an installation: brands, programs, operators and the first-run setup. Form rules
//! only; the flows that store them live in `backend::admin`.

pub mod accent;
pub mod brand_form;
pub mod operator_form;
pub mod program_form;
pub mod slug;
pub mod wizard;

/// Said when the first-run setup link is missing, used, expired or replaced.
pub const SETUP_LINK_INVALID: &str =
    "This setup link has expired or was replaced by a newer one. Restart `trellis serve` to print a new link.";
