//! On a program's Creatives tab: the rules for material partners make themselves (approval
//! required, a disclosure phrase, brand terms barred from paid search) and the review queue,
//! where each submission shows what the checks flagged and is approved or rejected with a reason.

use crate::api::promo::{program_promo, DecidePromo, ProgramPromoDto, SavePromoRules, SubmissionDto};
use crate::ui::resource::resource;
use crate::ui::widgets::{load, CsrfField, EmptyState, FormError, StatusBadge, TextAreaField};
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn PartnerMaterial(program_id: i64) -> impl IntoView {
    let save = ServerAction::<SavePromoRules>::new();
    let decide = ServerAction::<DecidePromo>::new();
    let data = resource(
        move || (save.version().get(), decide.version().get()),
        move |_| program_promo(program_id),
    );
    view! {
        <h2 id="partner-material">"Partners' own material"</h2>
        <p class="muted">
            "Ads, landing pages, posts and emails that partners make themselves. They submit each one with the address where it will run; you approve it or say why not, and they are emailed either way."
        </p>
        {load(
            data,
            move |d: ProgramPromoDto| {
                view! {
                    <Queue submissions=d.submissions.clone() program_id can_manage=d.can_manage decide />
                    {d.can_manage.then(|| view! { <RulesForm d=d.clone() program_id save /> })}
                }
                    .into_any()
            },
        )}
    }
}

#[component]
fn Queue(
    submissions: Vec<SubmissionDto>,
    program_id: i64,
    can_manage: bool,
    decide: ServerAction<DecidePromo>,
) -> impl IntoView {
    if submissions.is_empty() {
        return view! {
            <EmptyState title="Nothing submitted yet">
                <p>"Partners submit their material from the portal's Creatives page. Turn on approval below to ask them to."</p>
            </EmptyState>
        }
        .into_any();
    }
    let errors = Signal::derive(move || decide.value().get().and_then(Result::err));
    view! {
        <FormError errors />
        <ul class="announcements">
            {submissions
                .into_iter()
                .map(|s| {
                    let (badge, label) = match s.status.as_str() {
                        "approved" => ("approved", "Approved"),
                        "rejected" => ("rejected", "Rejected"),
                        _ => ("pending", "Waiting for review"),
                    };
                    let pending = s.status == "pending";
                    view! {
                        <li class="panel announcement" aria-label=format!("Submission from {}", s.partner_name)>
                            <h3>{format!("{} · {}", s.partner_name, s.channel)}</h3>
                            <p class="muted wrap-anywhere">{format!("{} · submitted {}", s.url, s.submitted_at)}</p>
                            <StatusBadge status=badge.into() label=label.into() />
                            {s.flags.iter().map(|f| view! { <p class="notice-inline">{f.clone()}</p> }).collect_view()}
                            <pre class="submission-text">{s.body.clone()}</pre>
                            {s
                                .screenshot_path
                                .clone()
                                .map(|href| {
                                    let src = href.clone();
                                    view! {
                                        <a href=href rel="external" class="screenshot">
                                            <img src=src alt=format!("Screenshot of the submission from {}", s.partner_name) loading="lazy" />
                                        </a>
                                    }
                                })}
                            {s.reason.clone().map(|r| view! { <p>"Reason: " {r}</p> })}
                            {(pending && can_manage)
                                .then(|| {
                                    let hidden = move || {
                                        view! {
                                            <CsrfField />
                                            <input type="hidden" name="program_id" value=program_id.to_string() />
                                            <input type="hidden" name="submission_id" value=s.id.to_string() />
                                        }
                                    };
                                    view! {
                                        <div class="decide-row">
                                            <ActionForm action=decide>
                                                {hidden()}
                                                <input type="hidden" name="decision" value="approve" />
                                                <button type="submit" class="button">
                                                    "Approve"
                                                </button>
                                            </ActionForm>
                                            <ActionForm action=decide>
                                                {hidden()}
                                                <input type="hidden" name="decision" value="reject" />
                                                <div class="field">
                                                    <label for=format!("reason-{}", s.id)>"Reason for rejecting"</label>
                                                    <input id=format!("reason-{}", s.id) name="reason" maxlength="2000" required=true />
                                                </div>
                                                <button type="submit" class="button secondary">
                                                    "Reject"
                                                </button>
                                            </ActionForm>
                                        </div>
                                    }
                                })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn RulesForm(d: ProgramPromoDto, program_id: i64, save: ServerAction<SavePromoRules>) -> impl IntoView {
    let errors = Signal::derive(move || save.value().get().and_then(Result::err));
    view! {
        <section class="panel" aria-labelledby="material-rules">
            <h2 id="material-rules">"Rules for partners' own material"</h2>
            <FormError errors />
            <ActionForm action=save>
                <div class="stack">
                    <CsrfField />
                    <input type="hidden" name="program_id" value=program_id.to_string() />
                    <div class="field checkbox">
                        <input id="field-require_approval" type="checkbox" name="require_approval" value="yes" checked=d.rules.require_approval />
                        <label for="field-require_approval">"Partners must have their own material approved before they use it"</label>
                    </div>
                    <TextAreaField
                        label="Disclosure the text must contain"
                        name="disclosure_phrases"
                        errors
                        rows=2
                        value=d.rules.disclosure_phrases.clone()
                        hint="Any one of these, comma-separated: #ad, affiliate link. A submission without one is flagged to you with the phrase named."
                    />
                    <TextAreaField
                        label="Brand terms barred from paid search"
                        name="brand_terms"
                        errors
                        rows=2
                        value=d.rules.brand_terms.clone()
                        hint="Comma-separated. Partners see the rule; a paid-search submission that mentions one is flagged."
                    />
                    <button type="submit" class="button">
                        "Save rules"
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}
