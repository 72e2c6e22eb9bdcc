//! The approved run's files: the SEPA credit transfer file per brand (the only place account
//! numbers leave the server unmasked: opened here, written into the file, and the download
//! audited), and the PayPal, Wise and generic CSVs, which never hold an account number.

use super::details;
use super::{Finance, MISSING_RUN};
use crate::api::error::AppError;
use crate::backend::data_key::DataKey;
use crate::backend::repos::payout_runs::{self as repo, RunRow};
use crate::domain::payouts::exports::{self, ExportItem, Format};
use crate::domain::payouts::sepa::{self, Batch, Debtor, Transfer};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::json;
use time::Duration;

/// A downloadable file.
pub struct File {
    pub name: String,
    pub body: String,
}

/// The run if it is the operator's and approved (or complete): files exist only for runs a
/// second person has approved.
async fn approved(conn: &mut AsyncPgConnection, fin: &Finance<'_>, run_id: i64) -> Result<RunRow, AppError> {
    fin.allowed()?;
    let run = repo::get_in_scope(conn, &fin.scope.brands, run_id, false)
        .await?
        .ok_or_else(|| AppError::NotFound(MISSING_RUN.into()))?;
    if !matches!(run.status.as_str(), "approved" | "complete") {
        return Err(AppError::Conflict(
            "Files are made for approved runs only: a second person in finance approves the run first.".into(),
        ));
    }
    Ok(run)
}

/// The PayPal, Wise or generic CSV.
pub async fn csv(
    conn: &mut AsyncPgConnection,
    fin: &Finance<'_>,
    run_id: i64,
    format: Format,
) -> Result<File, AppError> {
    approved(conn, fin, run_id).await?;
    let items: Vec<ExportItem> = repo::all_item_lines(conn, run_id)
        .await?
        .into_iter()
        .map(|d| ExportItem {
            reference: d.reference,
            partner_name: d.partner_name,
            brand_name: d.brand_name,
            currency: d.currency,
            amount: d.amount,
            kind: d.kind,
            email: d.email,
            account_last4: d.account_last4,
            bank_code: d.bank_code,
            entries: d.entries,
            status: d.status,
        })
        .collect();
    let (body, _) = exports::csv(format, &items);
    Ok(File {
        name: format!("payout-run-{run_id}-{}.csv", format.slug()),
        body,
    })
}

/// The SEPA credit transfer file of one brand's open SEPA items. Account numbers are opened
/// with the data key; the download is audited, in the same transaction that reads them.
pub async fn sepa_file(
    conn: &mut AsyncPgConnection,
    fin: &Finance<'_>,
    key: Option<&DataKey>,
    run_id: i64,
    brand_id: i64,
) -> Result<File, AppError> {
    let key = key.ok_or_else(|| {
        AppError::Conflict(
            "This installation has no data key (TRELLIS_DATA_KEY), so account numbers can't be read.".into(),
        )
    })?;
    conn.transaction::<_, AppError, _>(async |conn| {
        approved(conn, fin, run_id).await?;
        let brand = crate::backend::repos::brands::get(conn, fin.scope, brand_id)
            .await?
            .ok_or_else(|| AppError::NotFound("That brand doesn't exist.".into()))?;
        let settings = repo::brand_settings(conn, brand_id).await?;
        let Some(debtor_iban) = settings.as_ref().and_then(|s| s.debtor_iban.clone()) else {
            return Err(AppError::Conflict(format!(
                "{} has no account to pay from yet: add its IBAN under Payouts → Settings.",
                brand.name
            )));
        };
        let mut transfers = Vec::new();
        for item in repo::all_item_lines(conn, run_id).await? {
            if item.brand_id != brand_id || item.kind != "sepa" || item.status != "open" || item.currency != "EUR" {
                continue;
            }
            let sealed = item.account_sealed.as_deref().unwrap_or_default();
            let iban = details::open_sealed_account(key, item.partner_id, sealed).map_err(|_| {
                AppError::Conflict(format!(
                    "The account of item {} can't be opened with this data key.",
                    item.reference
                ))
            })?;
            transfers.push(Transfer {
                remittance: format!("{} partner payout {}", brand.name, item.reference),
                end_to_end_id: item.reference,
                amount: item.amount,
                creditor_name: item.account_holder.unwrap_or(item.partner_name),
                iban,
                bic: item.bank_code,
            });
        }
        if transfers.is_empty() {
            return Err(AppError::Conflict(format!(
                "This run has no open SEPA payments for {}.",
                brand.name
            )));
        }
        let count = transfers.len();
        let batch = Batch {
            message_id: format!("TRELLIS-RUN{run_id}-B{brand_id}-{}", fin.now.unix_timestamp()),
            created_at: fin.now,
            execution_date: (fin.now + Duration::days(1)).date(),
            debtor: Debtor {
                name: brand.legal_name.clone(),
                iban: debtor_iban,
                bic: settings.and_then(|s| s.debtor_bic),
            },
            transfers,
        };
        let body = sepa::document(&batch);
        fin.audit(
            conn,
            "payout_run.sepa_downloaded",
            ("payout_run", run_id),
            json!({
                "brand_id": brand_id, "transfers": count,
                "control_sum": sepa::amount(sepa::control_sum(&batch.transfers)),
                "message_id": batch.message_id,
            }),
        )
        .await?;
        Ok(File {
            name: format!("payout-run-{run_id}-{}-sepa.xml", brand.slug),
            body,
        })
    })
    .await
}
