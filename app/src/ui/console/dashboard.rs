use crate::api::dashboard::console_overview;
use crate::ui::widgets::load;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Dashboard() -> impl IntoView {
    let overview = Resource::new(|| (), |_| console_overview());
    view! {
        <Title text="Overview" />
        {load(
            overview,
            move |o| {
                {
                    let waiting = o.memberships.iter().find(|(s, _, _)| s == "applied").map_or(0, |(_, _, n)| *n);
                    let max = o.memberships.iter().map(|(_, _, n)| *n).max().unwrap_or(0).max(1);
                    view! {
                        <h1>{format!("Hello, {}", o.operator_name)}</h1>
                        <p class="muted">{o.role_label.clone()}</p>
                        <section class="panel">
                            <h2>"Waiting for you"</h2>
                            {if waiting == 0 {
                                view! {
                                    <p>
                                        "No applications wait for review. New ones arrive through each program's "
                                        <code>"/join/…"</code>" page."
                                    </p>
                                }
                                    .into_any()
                            } else {
                                view! {
                                    <p>
                                        <a class="button" href="/console/applications?status=applied&sort=oldest">
                                            {format!(
                                                "Review {waiting} application{}",
                                                if waiting == 1 { "" } else { "s" },
                                            )}
                                        </a>
                                    </p>
                                }
                                    .into_any()
                            }}
                        </section>
                        <section class="panel" aria-labelledby="members-heading">
                            <h2 id="members-heading">"Partners by status"</h2>
                            <svg
                                class="bar-chart"
                                role="img"
                                aria-label="Memberships by status"
                                viewBox="0 0 400 120"
                                width="100%"
                            >
                                {o
                                    .memberships
                                    .iter()
                                    .enumerate()
                                    .map(|(i, (status, label, n))| {
                                        let y = i as f64 * 30.0;
                                        let width = 220.0 * (*n as f64) / (max as f64);
                                        view! {
                                            <g>
                                                <text x="0" y=y + 18.0 class="bar-label">
                                                    {label.clone()}
                                                </text>
                                                <rect
                                                    x="130"
                                                    y=y + 5.0
                                                    width=width.max(2.0)
                                                    height="18"
                                                    rx="3"
                                                    class=format!("bar bar-{status}")
                                                />
                                                <text x=138.0 + width y=y + 18.0 class="bar-value">
                                                    {n.to_string()}
                                                </text>
                                            </g>
                                        }
                                    })
                                    .collect_view()}
                            </svg>
                        </section>
                    }
                        .into_any()
                }
            },
        )}
    }
}
