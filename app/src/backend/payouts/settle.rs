//! Settling an approved run's items: paid (with the bank's reference and the date, a
//! self-billing invoice number where the brand self-bills, the MDF requests it carries marked
//! paid, and the partner emailed the statement), or failed (its entries back in the balance,
//! the partner told why). The run is complete when no item is open. A settlement file is
//! checked whole first and then applied in one transaction, or not at all.

use super::{Finance, MISSING_ITEM, MISSING_RUN};
use crate::api::error::AppError;
use crate::backend::mdf::{payments, Act};
use crate::backend::partner_mail;
use crate::backend::repos::payout_runs::{self as repo, ItemRow, RunRow, Settled};
use crate::backend::repos::{brands, partners};
use crate::backend::scope::Whose;
use crate::domain::money;
use crate::domain::payouts::emails;
use crate::domain::payouts::settlement::{self, ItemView, Line, Outcome};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::json;
use std::collections::HashMap;

/// How finance settles one item from the console.
#[derive(Clone, Debug)]
pub enum Settlement {
    Paid { paid_on: String, bank_reference: String },
    Failed { reason: String },
}

pub async fn settle_one(
    conn: &mut AsyncPgConnection,
    fin: &Finance<'_>,
    run_id: i64,
    item_id: i64,
    settlement: &Settlement,
) -> Result<(), AppError> {
    fin.allowed()?;
    conn.transaction::<_, AppError, _>(async |conn| {
        let run = approved_run(conn, fin, run_id).await?;
        let item = repo::lock_item(conn, run_id, item_id)
            .await?
            .ok_or_else(|| AppError::NotFound(MISSING_ITEM.into()))?;
        if item.status != "open" {
            return Err(AppError::Conflict(format!(
                "This item is already {}. Nothing was changed.",
                item.status
            )));
        }
        let outcome = match settlement {
            Settlement::Paid {
                paid_on,
                bank_reference,
            } => {
                let mut errors = crate::domain::validate::FieldErrors::default();
                let date = settlement::parse_date(paid_on)
                    .and_then(|d| settlement::check_paid_on(d, run.created_at.date(), fin.now.date()));
                let reference = settlement::bank_reference(bank_reference);
                if let Err(m) = &date {
                    errors.add("paid_on", m.clone());
                }
                if let Err(m) = &reference {
                    errors.add("bank_reference", m.clone());
                }
                match (date, reference) {
                    (Ok(paid_on), Ok(bank_reference)) => Outcome::Paid {
                        paid_on,
                        bank_reference,
                    },
                    _ => return Err(AppError::Invalid(errors)),
                }
            }
            Settlement::Failed { reason } => Outcome::Failed {
                reason: settlement::failure_reason(reason).map_err(|m| AppError::field("reason", m))?,
            },
        };
        apply(conn, fin, &run, &item, &outcome).await?;
        complete_if_settled(conn, fin, run_id).await
    })
    .await
}

/// Applies a bank's settlement file: every line checked against the run first (unknown
/// references, different amounts, items settled already, repeats, dates), and then all applied
/// or, with any problem, none. Returns how many items were paid and failed.
pub async fn settle_file(
    conn: &mut AsyncPgConnection,
    fin: &Finance<'_>,
    run_id: i64,
    lines: &[Line],
) -> Result<(usize, usize), AppError> {
    fin.allowed()?;
    if lines.is_empty() {
        return Err(AppError::field("file", "The file has no rows after its header."));
    }
    conn.transaction::<_, AppError, _>(async |conn| {
        let run = approved_run(conn, fin, run_id).await?;
        let items = repo::items_of_run(conn, run_id).await?;
        let views: HashMap<String, ItemView> = items
            .iter()
            .map(|i| {
                let view = ItemView {
                    amount: i.amount,
                    currency: i.currency.clone(),
                    status: i.status.clone(),
                };
                (i.reference.clone(), view)
            })
            .collect();
        let problems = settlement::problems(lines, &views, run.created_at.date(), fin.now.date());
        if !problems.is_empty() {
            return Err(AppError::field(
                "file",
                format!("Nothing was applied. {}", problems.join(" ")),
            ));
        }
        let by_reference: HashMap<&str, &ItemRow> = items.iter().map(|i| (i.reference.as_str(), i)).collect();
        let (mut paid, mut failed) = (0, 0);
        for line in lines {
            let item = by_reference[line.reference.as_str()];
            let item = repo::lock_item(conn, run_id, item.id)
                .await?
                .ok_or_else(|| AppError::NotFound(MISSING_ITEM.into()))?;
            match line.outcome {
                Outcome::Paid { .. } => paid += 1,
                Outcome::Failed { .. } => failed += 1,
            }
            apply(conn, fin, &run, &item, &line.outcome).await?;
        }
        complete_if_settled(conn, fin, run_id).await?;
        Ok((paid, failed))
    })
    .await
}

/// The run, locked, if it is the operator's and approved; settling a draft is refused.
async fn approved_run(conn: &mut AsyncPgConnection, fin: &Finance<'_>, run_id: i64) -> Result<RunRow, AppError> {
    let run = repo::get_in_scope(conn, &fin.scope.brands, run_id, true)
        .await?
        .ok_or_else(|| AppError::NotFound(MISSING_RUN.into()))?;
    match run.status.as_str() {
        "approved" => Ok(run),
        "draft" => Err(AppError::Conflict(
            "This run isn't approved yet: a second person in finance approves it before anything is paid. Nothing was changed.".into(),
        )),
        "complete" => Err(AppError::Conflict("This run is complete: every item is settled.".into())),
        _ => Err(AppError::Conflict("This run was discarded.".into())),
    }
}

async fn apply(
    conn: &mut AsyncPgConnection,
    fin: &Finance<'_>,
    run: &RunRow,
    item: &ItemRow,
    outcome: &Outcome,
) -> Result<(), AppError> {
    let partner = partners::get(conn, item.partner_id).await?;
    let brand_name = brands::get(conn, fin.scope, item.brand_id)
        .await?
        .map(|b| b.name)
        .unwrap_or_default();
    let amount = money::format(item.amount, &item.currency);
    match outcome {
        Outcome::Paid {
            paid_on,
            bank_reference,
        } => {
            let self_bills = repo::brand_settings(conn, item.brand_id)
                .await?
                .is_some_and(|s| s.self_billing);
            let invoice_number = if self_bills {
                Some(repo::take_invoice_number(conn, item.brand_id).await?)
            } else {
                None
            };
            repo::settle_item(
                conn,
                item.id,
                &Settled::Paid {
                    paid_on: *paid_on,
                    bank_reference,
                    invoice_number: invoice_number.clone(),
                },
                fin.user.id,
                fin.now,
            )
            .await?;
            let act = Act {
                user: Some(fin.user),
                meta: fin.meta,
                base_url: fin.base_url,
                now: fin.now,
            };
            for request_id in repo::mdf_requests_of_item(conn, item.id).await? {
                payments::mark_paid(conn, &act, Whose::Operator(fin.scope), request_id, &item.reference).await?;
            }
            fin.audit(
                conn,
                "payout_item.paid",
                ("payout_item", item.id),
                json!({
                    "run_id": run.id, "partner_id": item.partner_id, "reference": item.reference,
                    "amount": item.amount.normalize().to_string(), "currency": item.currency,
                    "paid_on": paid_on.to_string(), "bank_reference": bank_reference,
                    "invoice_number": invoice_number,
                }),
            )
            .await?;
            let url = format!("{}/portal/payouts/statements/{}", fin.base_url, item.id);
            let content = emails::payout_sent(&partner.name, &amount, &brand_name, &item.reference, &url);
            partner_mail::to_partner(conn, item.partner_id, &content).await
        }
        Outcome::Failed { reason } => {
            repo::settle_item(conn, item.id, &Settled::Failed { reason }, fin.user.id, fin.now).await?;
            let released = repo::release_entries(conn, run.id, Some(item.id)).await?;
            fin.audit(
                conn,
                "payout_item.failed",
                ("payout_item", item.id),
                json!({
                    "run_id": run.id, "partner_id": item.partner_id, "reference": item.reference,
                    "amount": item.amount.normalize().to_string(), "currency": item.currency,
                    "reason": reason, "released_entries": released,
                }),
            )
            .await?;
            let url = format!("{}/portal/payouts", fin.base_url);
            let content = emails::payout_failed(&partner.name, &amount, &brand_name, reason, &url);
            partner_mail::to_partner(conn, item.partner_id, &content).await
        }
    }
}

async fn complete_if_settled(conn: &mut AsyncPgConnection, fin: &Finance<'_>, run_id: i64) -> Result<(), AppError> {
    if repo::all_settled(conn, run_id).await? && repo::close(conn, run_id, "approved", "complete", fin.now).await? {
        fin.audit(
            conn,
            "payout_run.completed",
            ("payout_run", run_id),
            json!({ "status": "complete" }),
        )
        .await?;
    }
    Ok(())
}
