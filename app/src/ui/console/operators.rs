//! Operators: who works in the console, their role and brands, and the admin's changes. Each
//! change is a small form of its own, so the page works the same without JavaScript.

use crate::api::operators::{operator_list, ChangeOperator, InviteOperator, OperatorDto, OperatorsDto};
use crate::ui::resource::resource;
use crate::ui::widgets::{load, CsrfField, FormError, InviteeFields, Notice, RoleChangeFields, RolePromises};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Operators() -> impl IntoView {
    let invite = ServerAction::<InviteOperator>::new();
    let change = ServerAction::<ChangeOperator>::new();
    let list = resource(
        move || (invite.version().get(), change.version().get()),
        |_| operator_list(),
    );
    let invite_errors = Signal::derive(move || invite.value().get().and_then(Result::err));
    let change_errors = Signal::derive(move || change.value().get().and_then(Result::err));
    let done = move || {
        change
            .value()
            .get()
            .and_then(Result::ok)
            .or_else(|| invite.value().get().and_then(Result::ok))
    };
    view! {
        <Title text="Operators" />
        <h1>"Operators"</h1>
        <p class="lead">
            "Everyone who works in the console. A role decides what a person may do; brands decide whose data they see."
        </p>
        {move || done().map(|message| view! { <Notice>{message}</Notice> })}
        <FormError errors=change_errors />
        {load(
            list,
            move |d: OperatorsDto| {
                view! {
                    <OperatorTable d=d.clone() change />
                    <InviteForm d invite errors=invite_errors />
                }
            },
        )}
        <super::two_factor_rules::OperatorsTwoFactor />
    }
}

fn brands_text(o: &OperatorDto) -> String {
    match &o.brands {
        None => "Every brand".into(),
        Some(b) if b.is_empty() => "No brand yet".into(),
        Some(b) => b.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join(", "),
    }
}

#[component]
fn OperatorTable(d: OperatorsDto, change: ServerAction<ChangeOperator>) -> impl IntoView {
    let roles: Vec<(String, String)> = d.roles.iter().map(|(k, l, _)| (k.clone(), l.clone())).collect();
    view! {
        <div class="table-wrap">
            <table>
                <caption class="sr-only">"Operators"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Person"</th>
                        <th scope="col">"Role"</th>
                        <th scope="col">"Brands"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Change"</th>
                    </tr>
                </thead>
                <tbody>
                    {d
                        .operators
                        .iter()
                        .map(|o| {
                            let status = if !o.active {
                                "Deactivated"
                            } else if o.invited {
                                "Invited"
                            } else {
                                "Active"
                            };
                            view! {
                                <tr>
                                    <td>
                                        <strong>{o.name.clone()}</strong>
                                        {o.is_me.then_some(" (you)")}
                                        <br />
                                        <span class="muted">{o.email.clone()}</span>
                                    </td>
                                    <td>{o.role_label.clone()}</td>
                                    <td>{brands_text(o)}</td>
                                    <td>{status}</td>
                                    <td>
                                        <ChangeForms o=o.clone() roles=roles.clone() brands=d.brands.clone() change />
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn ChangeForms(
    o: OperatorDto,
    roles: Vec<(String, String)>,
    brands: Vec<(i64, String)>,
    change: ServerAction<ChangeOperator>,
) -> impl IntoView {
    let id = o.id.to_string();
    let label = o.name.clone();
    let scoped = o.brands.clone();
    let prefix = format!("op{id}");
    let save_brands = format!("Save {label}'s brands");
    let (id_brands, id_toggle) = (id.clone(), id);
    let next_state = if o.active { "deactivate" } else { "reactivate" };
    let toggle = if o.active {
        format!("Deactivate {label}")
    } else {
        format!("Reactivate {label}")
    };
    view! {
        <div class="change-forms">
            <ActionForm action=change attr:class="inline-form">
                <CsrfField />
                <RoleChangeFields id=o.id whose=label.clone() roles current=o.role.clone() />
                <button type="submit" class="button small secondary">
                    "Change role"
                </button>
            </ActionForm>
            <details>
                <summary>"Brands"</summary>
                <ActionForm action=change attr:class="stack">
                    <CsrfField />
                    <input type="hidden" name="id" value=id_brands />
                    <input type="hidden" name="what" value="brands" />
                    <BrandChoice brands scoped prefix />
                    <button type="submit" class="button small secondary">
                        {save_brands}
                    </button>
                </ActionForm>
            </details>
            <ActionForm action=change attr:class="inline-form">
                <CsrfField />
                <input type="hidden" name="id" value=id_toggle />
                <input type="hidden" name="what" value=next_state />
                <button type="submit" class="button small secondary">
                    {toggle}
                </button>
            </ActionForm>
        </div>
    }
}

/// "Every brand", or a box per brand. `scoped`: the brands the person is limited to, if any.
#[component]
fn BrandChoice(brands: Vec<(i64, String)>, scoped: Option<Vec<(i64, String)>>, prefix: String) -> impl IntoView {
    let all_id = format!("{prefix}-all");
    view! {
        <div class="field checkbox">
            <input id=all_id.clone() type="checkbox" name="all_brands" value="yes" checked=scoped.is_none() />
            <label for=all_id>"Every brand, including brands added later"</label>
        </div>
        <fieldset class="checkbox-list">
            <legend>"Or only these brands"</legend>
            {brands
                .into_iter()
                .map(|(id, name)| {
                    let box_id = format!("{prefix}-brand-{id}");
                    let checked = scoped.as_ref().is_some_and(|s| s.iter().any(|(b, _)| *b == id));
                    view! {
                        <div class="field checkbox">
                            <input id=box_id.clone() type="checkbox" name="brands[]" value=id.to_string() checked=checked />
                            <label for=box_id>{name}</label>
                        </div>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

#[component]
fn InviteForm(
    d: OperatorsDto,
    invite: ServerAction<InviteOperator>,
    errors: Signal<Option<crate::api::error::AppError>>,
) -> impl IntoView {
    let roles: Vec<(String, String)> = d.roles.iter().map(|(k, l, _)| (k.clone(), l.clone())).collect();
    let promises = d.roles.iter().map(|(_, l, p)| (l.clone(), p.clone())).collect();
    view! {
        <section class="panel" aria-labelledby="invite-heading">
            <h2 id="invite-heading">"Invite an operator"</h2>
            <p>"They get an email with a link to choose their password. The link works once and expires in three days."</p>
            <RolePromises promises />
            <FormError errors />
            <ActionForm action=invite>
                <div class="stack">
                    <CsrfField />
                    <InviteeFields roles selected="viewer" errors />
                    <BrandChoice brands=d.brands.clone() scoped=None prefix="invite".into() />
                    <button type="submit" class="button">
                        "Send invitation"
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}
