//! The three shells: public pages, the partner portal and the operator console.

use crate::api::auth::{get_viewer, Area, PortalBrand, ViewerDto};
use crate::domain::format::person_and_company;
use crate::ui::brand_switch::BrandSwitcher;
use crate::ui::resource::{resource, PageData};
use crate::ui::widgets::csrf::csrf_token;
use crate::ui::widgets::{CsrfField, Notice};
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
    let viewer = resource(|| (), |_| get_viewer());
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
const PORTAL_NAV: [(&str, &str); 17] = [
    ("/portal", "Dashboard"),
    ("/portal/announcements", "Announcements"),
    ("/portal/programs", "Programs"),
    ("/portal/links", "Links"),
    ("/portal/creatives", "Creatives"),
    ("/portal/commissions", "Commissions"),
    ("/portal/terms", "Terms"),
    ("/portal/agreements", "Agreements"),
    ("/portal/documents", "Documents"),
    ("/portal/deals", "Deals"),
    ("/portal/mdf", "MDF"),
    ("/portal/training", "Training"),
    ("/portal/library", "Library"),
    ("/portal/payouts", "Payouts"),
    ("/portal/profile", "Profile"),
    ("/portal/team", "Team"),
    ("/portal/settings", "Settings"),
];

const CONSOLE_NAV: [(&str, &str); 15] = [
    ("/console", "Overview"),
    ("/console/applications", "Applications"),
    ("/console/documents", "Documents"),
    ("/console/commissions", "Commissions"),
    ("/console/deals", "Deals"),
    ("/console/mdf", "MDF"),
    ("/console/payouts", "Payouts"),
    ("/console/programs", "Programs"),
    ("/console/reports/deals", "Deal pipeline"),
    ("/console/reports/onboarding", "Onboarding"),
    ("/console/brands", "Brands"),
    ("/console/operators", "Operators"),
    ("/console/audit", "Audit trail"),
    ("/console/outbox", "Mailbox"),
    ("/console/settings", "Settings"),
];

const ANNOUNCEMENTS: &str = "/portal/announcements";

/// The number of announcements the person hasn't read, beside its nav entry (nothing at zero).
#[component]
fn UnreadBadge(viewer: PageData<Result<Option<ViewerDto>, crate::api::error::AppError>>) -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let unread = match viewer.await.ok().flatten().map(|v| v.area) {
                    Some(Area::Portal { unread_announcements, .. }) => unread_announcements,
                    _ => 0,
                };
                (unread > 0)
                    .then(|| {
                        view! {
                            <span class="nav-count" aria-label=format!("{unread} unread")>
                                {unread}
                            </span>
                        }
                    })
            })}
        </Suspense>
    }
}

/// Who is logged in, for the top bar.
fn who(viewer: ViewerDto) -> String {
    match &viewer.area {
        Area::Console { role } => format!("{} · {}", viewer.display_name, role.label()),
        Area::Portal { partner_name, .. } => person_and_company(&viewer.display_name, partner_name),
    }
}

/// The brand a partner's programs share, in the portal's top bar: its logo (or its name) and,
/// through its stylesheet, its accent colour.
#[component]
fn PortalBrandMark(brand: PortalBrand) -> impl IntoView {
    let PortalBrand {
        name,
        logo_url,
        stylesheet_url,
    } = brand;
    view! {
        {stylesheet_url.map(|href| view! { <link rel="stylesheet" href=href /> })}
        <span class="partner-brand">
            {match logo_url {
                Some(src) => view! { <img src=src alt=name.clone() height="28" /> }.into_any(),
                None => view! { <strong>{name.clone()}</strong> }.into_any(),
            }}
        </span>
    }
}

/// The portal and console shell. The page itself (the `Outlet`) renders at once rather than
/// inside the viewer's `Suspense`, so server and browser create the page's resources in the same
/// order. Who may see the area is decided before this renders: the access middleware for page
/// loads, and every server function again for data.
fn area_shell(area_label: &'static str, nav: &'static [(&'static str, &'static str)]) -> impl IntoView {
    let viewer = resource(|| (), |_| get_viewer());
    // A "saved" message left by a form post without JavaScript (see api::flash).
    let flash = resource(|| (), |_| crate::api::flash::take_flash(csrf_token()));
    view! {
        <header class="topbar">
            <Brand />
            <span class="area-label">{area_label}</span>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    viewer
                        .await
                        .ok()
                        .flatten()
                        .and_then(|v| match v.area {
                            Area::Portal { brand, .. } => brand,
                            Area::Console { .. } => None,
                        })
                        .map(|brand| view! { <PortalBrandMark brand /> })
                })}
            </Suspense>
            <div class="topbar-actions">
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        viewer
                            .await
                            .ok()
                            .flatten()
                            .map(|v| {
                                let all_label = match v.area {
                                    Area::Console { .. } => "All brands",
                                    Area::Portal { .. } => "All my brands",
                                };
                                view! {
                                    {v
                                        .brand_switch
                                        .clone()
                                        .map(|switch| view! { <BrandSwitcher switch all_label /> })}
                                    <span class="who">{who(v)}</span>
                                }
                            })
                    })}
                </Suspense>
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
                            let counted = *href == ANNOUNCEMENTS;
                            view! {
                                <li>
                                    <A href=*href exact>
                                        {*label}
                                        {counted.then(|| view! { <UnreadBadge viewer /> })}
                                    </A>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </nav>
            <main id="main" class="app-main">
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        flash.await.ok().flatten().map(|message| view! { <Notice>{message}</Notice> })
                    })}
                </Suspense>
                <Outlet />
            </main>
        </div>
    }
}

#[component]
pub fn PortalLayout() -> impl IntoView {
    area_shell("Partner portal", &PORTAL_NAV)
}

#[component]
pub fn ConsoleLayout() -> impl IntoView {
    area_shell("Operator console", &CONSOLE_NAV)
}
