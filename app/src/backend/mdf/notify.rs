//! Who MDF emails go to and what they name: the partner (`partner_mail`),
//! and the operators who decide what arrived (managers for requests, finance for claims).

use crate::api::error::AppError;
use crate::backend::repos::mdf_funds::FundRow;
use crate::backend::repos::mdf_requests::RequestRow;
use crate::backend::repos::{partners, programs};
use crate::domain::access::OperatorRole;
use crate::domain::emails::EmailContent;
use crate::domain::mdf::activity::Activity;
use crate::domain::mdf::decider::Subject;
use crate::domain::mdf::emails::About;
use diesel_async::AsyncPgConnection;

/// The names an email about one request uses, owned.
pub struct Names {
    pub partner: String,
    pub program: String,
    pub fund: String,
    pub request_id: i64,
    pub activity: String,
    pub url: String,
}

impl Names {
    pub fn about(&self) -> About<'_> {
        About {
            partner: &self.partner,
            program: &self.program,
            fund: &self.fund,
            request_id: self.request_id,
            activity: &self.activity,
            url: &self.url,
        }
    }
}

/// The names for a request; the link opens the portal's page (`for_operators` false) or the
/// console's.
pub async fn names(
    conn: &mut AsyncPgConnection,
    request: &RequestRow,
    fund: &FundRow,
    base_url: &str,
    for_operators: bool,
) -> Result<Names, AppError> {
    let area = if for_operators { "console" } else { "portal" };
    Ok(Names {
        partner: partners::get(conn, request.partner_id).await?.name,
        program: programs::get(conn, fund.program_id).await?.name,
        fund: fund.name.clone(),
        request_id: request.id,
        activity: format!(
            "{} \"{}\"",
            Activity::label_of(&request.activity),
            short(&request.description)
        ),
        url: format!("{base_url}/{area}/mdf/{}", request.id),
    })
}

fn short(text: &str) -> String {
    let first_line = text.lines().next().unwrap_or_default();
    if first_line.chars().count() > 60 {
        format!("{}…", first_line.chars().take(60).collect::<String>())
    } else {
        first_line.to_owned()
    }
}

pub use crate::backend::partner_mail::to_partner;

/// One email, built for each by name, to every active operator whose role may decide
/// `subject` and who may see the fund's program.
pub async fn to_deciders(
    conn: &mut AsyncPgConnection,
    fund: &FundRow,
    subject: Subject,
    content: impl Fn(&str) -> EmailContent,
) -> Result<(), AppError> {
    let roles: Vec<&str> = OperatorRole::ALL
        .into_iter()
        .filter(|r| r.can(subject.permission()))
        .map(OperatorRole::as_str)
        .collect();
    crate::backend::operator_mail::to_operators(conn, &roles, fund.program_id, content).await?;
    Ok(())
}
