//! Who hears about a deal, and the facts their emails name.

use crate::backend::repos::deals::DealRow;
use crate::backend::repos::{outbox, partners, programs};
use crate::domain::deals::emails::DealRef;
use crate::domain::emails::EmailContent;
use diesel::QueryResult;
use diesel_async::AsyncPgConnection;

/// The names and links of one deal's emails.
pub struct DealNames {
    pub partner_name: String,
    pub partner_email: String,
    pub program_name: String,
    pub portal_url: String,
    pub console_url: String,
}

impl DealNames {
    pub async fn load(conn: &mut AsyncPgConnection, deal: &DealRow, base_url: &str) -> QueryResult<Self> {
        let partner = partners::get(conn, deal.partner_id).await?;
        let partner_email = crate::backend::partner_mail::address(conn, &partner).await?;
        let program = programs::get(conn, deal.program_id).await?;
        Ok(Self {
            partner_name: partner.name,
            partner_email,
            program_name: program.name,
            portal_url: format!("{base_url}/portal/deals/{}", deal.id),
            console_url: format!("{base_url}/console/deals/{}", deal.id),
        })
    }

    /// The deal as the partner's emails name it.
    pub fn for_partner<'a>(&'a self, deal: &'a DealRow) -> DealRef<'a> {
        DealRef {
            partner_name: &self.partner_name,
            program_name: &self.program_name,
            company: &deal.company,
            domain: &deal.domain,
            url: &self.portal_url,
        }
    }

    /// The deal as the program team's emails name it.
    pub fn for_operators<'a>(&'a self, deal: &'a DealRow) -> DealRef<'a> {
        DealRef {
            url: &self.console_url,
            ..self.for_partner(deal)
        }
    }

    pub async fn tell_partner(&self, conn: &mut AsyncPgConnection, content: &EmailContent) -> QueryResult<()> {
        outbox::enqueue(conn, &self.partner_email, content).await?;
        Ok(())
    }
}

/// Emails every active deal approver (managers and admins) who may see the deal's program.
pub async fn tell_approvers(
    conn: &mut AsyncPgConnection,
    deal: &DealRow,
    content: impl Fn(&str) -> EmailContent,
) -> QueryResult<()> {
    crate::backend::operator_mail::to_operators(conn, &["manager", "admin"], deal.program_id, content).await?;
    Ok(())
}
