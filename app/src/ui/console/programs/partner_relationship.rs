//! "Programs across brands" on the console partner page: every program the partner is in that
//! the operator may see, so a manager sees the whole relationship, not one program's slice.

use crate::api::partner_relationship::{partner_relationship, MembershipDto};
use crate::ui::resource::resource;
use crate::ui::widgets::{load, StatusBadge};
use leptos::prelude::*;

#[component]
pub fn Relationship(program_id: i64, partner_id: i64) -> impl IntoView {
    let data = resource(
        move || (program_id, partner_id),
        |(program, partner)| partner_relationship(program, partner),
    );
    view! {
        <section class="report-section" aria-labelledby="relationship-heading">
            <h3 id="relationship-heading">"Programs across brands"</h3>
            {load(data, move |rows: Vec<MembershipDto>| view! { <Table rows partner_id /> }.into_any())}
        </section>
    }
}

#[component]
fn Table(rows: Vec<MembershipDto>, partner_id: i64) -> impl IntoView {
    if rows.len() < 2 {
        return view! {
            <p class="muted">"Only in this program, among the brands you see."</p>
        }
        .into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="fold" aria-label="The partner's programs">
                <thead>
                    <tr>
                        <th scope="col">"Brand"</th>
                        <th scope="col">"Program"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Tier"</th>
                        <th scope="col">"Since"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|m| {
                            let href = format!("/console/programs/{}/partners/{partner_id}", m.program_id);
                            let program = if m.this_program {
                                view! { <strong>{format!("{} (this page)", m.program_name)}</strong> }.into_any()
                            } else {
                                view! { <a href=href>{m.program_name.clone()}</a> }.into_any()
                            };
                            view! {
                                <tr>
                                    <td data-label="Brand">{m.brand_name.clone()}</td>
                                    <td data-label="Program">{program}</td>
                                    <td data-label="Status">
                                        <StatusBadge status=m.status.clone() label=m.status_label.clone() />
                                    </td>
                                    <td data-label="Tier">{m.tier.clone().unwrap_or_else(|| "—".into())}</td>
                                    <td data-label="Since">{m.since.clone()}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
