//! Faults under load, with the real binary: one of two instances SIGKILLed (the other keeps
//! serving, nothing acknowledged is lost), PostgreSQL stopped and started again (503 with
//! Retry-After meanwhile, recovery without a restart of the server), and a full mail disk (the
//! message stays in the outbox and goes out once there is space).

mod database_restart;
mod mail_disk_full;
mod support;
mod two_instances_sigkill;
