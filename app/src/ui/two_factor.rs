//! "Two-factor sign-in" on the settings page (portal and console): set it up with an
//! authenticator app, see the recovery codes once, make new ones, or turn it off.

use crate::api::two_factor::{
    two_factor_status, ConfirmTwoFactor, RenewRecoveryCodes, StartTwoFactor, TurnOffTwoFactor, TwoFactorDto,
    TwoFactorState,
};
use crate::ui::resource::resource;
use crate::ui::widgets::{load, CsrfField, FormError, NamedText};
use leptos::form::ActionForm;
use leptos::prelude::*;

#[derive(Clone, Copy)]
struct Actions {
    start: ServerAction<StartTwoFactor>,
    confirm: ServerAction<ConfirmTwoFactor>,
    renew: ServerAction<RenewRecoveryCodes>,
    off: ServerAction<TurnOffTwoFactor>,
}

#[component]
pub fn TwoFactorPanel() -> impl IntoView {
    let actions = Actions {
        start: ServerAction::new(),
        confirm: ServerAction::new(),
        renew: ServerAction::new(),
        off: ServerAction::new(),
    };
    let versions = move || {
        (
            actions.start.version().get(),
            actions.confirm.version().get(),
            actions.renew.version().get(),
            actions.off.version().get(),
        )
    };
    let data = resource(versions, |_| two_factor_status());
    view! {
        <section class="panel narrow" aria-labelledby="two-factor-heading" id="two-factor">
            <h2 id="two-factor-heading">"Two-factor sign-in"</h2>
            {load(data, move |d: TwoFactorDto| view! { <Body d actions /> }.into_any())}
        </section>
    }
}

#[component]
fn Body(d: TwoFactorDto, actions: Actions) -> impl IntoView {
    let required = d.required_because.clone();
    let codes = (!d.fresh_recovery_codes.is_empty()).then(|| view! { <FreshCodes codes=d.fresh_recovery_codes /> });
    let state = match d.state {
        TwoFactorState::Off => view! { <Off required=required.clone() start=actions.start /> }.into_any(),
        TwoFactorState::SettingUp { secret, qr_svg } => {
            view! { <SettingUp secret qr_svg confirm=actions.confirm start=actions.start /> }.into_any()
        }
        TwoFactorState::On {
            since,
            recovery_codes_left,
        } => view! { <On since recovery_codes_left required=required.clone() actions /> }.into_any(),
    };
    view! {
        {codes}
        {state}
    }
}

#[component]
fn Off(required: Option<String>, start: ServerAction<StartTwoFactor>) -> impl IntoView {
    let errors = Signal::derive(move || start.value().get().and_then(Result::err));
    view! {
        {match required {
            Some(reason) => view! {
                <p class="alert alert-error" role="alert">
                    {format!("{reason} Set it up now: until you do, your account reaches only this page.")}
                </p>
            }
                .into_any(),
            None => view! {
                <p>
                    "Off. With it on, signing in needs your password and a code from an authenticator app on your phone (Google Authenticator, 1Password, Authy and others), so a stolen password alone isn't enough."
                </p>
            }
                .into_any(),
        }}
        <FormError errors />
        <ActionForm action=start>
            <CsrfField />
            <button type="submit" class="button">
                "Set up two-factor sign-in"
            </button>
        </ActionForm>
    }
}

#[component]
fn SettingUp(
    secret: String,
    qr_svg: String,
    confirm: ServerAction<ConfirmTwoFactor>,
    start: ServerAction<StartTwoFactor>,
) -> impl IntoView {
    let errors = Signal::derive(move || confirm.value().get().and_then(Result::err));
    view! {
        <ol class="steps">
            <li>"Scan this code with your authenticator app."</li>
            <li>"Or type the secret into the app by hand."</li>
            <li>"Enter the 6-digit code the app shows, to check they agree."</li>
        </ol>
        <div class="two-factor-qr" inner_html=qr_svg role="img" aria-label="QR code of your two-factor secret"></div>
        <p>
            "Secret: " <code class="secret" id="two-factor-secret">
                {secret}
            </code>
        </p>
        <FormError errors />
        <ActionForm action=confirm>
            <div class="stack">
                <CsrfField />
                <NamedText
                    name="code"
                    key="code"
                    scope="confirm-"
                    label="Code from your app"
                    required=true
                    inputmode="numeric"
                    maxlength=12
                    errors
                />
                <button type="submit" class="button">
                    "Turn on two-factor sign-in"
                </button>
            </div>
        </ActionForm>
        <ActionForm action=start>
            <CsrfField />
            <button type="submit" class="button secondary">
                "Start over with a new secret"
            </button>
        </ActionForm>
    }
}

#[component]
fn FreshCodes(codes: Vec<String>) -> impl IntoView {
    view! {
        <div class="alert" role="status" id="recovery-codes">
            <p>
                <strong>"Your recovery codes."</strong>
                " Each signs you in once if you lose your phone. Save them somewhere safe now (a password manager, or printed): they won't be shown again."
            </p>
            <ul class="recovery-codes">
                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ul>
        </div>
    }
}

#[component]
fn On(since: String, recovery_codes_left: i64, required: Option<String>, actions: Actions) -> impl IntoView {
    let renew_errors = Signal::derive(move || actions.renew.value().get().and_then(Result::err));
    let off_errors = Signal::derive(move || actions.off.value().get().and_then(Result::err));
    let left = match recovery_codes_left {
        0 => "No recovery code left: make new ones below.".to_owned(),
        1 => "1 recovery code left.".to_owned(),
        n => format!("{n} recovery codes left."),
    };
    let off = match required {
        Some(reason) => view! { <p class="muted">{format!("{reason} It stays on.")}</p> }.into_any(),
        None => view! {
            <h3>"Turn it off"</h3>
            <FormError errors=off_errors />
            <ActionForm action=actions.off>
                <div class="stack">
                    <CsrfField />
                    <NamedText name="password" key="password" scope="off-" label="Your password" kind="password" required=true errors=off_errors />
                    <NamedText name="code" key="code" scope="off-" label="Code from your app, or a recovery code" required=true maxlength=24 errors=off_errors />
                    <button type="submit" class="button danger">
                        "Turn off two-factor sign-in"
                    </button>
                </div>
            </ActionForm>
        }
            .into_any(),
    };
    view! {
        <p id="two-factor-on">{format!("On since {since}. {left}")}</p>
        <h3>"New recovery codes"</h3>
        <p class="muted">"The old codes stop working."</p>
        <FormError errors=renew_errors />
        <ActionForm action=actions.renew>
            <div class="stack">
                <CsrfField />
                <NamedText name="code" key="code" scope="renew-" label="Code from your app" required=true maxlength=24 errors=renew_errors />
                <button type="submit" class="button secondary">
                    "Make new recovery codes"
                </button>
            </div>
        </ActionForm>
        {off}
    }
}
