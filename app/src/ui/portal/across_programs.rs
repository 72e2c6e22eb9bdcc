//! "All your programs" on the dashboard, for a partner in two or more: a row per program with
//! its brand, and a total per currency. It follows the period chosen for the program report.

use crate::api::across_programs::{my_programs_together, AcrossProgramsDto};
use crate::api::error::AppError;
use crate::ui::params::query_param;
use crate::ui::resource::{resource, PageData};
use crate::ui::widgets::{load, BreakdownTable};
use leptos::prelude::*;

/// Created at the top of the dashboard with its other data (see `performance::report_resource`).
pub fn together_resource() -> PageData<Result<Option<AcrossProgramsDto>, AppError>> {
    let params = move || (query_param("period"), query_param("from"), query_param("to"));
    resource(params, |(period, from, to)| my_programs_together(period, from, to))
}

#[component]
pub fn AcrossPrograms(together: PageData<Result<Option<AcrossProgramsDto>, AppError>>) -> impl IntoView {
    view! {
        {load(
            together,
            |together: Option<AcrossProgramsDto>| {
                together
                    .map(|t| {
                        view! {
                            <section class="panel" aria-labelledby="together-heading">
                                <h2 id="together-heading">{format!("All your programs · {}", t.period_label)}</h2>
                                <p class="muted">"Money stays in each program's currency; the totals below add up each currency on its own."</p>
                                <BreakdownTable
                                    caption="Your numbers in each program"
                                    first="Program"
                                    rows=t.programs
                                    empty="No program to show."
                                />
                                <h3>"Totals per currency"</h3>
                                <BreakdownTable
                                    caption="Your totals per currency"
                                    first="Currency"
                                    rows=t.currencies
                                    empty="No currency to show."
                                />
                            </section>
                        }
                    })
            },
        )}
    }
}
