//! The three shells: public pages, the partner portal and the operator console.

use crate::api::auth::{get_viewer, Area, ViewerDto};
use crate::ui::widgets::{CsrfField, ErrorPanel, Loading};
use leptos::prelude::*;
use leptos_router::components::{Outlet, A};

#[component]
fn Brand() -> impl IntoView {
    view! {
        <a class="brand" href="/">
            <img src="/favicon.svg" alt="" width="28" height="28" />
            <span>"Trellis"</span>
        </a>
    }
}

#[component]
fn LogoutButton() -> impl IntoView {
    view! {
        <form method="post" action="/logout" class="inline-form">
            <CsrfField />
            <button type="submit" class="link-button">
                "Log out"
            </button>
        </form>
    }
}

#[component]
pub fn PublicLayout() -> impl IntoView {
    let viewer = Resource::new(|| (), |_| get_viewer());
    view! {
        <header class="topbar">
            <Brand />
            <nav aria-label="Account" class="topbar-actions">
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match viewer.await {
                            Ok(Some(v)) => {
                                let home = match v.area {
                                    Area::Console { .. } => "/console",
                                    Area::Portal { .. } => "/portal",
                                };
                                view! {
                                    <a href=home class="button secondary">
                                        "Open my workspace"
                                    </a>
                                    <LogoutButton />
                                }
                                    .into_any()
                            }
                            _ => {
                                view! {
                                    <a href="/login" class="button secondary">
                                        "Log in"
                                    </a>
                                }
                                    .into_any()
                            }
                        }
                    })}
                </Suspense>
            </nav>
        </header>
        <main id="main" class="public-main">
            <Outlet />
        </main>
        <footer class="footer">"Trellis · partner platform"</footer>
    }
}

/// Nav entries: (href, label). The first one matches its path exactly.
const PORTAL_NAV: [(&str, &str); 8] = [
    ("/portal", "Dashboard"),
    ("/portal/programs", "Programs"),
    ("/portal/links", "Links"),
    ("/portal/deals", "Deals"),
    ("/portal/mdf", "MDF"),
    ("/portal/training", "Training"),
    ("/portal/payouts", "Payouts"),
    ("/portal/settings", "Settings"),
];

const CONSOLE_NAV: [(&str, &str); 5] = [
    ("/console", "Overview"),
    ("/console/applications", "Applications"),
    ("/console/audit", "Audit trail"),
    ("/console/outbox", "Mailbox"),
    ("/console/settings", "Settings"),
];

#[component]
fn AppShell(
    area_label: &'static str,
    nav: &'static [(&'static str, &'static str)],
    viewer: ViewerDto,
) -> impl IntoView {
    let who = match &viewer.area {
        Area::Console { role } => format!("{} · {}", viewer.display_name, role.label()),
        Area::Portal { partner_name, .. } => format!("{} · {}", viewer.display_name, partner_name),
    };
    view! {
        <header class="topbar">
            <Brand />
            <span class="area-label">{area_label}</span>
            <div class="topbar-actions">
                <span class="who">{who}</span>
                <LogoutButton />
            </div>
        </header>
        <div class="app-body">
            <nav class="sidenav" aria-label=area_label>
                <ul>
                    {nav
                        .iter()
                        .enumerate()
                        .map(|(i, (href, label))| {
                            let exact = i == 0;
                            view! {
                                <li>
                                    <A href=*href exact>
                                        {*label}
                                    </A>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </nav>
            <main id="main" class="app-main">
                <Outlet />
            </main>
        </div>
    }
}

/// Shows the shell for a logged-in user of the right area, or an error page.
fn area_shell(
    area_label: &'static str,
    nav: &'static [(&'static str, &'static str)],
    is_console: bool,
) -> impl IntoView {
    let viewer = Resource::new(|| (), |_| get_viewer());
    view! {
        <Suspense fallback=|| {
            view! { <Loading /> }
        }>
            {move || Suspend::new(async move {
                match viewer.await {
                    Ok(Some(v)) if matches!(v.area, Area::Console { .. }) == is_console => {
                        view! { <AppShell area_label nav viewer=v /> }.into_any()
                    }
                    Ok(Some(_)) => {
                        view! {
                            <main id="main" class="public-main">
                                <ErrorPanel error=crate::api::error::AppError::Forbidden />
                            </main>
                        }
                            .into_any()
                    }
                    Ok(None) => {
                        view! {
                            <main id="main" class="public-main">
                                <ErrorPanel error=crate::api::error::AppError::Unauthenticated />
                            </main>
                        }
                            .into_any()
                    }
                    Err(e) => {
                        view! {
                            <main id="main" class="public-main">
                                <ErrorPanel error=e />
                            </main>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn PortalLayout() -> impl IntoView {
    area_shell("Partner portal", &PORTAL_NAV, false)
}

#[component]
pub fn ConsoleLayout() -> impl IntoView {
    area_shell("Operator console", &CONSOLE_NAV, true)
}
