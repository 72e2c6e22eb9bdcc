//! The demo's administration: Acme Cloud's brand details, a viewer, a second person in finance,
//! and a second brand (Globex) with its own program, run by a manager who sees only Globex, so
//! brand scoping is visible on first login.

use app::api::error::AppError;
use app::backend::repos::brands;
use app::backend::repos::programs::{self, CreatedProgram};
use app::backend::repos::{memberships, operators, partners, plans, users};
use app::backend::scope::Scope;
use app::domain::access::OperatorRole;
use app::domain::admin::brand_form::Brand;
use app::domain::admin::program_form::{starter_plan, ProgramKind};
use diesel_async::AsyncPgConnection;
use time::OffsetDateTime;

/// An operator who comes with the demo's administration.
pub struct DemoOperator {
    pub email: &'static str,
    pub name: &'static str,
    pub role: OperatorRole,
    /// Sees only Globex.
    pub globex_only: bool,
    /// How `make run` lists the login.
    pub who: &'static str,
}

pub const OPERATORS: [DemoOperator; 3] = [
    DemoOperator {
        email: "viewer@acme.test",
        name: "Vic Viewer",
        role: OperatorRole::Viewer,
        globex_only: false,
        who: "Viewer",
    },
    DemoOperator {
        email: "payables@acme.test",
        name: "Pat Payables",
        role: OperatorRole::Finance,
        globex_only: false,
        who: "Finance · approves the runs Finley makes",
    },
    DemoOperator {
        email: "manager@globex.test",
        name: "Gita Globex",
        role: OperatorRole::Manager,
        globex_only: true,
        who: "Partner manager · Globex only",
    },
];

fn brand(name: &str, legal: &str, country: &str, currency: &str, sender: &str, color: &str) -> Brand {
    Brand {
        name: name.into(),
        legal_name: legal.into(),
        address: String::new(),
        country: country.into(),
        default_currency: currency.into(),
        tax_id: String::new(),
        support_email: String::new(),
        sender_name: sender.into(),
        primary_color: color.into(),
    }
}

pub async fn seed(conn: &mut AsyncPgConnection, hash: &str, now: OffsetDateTime) -> Result<(), AppError> {
    if brands::slug_taken(conn, "globex").await? {
        return add_missing_operators(conn, hash).await;
    }
    let everything = Scope::everything(conn).await?;
    if let Some(acme) = programs::find_brand_by_slug(conn, "acme").await? {
        let details = Brand {
            address: "Acme Cloud GmbH\nFriedrichstraße 1\n10117 Berlin".into(),
            tax_id: "DE123456789".into(),
            support_email: "partners@acme.test".into(),
            ..brand(
                "Acme Cloud",
                "Acme Cloud GmbH",
                "DE",
                "EUR",
                "Acme Partner Team",
                "#1f6f5c",
            )
        };
        brands::update(conn, &everything, acme, &details).await?;
    }
    let globex = brands::insert(
        conn,
        &brand(
            "Globex",
            "Globex Corporation Ltd",
            "GB",
            "GBP",
            "Globex Partners",
            "#7a3db8",
        ),
        "globex",
    )
    .await?;
    let kinds = ProgramKind::Affiliate.default_partner_kinds();
    let program = programs::create(
        conn,
        &CreatedProgram {
            brand_id: globex.id,
            name: "Globex Creators",
            slug: "globex-creators",
            kind: ProgramKind::Affiliate.as_str(),
            currency: "GBP",
            public: true,
            partner_kinds: kinds.iter().map(|k| k.as_str().to_owned()).collect(),
            description: "Creators earn 10% on every Globex gadget their audience buys.",
            terms: &app::domain::admin::program_form::default_terms("Globex Creators", "Globex"),
        },
    )
    .await?;
    let (plan_name, plan) = starter_plan(ProgramKind::Affiliate, "GBP");
    if let Some(plan) = plans::insert(conn, program.id, plan_name, &plan, None, now).await? {
        plans::set_default(conn, program.id, plan.id).await?;
    }
    for operator in OPERATORS {
        let user = users::insert_operator(conn, operator.email, operator.name, operator.role, hash).await?;
        if operator.globex_only {
            operators::set_brands(conn, user.id, true, &[globex.id]).await?;
        }
    }
    // Lumen Media applies to Globex too: Gita has an application to review.
    if let Some(lumen) = partners::find_by_email(conn, "hello@lumenmedia.test").await? {
        let plan = "Lumen Media reviews gadgets for a UK audience.";
        memberships::insert_application(conn, lumen.id, program.id, plan, now).await?;
    }
    Ok(())
}

/// Demos seeded before an operator joined this list get them on the next run (the Globex
/// manager comes with Globex).
async fn add_missing_operators(conn: &mut AsyncPgConnection, hash: &str) -> Result<(), AppError> {
    for operator in OPERATORS.iter().filter(|o| !o.globex_only) {
        if users::find_by_email(conn, operator.email).await?.is_none() {
            users::insert_operator(conn, operator.email, operator.name, operator.role, hash).await?;
        }
    }
    Ok(())
}
