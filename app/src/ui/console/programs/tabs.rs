//! What every program page shares: the way back to the list, the program's name and the tab bar.

use crate::api::error::AppError;
use crate::api::program_admin::program_settings;
use leptos::prelude::*;

/// The sections of a program, in tab order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Overview,
    Conversions,
    Links,
    Coupons,
    Plans,
    Terms,
    Approvals,
    Deals,
    Mdf,
    Settings,
    Keys,
    Integration,
}

impl Tab {
    pub const ALL: [Tab; 12] = [
        Tab::Overview,
        Tab::Conversions,
        Tab::Links,
        Tab::Coupons,
        Tab::Plans,
        Tab::Terms,
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
            Tab::Plans => "Plans",
            Tab::Terms => "Terms",
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
            Tab::Plans => "/plans",
            Tab::Terms => "/terms",
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

/// The program's name as the page heading, then the tab bar with the current tab marked.
#[component]
pub fn ProgramHeader(program_id: i64, name: String, current: Tab) -> impl IntoView {
    view! {
        <h1>{name}</h1>
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

/// A tab's data together with the program's name (for tabs whose data doesn't carry it).
pub async fn with_program_name<T>(
    program_id: i64,
    data: impl std::future::Future<Output = Result<T, AppError>>,
) -> Result<(String, T), AppError> {
    let name = program_settings(program_id).await?.name;
    Ok((name, data.await?))
}
