//! A paid payout's statement (a self-billing invoice where the brand self-bills): who paid whom,
//! when and how, and every entry it covers, by program. The same page serves the partner
//! (`/portal/payouts/statements/:id`) and the brand's operators
//! (`/console/payouts/statements/:id`); it prints cleanly (see `@media print` in the stylesheet).

use crate::api::my_payouts::{payout_statement, StatementDto};
use crate::ui::params::id_param;
use crate::ui::resource::resource;
use crate::ui::widgets::load;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PayoutStatement() -> impl IntoView {
    let data = resource(id_param, payout_statement);
    view! {
        <Title text="Payout statement" />
        {load(data, move |s: StatementDto| view! { <Statement s /> }.into_any())}
    }
}

#[component]
fn Statement(s: StatementDto) -> impl IntoView {
    view! {
        <p class="no-print">
            <a href=s.back_href.clone()>"← Back"</a>
            " · "
            <span class="muted">"Print it from your browser: the page prints without the navigation."</span>
        </p>
        <article class="statement">
            <header class="statement-head">
                <div>
                    <h1>{s.title.clone()}</h1>
                    <p class="muted">{format!("Payment {} · paid {} · bank reference {}", s.reference, s.paid_on, s.bank_reference)}</p>
                </div>
                <div class="statement-total">
                    <span class="muted">"Total paid"</span>
                    <strong>{s.total.clone()}</strong>
                </div>
            </header>
            <div class="statement-parties">
                <section>
                    <h2>"From"</h2>
                    <p>
                        <strong>{s.brand_name.clone()}</strong>
                        {s.brand_legal.iter().map(|l| view! { <br />{l.clone()} }).collect_view()}
                    </p>
                </section>
                <section>
                    <h2>"To"</h2>
                    <p>
                        <strong>{s.partner_name.clone()}</strong>
                        {s.partner_invoice.iter().map(|l| view! { <br />{l.clone()} }).collect_view()}
                        <br />
                        {format!("Paid to {}", s.method)}
                    </p>
                </section>
            </div>
            {s.invoice_number.clone().map(|number| view! {
                <p class="muted">{format!("Invoice {number} is issued by {} on behalf of {} under a self-billing agreement.", s.brand_name, s.partner_name)}</p>
            })}
            {s.groups
                .into_iter()
                .map(|g| {
                    view! {
                        <section class="statement-group">
                            <h2>{g.program.clone()}</h2>
                            <table>
                                <thead>
                                    <tr>
                                        <th scope="col">"Date"</th>
                                        <th scope="col">"Entry"</th>
                                        <th scope="col">"Terms"</th>
                                        <th scope="col" class="num">"Amount"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {g.lines
                                        .into_iter()
                                        .map(|l| {
                                            view! {
                                                <tr class:clawback=l.clawback>
                                                    <td>{l.date}</td>
                                                    <td>{l.what}{l.clawback.then(|| view! { " " <span class="badge badge-rejected">"Clawback"</span> })}</td>
                                                    <td>{l.terms}</td>
                                                    <td class="num">{l.amount}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                                <tfoot>
                                    <tr>
                                        <th scope="row" colspan="3">{format!("{} subtotal", g.program)}</th>
                                        <td class="num">{g.subtotal}</td>
                                    </tr>
                                </tfoot>
                            </table>
                        </section>
                    }
                })
                .collect_view()}
        </article>
    }
}
