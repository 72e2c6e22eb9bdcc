//! Every email Trellis sends, built by pure functions: a subject, a plain-text part and an HTML
//! part. Links are absolute, built from the configured base URL.

use super::html::escape;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmailContent {
    pub subject: String,
    pub text: String,
    pub html: String,
}

pub(crate) fn compose(
    subject: String,
    greeting: &str,
    paragraphs: &[String],
    action: Option<(&str, &str)>,
) -> EmailContent {
    let mut text = format!("{greeting}\n\n");
    let mut html = format!(
        "<!doctype html><html><body style=\"font-family:system-ui,sans-serif;color:#1b2430;max-width:560px\">\
         <p>{}</p>",
        escape(greeting)
    );
    for p in paragraphs {
        text.push_str(p);
        text.push_str("\n\n");
        html.push_str(&format!("<p>{}</p>", escape(p).replace('\n', "<br>")));
    }
    if let Some((label, url)) = action {
        text.push_str(&format!("{label}: {url}\n\n"));
        html.push_str(&format!(
            "<p><a href=\"{}\" style=\"background:#0f6e5a;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none\">{}</a></p>\
             <p style=\"font-size:13px;color:#5b6675\">Or paste this link into your browser: {}</p>",
            escape(url),
            escape(label),
            escape(url)
        ));
    }
    text.push_str("— Trellis\n");
    html.push_str("<p>— Trellis</p></body></html>");
    EmailContent { subject, text, html }
}

/// The brand a program's emails go out under: its name signs them, its colour is the button's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Branding {
    pub name: String,
    pub color: String,
}

/// Dresses an email in its brand (the default sign-off and button colour are Trellis's own).
pub fn branded(content: EmailContent, brand: &Branding) -> EmailContent {
    let sign_off = format!("— {}", brand.name);
    EmailContent {
        subject: content.subject,
        text: content.text.replace("— Trellis\n", &format!("{sign_off}\n")),
        html: content
            .html
            .replace("<p>— Trellis</p>", &format!("<p>{}</p>", escape(&sign_off)))
            .replace("background:#0f6e5a", &format!("background:{}", escape(&brand.color))),
    }
}

pub fn application_received(partner_name: &str, program_name: &str) -> EmailContent {
    compose(
        format!("We received your application to {program_name}"),
        &format!("Hello {partner_name},"),
        &[
            format!("Thank you for applying to {program_name}. Our partner team reviews every application and will email you when a decision is made."),
            "You don't need to do anything until then.".into(),
        ],
        None,
    )
}

pub fn application_approved(partner_name: &str, program_name: &str, set_password_url: Option<&str>) -> EmailContent {
    let mut paragraphs = vec![format!(
        "Good news: your application to {program_name} was approved. Welcome aboard."
    )];
    let action = match set_password_url {
        Some(url) => {
            paragraphs.push(
                "Choose a password to open your partner portal. The link works once and expires in 72 hours.".into(),
            );
            Some(("Set your password", url))
        }
        None => {
            paragraphs.push("The program now appears in your partner portal.".into());
            None
        }
    };
    compose(
        format!("You're in: {program_name}"),
        &format!("Hello {partner_name},"),
        &paragraphs,
        action,
    )
}

pub fn application_rejected(partner_name: &str, program_name: &str, reason: &str) -> EmailContent {
    compose(
        format!("Your application to {program_name}"),
        &format!("Hello {partner_name},"),
        &[
            format!("Thank you for your interest in {program_name}. We are not able to accept your application at this time."),
            format!("Reason given by the program team:\n{reason}"),
        ],
        None,
    )
}

pub fn password_reset(display_name: &str, reset_url: &str) -> EmailContent {
    compose(
        "Reset your Trellis password".into(),
        &format!("Hello {display_name},"),
        &[
            "Someone asked to reset the password of your Trellis account. If it was you, use the link below. It works once and expires in 1 hour.".into(),
            "If it wasn't you, ignore this email: your password stays as it is.".into(),
        ],
        Some(("Choose a new password", reset_url)),
    )
}

pub fn two_factor_off(display_name: &str) -> EmailContent {
    compose(
        "Two-factor sign-in was turned off".into(),
        &format!("Hello {display_name},"),
        &[
            "Two-factor sign-in was just turned off for your Trellis account: your password alone now signs you in.".into(),
            "If it wasn't you, reset your password at once and turn two-factor sign-in on again under Settings, then tell the program team.".into(),
        ],
        None,
    )
}

pub fn operator_invited(name: &str, inviter: &str, role: &str, days: u64, set_password_url: &str) -> EmailContent {
    compose(
        "You're invited to the Trellis console".into(),
        &format!("Hello {name},"),
        &[
            format!("{inviter} invited you to the partner program console as {role}."),
            format!(
                "Choose your password with the link below to sign in. It works once and expires in {days} day{}.",
                if days == 1 { "" } else { "s" }
            ),
        ],
        Some(("Choose your password", set_password_url)),
    )
}

pub fn partner_invited(
    name: &str,
    inviter: &str,
    partner: &str,
    role: &str,
    days: u64,
    set_password_url: &str,
) -> EmailContent {
    compose(
        format!("Join {partner} in its partner portal"),
        &format!("Hello {name},"),
        &[
            format!("{inviter} invited you to {partner}'s partner portal as {role}."),
            format!(
                "Choose your password with the link below to sign in. It works once and expires in {days} day{}.",
                if days == 1 { "" } else { "s" }
            ),
        ],
        Some(("Choose your password", set_password_url)),
    )
}

/// Hides the secret of every `token=` link, for showing sent mail to staff.
pub fn terms_changed(
    partner_name: &str,
    program_name: &str,
    effective: &str,
    summary: &[String],
    url: &str,
) -> EmailContent {
    let mut paragraphs = vec![format!(
        "Your commission terms in {program_name} change. The new terms take effect on {effective}."
    )];
    paragraphs.push(summary.join("\n"));
    paragraphs.push("Conversions before that time keep the terms that were in force when they happened.".into());
    compose(
        format!("Your terms in {program_name} are changing"),
        &format!("Hello {partner_name},"),
        &paragraphs,
        Some(("See your terms", url)),
    )
}

pub fn commission_rejected(
    partner_name: &str,
    program_name: &str,
    amount: &str,
    order: &str,
    reason: &str,
) -> EmailContent {
    compose(
        format!("A commission in {program_name} was not approved"),
        &format!("Hello {partner_name},"),
        &[
            format!("Your commission of {amount} for order {order} in {program_name} was rejected."),
            format!("Reason given by the program team:\n{reason}"),
        ],
        None,
    )
}

/// A digest for one approver: how many commissions wait for their stage, and for how long.
pub fn approvals_waiting(name: &str, lines: &[String], escalation: bool, url: &str) -> EmailContent {
    let (subject, opening) = if escalation {
        (
            "Commission approvals are overdue".to_string(),
            "These commission approvals have waited past the escalation limit:".to_string(),
        )
    } else {
        (
            "Commissions wait for your approval".to_string(),
            "These commissions have waited longer than the program's approval time:".to_string(),
        )
    };
    compose(
        subject,
        &format!("Hello {name},"),
        &[opening, lines.join("\n")],
        Some(("Open the approval queue", url)),
    )
}

pub fn redact_tokens(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("token=") {
        out.push_str(&rest[..at + 6]);
        out.push_str("[hidden]");
        rest = rest[at + 6..].trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brands_sign_their_programs_emails() {
        let brand = Branding {
            name: "Globex <Partners>".into(),
            color: "#7a3db8".into(),
        };
        let email = branded(
            application_approved("Ada", "Globex Creators", Some("https://x.test/set")),
            &brand,
        );
        assert!(email.text.ends_with("— Globex <Partners>\n"), "{}", email.text);
        assert!(email.html.contains("<p>— Globex &lt;Partners&gt;</p>"));
        assert!(email.html.contains("background:#7a3db8") && !email.html.contains("#0f6e5a"));
        assert!(!email.text.contains("Trellis"));
    }

    #[test]
    fn token_links_are_hidden() {
        let text = "Open https://t.example/set-password?token=abc-DEF_123 now. Or token=xyz.";
        assert_eq!(
            redact_tokens(text),
            "Open https://t.example/set-password?token=[hidden] now. Or token=[hidden]."
        );
        assert_eq!(redact_tokens("no links"), "no links");
    }

    #[test]
    fn approval_carries_the_set_password_link_in_both_parts() {
        let email = application_approved(
            "Ada",
            "Acme Affiliates",
            Some("https://t.example/set-password?token=abc"),
        );
        assert_eq!(email.subject, "You're in: Acme Affiliates");
        assert!(email.text.contains("https://t.example/set-password?token=abc"));
        assert!(email.html.contains("href=\"https://t.example/set-password?token=abc\""));
    }

    #[test]
    fn user_text_is_escaped_in_html_and_kept_in_text() {
        let email = application_rejected("<b>Eve</b>", "Acme", "Spam & <script>x</script>");
        assert!(email.html.contains("&lt;b&gt;Eve&lt;/b&gt;"));
        assert!(email.html.contains("Spam &amp; &lt;script&gt;"));
        assert!(!email.html.contains("<script>"));
        assert!(email.text.contains("Spam & <script>x</script>"));
    }

    #[test]
    fn received_and_reset_messages_name_their_subject() {
        assert!(application_received("Ada", "Acme").subject.contains("Acme"));
        let reset = password_reset("Ada", "https://t.example/reset?token=t");
        assert!(reset.text.contains("expires in 1 hour"));
        assert!(reset.html.contains("https://t.example/reset?token=t"));
    }
}
