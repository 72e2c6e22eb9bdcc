//! The partner's own promotional material: each program's rules (the disclosure it asks for,
//! the brand terms barred from paid search), the form that submits an ad, page, post or email
//! for approval, and the status of every submission.

use crate::api::promo::{my_material, MyMaterialDto, PartnerProgramRulesDto, SubmissionDto};
use crate::domain::creatives::image_type::RULES;
use crate::ui::resource::resource;
use crate::ui::widgets::{
    load, CsrfField, EmptyState, FileField, FormError, SelectField, StatusBadge, TextAreaField, TextField,
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Material() -> impl IntoView {
    let data = resource(|| (), |_| my_material());
    view! {
        <Title text="Your own material" />
        <p>
            <a href="/portal/creatives">"← Creatives"</a>
        </p>
        <h1>"Your own material"</h1>
        <p class="muted">"Ads, landing pages, posts and emails you make yourself. Programs that ask for it review each one before you use it."</p>
        {load(data, move |d: MyMaterialDto| view! { <Page d /> }.into_any())}
    }
}

#[component]
fn Page(d: MyMaterialDto) -> impl IntoView {
    if d.programs.is_empty() {
        return view! {
            <EmptyState title="No active programs yet">
                <p>"Once a program approves your application, you can submit your material to it here."</p>
            </EmptyState>
        }
        .into_any();
    }
    let errors = Signal::stored(d.refused.clone());
    let programs = d
        .programs
        .iter()
        .map(|p| (p.program_id.to_string(), p.program_name.clone()))
        .collect::<Vec<_>>();
    let channels = d
        .channels
        .iter()
        .map(|c| (c.as_str().to_owned(), c.label().to_owned()))
        .collect::<Vec<_>>();
    view! {
        <h2>"Each program's rules"</h2>
        <ul class="plain-list">{d.programs.iter().cloned().map(|p| view! { <RulesLine p /> }).collect_view()}</ul>
        <section class="panel" aria-labelledby="submit-material">
            <h2 id="submit-material">"Submit material for approval"</h2>
            <FormError errors />
            // A plain multipart form, for the screenshot: the same with or without JavaScript.
            <form method="post" enctype="multipart/form-data" action="/portal/material/submit" class="stack">
                <CsrfField />
                <div class="field-row">
                    <SelectField label="Program" name="program_id" errors options=programs required=true placeholder="Choose a program" />
                    <SelectField label="Where it will run" name="channel" errors options=channels required=true placeholder="Choose a channel" />
                </div>
                <TextField label="Address where it will run" name="url" errors kind="url" required=true hint="The page, post or ad's address, starting with https://." />
                <TextAreaField label="The text" name="body" errors rows=6 required=true maxlength=20000 />
                <FileField
                    label="Screenshot"
                    name="screenshot"
                    errors
                    accept="image/png,image/jpeg,image/gif,image/webp"
                    hint=format!("Optional: how it looks where it runs. {RULES}")
                />
                <button type="submit" class="button">
                    "Submit for approval"
                </button>
            </form>
        </section>
        <h2>"Your submissions"</h2>
        <Submissions submissions=d.submissions />
    }
    .into_any()
}

#[component]
fn RulesLine(p: PartnerProgramRulesDto) -> impl IntoView {
    let mut parts = vec![if p.require_approval {
        "approval needed before use".to_owned()
    } else {
        "no approval needed".to_owned()
    }];
    if !p.disclosure_phrases.is_empty() {
        parts.push(format!(
            "disclose with {}",
            p.disclosure_phrases
                .iter()
                .map(|x| format!("\"{x}\""))
                .collect::<Vec<_>>()
                .join(" or ")
        ));
    }
    if !p.brand_terms.is_empty() {
        parts.push(format!("never bid on {} in paid search", p.brand_terms.join(", ")));
    }
    view! {
        <li>
            <strong>{p.program_name}</strong>
            {format!(": {}.", parts.join("; "))}
        </li>
    }
}

#[component]
fn Submissions(submissions: Vec<SubmissionDto>) -> impl IntoView {
    if submissions.is_empty() {
        return view! { <p class="muted">"You haven't submitted anything yet."</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                <caption class="sr-only">"Your submissions"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Submitted"</th>
                        <th scope="col">"Program"</th>
                        <th scope="col">"Where"</th>
                        <th scope="col">"Status"</th>
                    </tr>
                </thead>
                <tbody>
                    {submissions
                        .into_iter()
                        .map(|s| {
                            let (badge, label) = match s.status.as_str() {
                                "approved" => ("approved", "Approved"),
                                "rejected" => ("rejected", "Not approved"),
                                _ => ("pending", "Waiting for review"),
                            };
                            view! {
                                <tr>
                                    <td data-label="Submitted">{s.submitted_at.clone()}</td>
                                    <td data-label="Program">{s.program_name.clone()}</td>
                                    <td data-label="Where">
                                        {s.channel.clone()}
                                        <div class="muted wrap-anywhere">{s.url.clone()}</div>
                                        {s
                                            .screenshot_path
                                            .clone()
                                            .map(|href| view! { <a href=href rel="external">"Screenshot"</a> })}
                                    </td>
                                    <td data-label="Status">
                                        <StatusBadge status=badge.into() label=label.into() />
                                        {s.reason.clone().map(|r| view! { <div class="muted">{r}</div> })}
                                    </td>
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
