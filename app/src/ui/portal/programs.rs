use crate::api::portal::portal_overview;
use crate::ui::resource::resource;
use crate::ui::widgets::{load, EmptyState, StatusBadge};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Programs() -> impl IntoView {
    let overview = resource(|| (), |_| portal_overview());
    view! {
        <Title text="Programs" />
        <h1>"Your programs"</h1>
        {load(
            overview,
            move |value| {
                match value {
                    o if o.programs.is_empty() => {
                        view! {
                            <EmptyState title="You haven't joined a program yet">
                                <p>
                                    "Find a program on the "<a href="/">"start page"</a>
                                    " and apply; it appears here at once."
                                </p>
                            </EmptyState>
                        }
                            .into_any()
                    }
                    o => {
                        view! {
                            <div class="table-wrap">
                                <table>
                                    <caption class="sr-only">"Your programs and their status"</caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">"Program"</th>
                                            <th scope="col">"Status"</th>
                                            <th scope="col">"Currency"</th>
                                            <th scope="col">"Applied"</th>
                                            <th scope="col">"Decided"</th>
                                            <th scope="col">"Note"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {o
                                            .programs
                                            .into_iter()
                                            .map(|p| {
                                                view! {
                                                    <tr>
                                                        <td>{p.program_name}</td>
                                                        <td>
                                                            <StatusBadge status=p.status label=p.status_label />
                                                        </td>
                                                        <td>{p.currency}</td>
                                                        <td>{p.applied_at}</td>
                                                        <td>{p.decided_at.unwrap_or_else(|| "—".into())}</td>
                                                        <td>{p.reason.unwrap_or_default()}</td>
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
                }
            },
        )}
    }
}
