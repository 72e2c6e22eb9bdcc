//! Onboarding: what a newly approved partner still has to do before it earns (the portal's
//! checklist, from the partner's profile to its first shared link), and how long partners take
//! to reach their first click, conversion and won deal (the console's time-to-first report).

pub mod checklist;
pub mod profile;
pub mod time_to_first;
