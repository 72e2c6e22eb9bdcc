//! From the queue counts to "Waiting for you": the queues this role sees, with the oldest
//! item's age and the SLA mark.

use super::{QueueDto, WaitingDto};
use crate::backend::repos::home_queues::Waiting;
use crate::domain::access::OperatorRole;
use crate::domain::commission::sla::Sla;
use crate::domain::home::queues::{self, Access, Queue};
use time::OffsetDateTime;

pub fn waiting(role: OperatorRole, rows: &[Waiting], now: OffsetDateTime) -> WaitingDto {
    let visible = queues::visible(role);
    let mut busy = Vec::new();
    let mut clear = Vec::new();
    for (queue, _) in &visible {
        match rows.iter().find(|w| w.queue == queue.as_str()) {
            Some(w) => busy.push(line(*queue, w, now)),
            None => clear.push(queue.label().to_owned()),
        }
    }
    WaitingDto {
        read_only: visible.iter().all(|(_, access)| *access == Access::Read),
        next_step: busy.is_empty().then(|| queues::next_step(role).to_owned()),
        queues: busy,
        clear,
        payouts: queues::sees_payouts(role),
    }
}

fn line(queue: Queue, w: &Waiting, now: OffsetDateTime) -> QueueDto {
    let mark = queues::lateness(queue, w.late, w.escalated);
    QueueDto {
        key: queue.as_str().into(),
        label: queue.label().into(),
        href: queue.href(w.oldest_id),
        count: w.count,
        oldest: queues::age_text(w.oldest, now),
        sla: mark.map_or("", Sla::as_str).into(),
        sla_label: mark.map_or_else(String::new, |m| queues::lateness_text(m, w.late, w.escalated)),
        late_href: queue.late_href().filter(|_| w.late > 0).map(str::to_owned),
    }
}
