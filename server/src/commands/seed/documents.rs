//! The demo's know-your-partner documents, through the same flows as the portal and console:
//! Acme Affiliates asks for a government ID before the first payout and, optionally, proof of
//! address; Acme Resellers asks for a company registration before the first payout. Every
//! active partner has its payout document approved (so the demo's payouts still run); Ana's
//! proof of address waits for review, so the console's queue has something in it. Needs the
//! data key, as payout details do; runs once.

use super::payouts::operator;
use app::api::error::AppError;
use app::backend::auth::AuthUser;
use app::backend::data_key::DataKey;
use app::backend::documents::{requirements, review, uploads};
use app::backend::flows::RequestMeta;
use app::backend::mdf::claims::Upload;
use app::backend::repos::users::Account;
use app::backend::repos::{memberships, partner_documents, partners, programs, users};
use app::backend::scope::Scope;
use app::domain::access::PartnerRole;
use app::domain::documents::{Decision, RequirementForm};
use diesel_async::AsyncPgConnection;
use time::{Duration, OffsetDateTime};

/// (program, kind, name, needed before, days an approval is valid)
const REQUIRED: [(&str, &str, &str, &str, Option<i64>); 3] = [
    ("acme-affiliates", "government_id", "", "first_payout", Some(300)),
    ("acme-affiliates", "proof_of_address", "", "optional", None),
    ("acme-resellers", "company_registration", "", "first_payout", None),
];

pub async fn seed(conn: &mut AsyncPgConnection, key: Option<&DataKey>, now: OffsetDateTime) -> Result<(), AppError> {
    let (Some(key), Some(admin)) = (key, operator(conn, "admin@acme.test").await?) else {
        return Ok(());
    };
    if let Some((affiliates, _)) = programs::find_by_slug(conn, "acme-affiliates").await? {
        if !partner_documents::requirements(conn, &[affiliates.id])
            .await?
            .is_empty()
        {
            return Ok(());
        }
    }
    let meta = RequestMeta::default();
    let scope = Scope::everything(conn).await?;
    for (slug, kind, name, needed, valid_days) in REQUIRED {
        let Some((program, _)) = programs::find_by_slug(conn, slug).await? else {
            continue;
        };
        let form = RequirementForm {
            kind: kind.into(),
            name: name.into(),
            help: help(kind).into(),
            needed_before: needed.into(),
        };
        let requirement = requirements::add(conn, &admin.actor(), program.id, &form, &meta, now).await?;
        if needed != "first_payout" {
            continue;
        }
        for partner_id in memberships::active_partner_ids(conn, program.id).await? {
            let Some(owner) = owner(conn, partner_id).await? else {
                continue;
            };
            let file = demo_file(conn, partner_id, &requirement.name).await?;
            let uploaded = upload(conn, key, &owner, partner_id, requirement.id, file, &meta, now).await?;
            let decision = Decision::Approve {
                expires_on: valid_days.map(|days| now.date() + Duration::days(days)),
            };
            review::decide(conn, &admin, &scope, uploaded, &decision, ("", &meta), now).await?;
        }
    }
    // Ana's proof of address waits for an admin or finance operator.
    let (Some(ana), Some((affiliates, _))) = (
        partners::find_by_email(conn, "ana@brightreviews.test").await?,
        programs::find_by_slug(conn, "acme-affiliates").await?,
    ) else {
        return Ok(());
    };
    let address = partner_documents::requirements(conn, &[affiliates.id])
        .await?
        .into_iter()
        .find(|r| r.kind == "proof_of_address");
    if let (Some(address), Some(owner)) = (address, owner(conn, ana.id).await?) {
        let file = demo_file(conn, ana.id, &address.name).await?;
        upload(conn, key, &owner, ana.id, address.id, file, &meta, now).await?;
    }
    Ok(())
}

fn help(kind: &str) -> &'static str {
    match kind {
        "government_id" => {
            "A passport or national ID card of the person who signs for your business: the photo page, readable."
        }
        "proof_of_address" => "A utility bill or bank statement from the last three months.",
        _ => "An extract from the company register, less than a year old.",
    }
}

async fn owner(conn: &mut AsyncPgConnection, partner_id: i64) -> Result<Option<AuthUser>, AppError> {
    Ok(users::partner_owner(conn, partner_id).await?.map(|u| AuthUser {
        id: u.id,
        email: u.email,
        display_name: u.display_name,
        account: Account::Partner {
            partner_id,
            role: PartnerRole::Owner,
        },
        brand_scoped: false,
    }))
}

/// A small PDF that says what it stands for (the demo has no real papers).
async fn demo_file(conn: &mut AsyncPgConnection, partner_id: i64, document: &str) -> Result<Upload, AppError> {
    let partner = partners::get(conn, partner_id).await?;
    let slug: String = document.chars().filter(char::is_ascii_alphanumeric).collect();
    Ok(Upload {
        name: format!("{slug}.pdf"),
        bytes: format!(
            "%PDF-1.4\n% Demo {document} of {}: not a real document.\n%%EOF\n",
            partner.name
        )
        .into_bytes(),
    })
}

#[allow(clippy::too_many_arguments)]
async fn upload(
    conn: &mut AsyncPgConnection,
    key: &DataKey,
    owner: &AuthUser,
    partner_id: i64,
    requirement_id: i64,
    file: Upload,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<i64, AppError> {
    let by = uploads::Uploader {
        user: owner,
        partner_id,
        base_url: "",
        meta,
    };
    Ok(uploads::upload(conn, Some(key), &by, requirement_id, &file, now)
        .await?
        .id)
}
