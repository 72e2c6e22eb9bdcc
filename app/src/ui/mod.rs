//! Pages and components. Every page renders on the server and works without JavaScript;
//! hydration makes forms submit in place.

pub mod account;
mod brand_switch;
pub mod console;
pub mod http_status;
pub mod layout;
pub mod mdf;
pub mod params;
pub mod portal;
pub mod public;
pub mod resource;
#[cfg(feature = "ssr")]
mod shell;
mod signed_in;
pub mod statement;
mod two_factor;
pub mod widgets;

#[cfg(feature = "ssr")]
pub use shell::shell;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{path, SsrMode};

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Effects only run in the browser, after hydration: the mark tells tests (and CSS) that
    // forms now submit in place.
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Title formatter=|page: String| {
            if page.is_empty() { "Trellis".to_owned() } else { format!("{page} · Trellis") }
        } />
        <Router>
            <a class="skip-link" href="#main">
                "Skip to content"
            </a>
            <Routes fallback=|| view! { <public::NotFound /> }>
                <ParentRoute path=path!("") view=layout::PublicLayout ssr=SsrMode::Async>
                    <Route path=path!("") view=public::Landing ssr=SsrMode::Async />
                    <Route path=path!("login") view=public::Login ssr=SsrMode::Async />
                    <Route path=path!("login/code") view=public::LoginCode ssr=SsrMode::Async />
                    <Route path=path!("forgot-password") view=public::ForgotPassword ssr=SsrMode::Async />
                    <Route path=path!("set-password") view=public::SetPassword ssr=SsrMode::Async />
                    <Route path=path!("join/:slug") view=public::Join ssr=SsrMode::Async />
                    <Route path=path!("join/:slug/thanks") view=public::JoinThanks ssr=SsrMode::Async />
                    <Route path=path!("setup") view=public::Setup ssr=SsrMode::Async />
                    <Route path=path!("verify/:code") view=public::Verify ssr=SsrMode::Async />
                </ParentRoute>
                <ParentRoute path=path!("portal") view=layout::PortalLayout ssr=SsrMode::Async>
                    <Route path=path!("") view=portal::Dashboard ssr=SsrMode::Async />
                    <Route path=path!("programs") view=portal::Programs ssr=SsrMode::Async />
                    <Route path=path!("announcements") view=portal::Announcements ssr=SsrMode::Async />
                    <Route path=path!("agreements") view=portal::Agreements ssr=SsrMode::Async />
                    <Route path=path!("links") view=portal::Links ssr=SsrMode::Async />
                    <Route path=path!("creatives") view=portal::Creatives ssr=SsrMode::Async />
                    <Route path=path!("material") view=portal::Material ssr=SsrMode::Async />
                    <Route path=path!("commissions") view=portal::Commissions ssr=SsrMode::Async />
                    <Route path=path!("terms") view=portal::Terms ssr=SsrMode::Async />
                    <Route path=path!("deals") view=portal::Deals ssr=SsrMode::Async />
                    <Route path=path!("deals/new") view=portal::NewDeal ssr=SsrMode::Async />
                    <Route path=path!("deals/:id") view=portal::DealPage ssr=SsrMode::Async />
                    <Route path=path!("documents") view=portal::Documents ssr=SsrMode::Async />
                    <Route path=path!("profile") view=portal::Profile ssr=SsrMode::Async />
                    <Route path=path!("team") view=portal::Team ssr=SsrMode::Async />
                    <Route path=path!("mdf") view=portal::Mdf ssr=SsrMode::Async />
                    <Route path=path!("mdf/:id") view=portal::MdfRequest ssr=SsrMode::Async />
                    <Route path=path!("training") view=portal::Training ssr=SsrMode::Async />
                    <Route path=path!("training/:id") view=portal::CoursePage ssr=SsrMode::Async />
                    <Route path=path!("library") view=portal::Library ssr=SsrMode::Async />
                    <Route path=path!("payouts") view=portal::Payouts ssr=SsrMode::Async />
                    <Route path=path!("payouts/statements/:id") view=statement::PayoutStatement ssr=SsrMode::Async />
                    <Route path=path!("settings") view=portal::Settings ssr=SsrMode::Async />
                </ParentRoute>
                <ParentRoute path=path!("console") view=layout::ConsoleLayout ssr=SsrMode::Async>
                    <Route path=path!("") view=console::Dashboard ssr=SsrMode::Async />
                    <Route path=path!("applications") view=console::Applications ssr=SsrMode::Async />
                    <Route path=path!("applications/:id") view=console::ApplicationDetail ssr=SsrMode::Async />
                    <Route path=path!("brands") view=console::Brands ssr=SsrMode::Async />
                    <Route path=path!("brands/:id") view=console::BrandPage ssr=SsrMode::Async />
                    <Route path=path!("operators") view=console::Operators ssr=SsrMode::Async />
                    <Route path=path!("programs") view=console::Programs ssr=SsrMode::Async />
                    <Route path=path!("programs/new") view=console::NewProgram ssr=SsrMode::Async />
                    <Route path=path!("programs/:id") view=console::ProgramOverview ssr=SsrMode::Async />
                    <Route path=path!("programs/:id/settings") view=console::ProgramSettings ssr=SsrMode::Async />
                    <Route path=path!("programs/:id/links") view=console::ProgramLinks ssr=SsrMode::Async />
                    <Route path=path!("programs/:id/coupons") view=console::ProgramCoupons ssr=SsrMode::Async />
                    <Route path=path!("programs/:id/creatives") view=console::ProgramCreatives ssr=SsrMode::Async />
                    <Route path=path!("programs/:id/training") view=console::ProgramTraining ssr=SsrMode::Async />
                    <Route path=path!("programs/:id/library") view=console::ProgramLibrary ssr=SsrMode::Async />
                    <Route path=path!("programs/:id/agreement") view=console::ProgramAgreement ssr=SsrMode::Async />
                    <Route path=path!("programs/:id/application") view=console::ProgramQuestions ssr=SsrMode::Async />
                    <Route
                        path=path!("programs/:id/announcements")
                        view=console::ProgramAnnouncements
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("programs/:id/training/:course_id")
                        view=console::CourseEditor
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("programs/:id/keys") view=console::ProgramKeys ssr=SsrMode::Async />
                    <Route path=path!("programs/:id/integration") view=console::ProgramIntegration ssr=SsrMode::Async />
                    <Route path=path!("programs/:id/conversions") view=console::ProgramConversions ssr=SsrMode::Async />
                    <Route path=path!("commissions") view=console::CommissionQueue ssr=SsrMode::Async />
                    <Route path=path!("commissions/:id") view=console::CommissionDetail ssr=SsrMode::Async />
                    <Route path=path!("programs/:id/plans") view=console::ProgramPlans ssr=SsrMode::Async />
                    <Route path=path!("programs/:id/terms") view=console::ProgramTerms ssr=SsrMode::Async />
                    <Route path=path!("programs/:id/tiers") view=console::ProgramTiers ssr=SsrMode::Async />
                    <Route path=path!("programs/:id/segments") view=console::ProgramSegments ssr=SsrMode::Async />
                    <Route path=path!("programs/:id/approvals") view=console::ProgramApprovals ssr=SsrMode::Async />
                    <Route path=path!("programs/:id/deals") view=console::ProgramDeals ssr=SsrMode::Async />
                    <Route path=path!("deals") view=console::DealQueue ssr=SsrMode::Async />
                    <Route path=path!("deals/:id") view=console::DealReview ssr=SsrMode::Async />
                    <Route
                        path=path!("programs/:id/partners/:partner_id")
                        view=console::ProgramPartner
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("mdf") view=console::MdfQueue ssr=SsrMode::Async />
                    <Route path=path!("documents") view=console::DocumentQueue ssr=SsrMode::Async />
                    <Route path=path!("payouts") view=console::PayoutRuns ssr=SsrMode::Async />
                    <Route path=path!("payouts/settings") view=console::PayoutSettings ssr=SsrMode::Async />
                    <Route path=path!("payouts/:id") view=console::PayoutRun ssr=SsrMode::Async />
                    <Route path=path!("payouts/statements/:id") view=statement::PayoutStatement ssr=SsrMode::Async />
                    <Route path=path!("mdf/:id") view=console::MdfDetail ssr=SsrMode::Async />
                    <Route path=path!("programs/:id/mdf") view=console::ProgramMdf ssr=SsrMode::Async />
                    <Route path=path!("reports/deals") view=console::DealReport ssr=SsrMode::Async />
                    <Route path=path!("reports/onboarding") view=console::OnboardingReport ssr=SsrMode::Async />
                    <Route path=path!("audit") view=console::Audit ssr=SsrMode::Async />
                    <Route path=path!("outbox") view=console::Outbox ssr=SsrMode::Async />
                    <Route path=path!("outbox/:id") view=console::OutboxMessage ssr=SsrMode::Async />
                    <Route path=path!("settings") view=console::Settings ssr=SsrMode::Async />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
