//! Portal sections whose features arrive in later releases. Each says plainly what will be here.

use crate::ui::widgets::EmptyState;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
fn Planned(title: &'static str, heading: &'static str, body: &'static str) -> impl IntoView {
    view! {
        <Title text=title />
        <h1>{title}</h1>
        <EmptyState title=heading>
            <p>{body}</p>
        </EmptyState>
    }
}

#[component]
pub fn Payouts() -> impl IntoView {
    view! {
        <Planned
            title="Payouts"
            heading="Payouts are coming"
            body="Here you will see your balance by status, when each commission becomes payable, and every payout with its statement."
        />
    }
}
