//! What every program page shares: the way back to the list, the program's name and the tab bar.

use crate::api::error::AppError;
use crate::api::program_admin::program_settings;
use crate::domain::admin::wizard;
use leptos::prelude::*;

/// The sections of a program, in tab order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Overview,
    Conversions,
    Links,
    Coupons,
    Creatives,
    Library,
    Training,
    Announcements,
    Application,
    Agreement,
    Plans,
    Terms,
    Tiers,
    Segments,
    Approvals,
    Deals,
    Mdf,
    Settings,
    Keys,
    Integration,
}

impl Tab {
    pub const ALL: [Tab; 20] = [
        Tab::Overview,
        Tab::Conversions,
        Tab::Links,
        Tab::Coupons,
        Tab::Creatives,
        Tab::Library,
        Tab::Training,
        Tab::Announcements,
        Tab::Application,
        Tab::Agreement,
        Tab::Plans,
        Tab::Terms,
        Tab::Tiers,
        Tab::Segments,
        Tab::Approvals,
        Tab::Deals,
        Tab::Mdf,
        Tab::Settings,
        Tab::Keys,
        Tab::Integration,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Tab::Overview => "Overview",
            Tab::Conversions => "Conversions",
            Tab::Links => "Links",
            Tab::Coupons => "Coupons",
            Tab::Creatives => "Creatives",
            Tab::Library => "Library",
            Tab::Training => "Training",
            Tab::Announcements => "Announcements",
            Tab::Application => "Application form",
            Tab::Agreement => "Agreement",
            Tab::Plans => "Plans",
            Tab::Terms => "Terms",
            Tab::Tiers => "Tiers",
            Tab::Segments => "Segments",
            Tab::Approvals => "Approvals",
            Tab::Deals => "Deals",
            Tab::Mdf => "MDF",
            Tab::Settings => "Settings",
            Tab::Keys => "API keys",
            Tab::Integration => "Integration",
        }
    }

    /// The path after `/console/programs/{id}`.
    fn suffix(self) -> &'static str {
        match self {
            Tab::Overview => "",
            Tab::Conversions => "/conversions",
            Tab::Links => "/links",
            Tab::Coupons => "/coupons",
            Tab::Creatives => "/creatives",
            Tab::Library => "/library",
            Tab::Training => "/training",
            Tab::Announcements => "/announcements",
            Tab::Application => "/application",
            Tab::Agreement => "/agreement",
            Tab::Plans => "/plans",
            Tab::Terms => "/terms",
            Tab::Tiers => "/tiers",
            Tab::Segments => "/segments",
            Tab::Approvals => "/approvals",
            Tab::Deals => "/deals",
            Tab::Mdf => "/mdf",
            Tab::Settings => "/settings",
            Tab::Keys => "/keys",
            Tab::Integration => "/integration",
        }
    }

    pub fn href(self, program_id: i64) -> String {
        format!("/console/programs/{program_id}{}", self.suffix())
    }
}

/// Said on read-only views to operators who can't change a program.
pub const READ_ONLY: &str =
    "Only an Admin or a Partner manager can change this. Ask one of them if something needs to change.";

/// "← All programs", above the page's data so it shows even while loading or on errors.
#[component]
pub fn BackLink() -> impl IntoView {
    view! {
        <p>
            <a href="/console/programs">"← All programs"</a>
        </p>
    }
}

/// The program's name as the page heading, then the tab bar with the current tab marked, and
/// the new-program wizard's bar when the page is one of its steps.
#[component]
pub fn ProgramHeader(program_id: i64, name: String, current: Tab) -> impl IntoView {
    let in_wizard = super::super::query_param(wizard::FLAG).is_some();
    let path = current.suffix().trim_start_matches('/');
    let step = wizard::STEPS
        .iter()
        .position(|(p, ..)| *p == path)
        .filter(|_| in_wizard);
    view! {
        <h1>{name}</h1>
        {step.map(|index| view! { <WizardBar program_id index /> })}
        <nav aria-label="Program sections">
            <ul class="tabs">
                {Tab::ALL
                    .into_iter()
                    .map(|tab| {
                        view! {
                            <li>
                                <a href=tab.href(program_id) aria-current=(tab == current).then_some("page")>
                                    {tab.label()}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

/// "Step 2 of 4: Plans", what the step decides, and the way on (every step can be skipped).
#[component]
fn WizardBar(program_id: i64, index: usize) -> impl IntoView {
    let (path, title, about) = wizard::STEPS[index];
    let next = wizard::next_after(program_id, path);
    let last = index + 1 == wizard::STEPS.len();
    view! {
        <section class="wizard" aria-label="New program setup">
            <ol class="wizard-steps">
                {wizard::STEPS
                    .iter()
                    .enumerate()
                    .map(|(i, (_, t, _))| {
                        let href = wizard::step_href(program_id, i).unwrap_or_default();
                        view! {
                            <li class:done=i < index>
                                <a href=href aria-current=(i == index).then_some("step")>
                                    {*t}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            <p>
                <strong>{format!("Step {} of {}: {title}. ", index + 1, wizard::STEPS.len())}</strong>
                {format!("Here you set {about}. The defaults work; change them now or later.")}
            </p>
            <p>
                <a class="button" href=next>
                    {if last { "Finish" } else { "Next step" }}
                </a>
            </p>
        </section>
    }
}

/// A tab's data together with the program's name (for tabs whose data doesn't carry it).
pub async fn with_program_name<T>(
    program_id: i64,
    data: impl std::future::Future<Output = Result<T, AppError>>,
) -> Result<(String, T), AppError> {
    let name = program_settings(program_id).await?.name;
    Ok((name, data.await?))
}
