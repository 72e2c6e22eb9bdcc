//! A program's commission approval settings: who approves which commissions, the lock period,
//! the approval SLA and sub-partner invitations. A form for Admins and Partner managers, a
//! read-only summary for everyone else. Below it, which manual adjustments wait for finance.

use super::super::id_param;
use super::adjustment_review::AdjustmentReview;
use super::tabs::{BackLink, ProgramHeader, Tab, READ_ONLY};
use crate::api::approval_settings::{
    approval_settings, ApprovalSettingsDto, SaveAdjustmentReview, SaveApprovalSettings,
};
use crate::api::error::AppError;
use crate::ui::resource::resource;
use crate::ui::widgets::{load, CsrfField, FormError, NamedCheckbox, NamedText, Notice};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ProgramApprovals() -> impl IntoView {
    let id = id_param;
    let action = ServerAction::<SaveApprovalSettings>::new();
    let review = ServerAction::<SaveAdjustmentReview>::new();
    let settings = resource(
        move || (id(), action.version().get(), review.version().get()),
        |(id, _, _)| approval_settings(id),
    );
    let errors = Signal::derive(move || action.value().get().and_then(Result::err));
    let saved = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <Title text="Approval settings" />
        <BackLink />
        {load(
            settings,
            move |s| {
                view! {
                    <ProgramHeader program_id=s.program_id name=s.program_name.clone() current=Tab::Approvals />
                    <h2>"Commission approvals"</h2>
                    <p class="muted">
                        "Every commission waits for a decision before it is paid. Small ones can be approved automatically; large ones can need finance after a manager. Approved commissions stay locked for a while so that refunds can still reverse them."
                    </p>
                    <Show when=saved>
                        <Notice>"Approval settings saved. They apply to commissions from now on."</Notice>
                    </Show>
                    {if s.can_manage {
                        view! { <SettingsForm s=s.clone() action errors /> }.into_any()
                    } else {
                        view! { <ReadOnly s=s.clone() /> }.into_any()
                    }}
                    <AdjustmentReview s action=review />
                }
                    .into_any()
            },
        )}
    }
}

#[component]
fn SettingsForm(
    s: ApprovalSettingsDto,
    action: ServerAction<SaveApprovalSettings>,
    errors: Signal<Option<AppError>>,
) -> impl IntoView {
    let currency = s.currency.clone();
    view! {
        <section class="panel" aria-labelledby="approvals-form-heading">
            <h3 id="approvals-form-heading" class="sr-only">
                "Change the approval settings"
            </h3>
            <FormError errors />
            <ActionForm action>
                <div class="stack">
                    <CsrfField />
                    <input type="hidden" name="program_id" value=s.program_id.to_string() />
                    <div class="field-row">
                        <NamedText
                            name="auto_approve_below"
                            key="auto_approve_below"
                            label=format!("Approve automatically below ({currency})")
                            value=s.auto_approve_below.clone()
                            inputmode="decimal"
                            hint="Commissions under this amount are approved without anyone looking. Empty: a manager decides on every commission."
                            errors
                        />
                        <NamedText
                            name="finance_above"
                            key="finance_above"
                            label=format!("Finance approves too above ({currency})")
                            value=s.finance_above.clone()
                            inputmode="decimal"
                            hint="Commissions over this amount need a manager and then finance. Empty: a manager's approval is enough."
                            errors
                        />
                    </div>
                    <NamedText
                        name="lock_days"
                        key="lock_days"
                        label="Lock period (days)"
                        value=s.lock_days.to_string()
                        inputmode="numeric"
                        required=true
                        hint="Approved commissions become payable this many days after they were earned, so refunds can still reverse them. 0 to 365."
                        errors
                    />
                    <div class="field-row">
                        <NamedText
                            name="sla_remind_hours"
                            key="sla_remind_hours"
                            label="Remind approvers after (hours)"
                            value=s.sla_remind_hours.to_string()
                            inputmode="numeric"
                            required=true
                            hint="A commission waiting this long puts a reminder in the approvers' digest."
                            errors
                        />
                        <NamedText
                            name="sla_escalate_hours"
                            key="sla_escalate_hours"
                            label="Escalate after (hours)"
                            value=s.sla_escalate_hours.to_string()
                            inputmode="numeric"
                            required=true
                            hint="Later than the reminder: the commission is then escalated to the admins."
                            errors
                        />
                    </div>
                    <NamedCheckbox
                        name="sub_partner_invites"
                        key="sub_partner_invites"
                        label="Partners may invite sub-partners"
                        checked=s.sub_partner_invites
                        hint="Active partners get an invitation link; partners who join through it become their sub-partners, and masters earn the plan's override shares."
                        errors
                    />
                    <button type="submit" class="button">
                        "Save approval settings"
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn ReadOnly(s: ApprovalSettingsDto) -> impl IntoView {
    let or_none = |text: &str, none: &str| {
        if text.is_empty() {
            none.to_owned()
        } else {
            text.to_owned()
        }
    };
    view! {
        <section class="panel">
            <p class="muted">{READ_ONLY}</p>
            <dl class="facts">
                <dt>"Approve automatically below"</dt>
                <dd>{or_none(&s.auto_approve_below_text, "Never: a manager decides on every commission")}</dd>
                <dt>"Finance approves too above"</dt>
                <dd>{or_none(&s.finance_above_text, "Never: a manager's approval is enough")}</dd>
                <dt>"Lock period"</dt>
                <dd>{format!("{} days", s.lock_days)}</dd>
                <dt>"Remind approvers after"</dt>
                <dd>{format!("{} hours", s.sla_remind_hours)}</dd>
                <dt>"Escalate after"</dt>
                <dd>{format!("{} hours", s.sla_escalate_hours)}</dd>
                <dt>"Partners may invite sub-partners"</dt>
                <dd>{if s.sub_partner_invites { "Yes" } else { "No" }}</dd>
            </dl>
        </section>
    }
}
