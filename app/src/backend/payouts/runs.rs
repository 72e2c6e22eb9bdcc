//! Making a payout run, approving it (someone other than its maker) and discarding a draft.
//!
//! Making one is a single transaction under an advisory lock, so runs are made one at a time:
//! the payable entries are gathered and summed per partner, brand and currency in the
//! database; each balance is paid or held back by `domain::payouts::run::decide`; the items
//! and the reasons are inserted, and the entries attached. The partial unique indexes on the
//! item entries are the last word: an entry that an unfailed item holds can't be attached
//! twice, whatever else goes wrong.

use super::{Finance, MISSING_RUN};
use crate::api::error::AppError;
use crate::backend::repos::payout_runs::{self as repo, NewItems, NewSkips, RunRow};
use crate::domain::payouts::run::{self, Balance, Outcome, Standing};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::json;
use std::collections::HashMap;
use time::{Date, Duration, OffsetDateTime, Time};

/// What finance asks for: one brand or all of theirs, as of a day.
#[derive(Clone, Debug)]
pub struct RunRequest {
    pub brand_id: Option<i64>,
    pub as_of: Date,
}

/// What a new run holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Made {
    pub run_id: i64,
    pub items: usize,
    pub skips: usize,
    pub entries: usize,
}

pub async fn create(conn: &mut AsyncPgConnection, fin: &Finance<'_>, request: &RunRequest) -> Result<Made, AppError> {
    fin.allowed()?;
    let brands = match request.brand_id {
        Some(id) if fin.scope.has_brand(id) => vec![id],
        Some(_) => {
            return Err(AppError::field(
                "brand_id",
                "Choose one of your brands, or all of them.",
            ))
        }
        None if fin.scope.brands.is_empty() => {
            return Err(AppError::field("brand_id", "You have no brand to pay partners for."))
        }
        None => fin.scope.brands.clone(),
    };
    let today = fin.now.date();
    if request.as_of > today {
        return Err(AppError::field(
            "as_of",
            "A run gathers what is payable already: choose today or an earlier day.",
        ));
    }
    // Payable by the end of the chosen day, but never later than now.
    let cutoff = OffsetDateTime::new_utc(request.as_of + Duration::days(1), Time::MIDNIGHT).min(fin.now);
    conn.transaction::<_, AppError, _>(async |conn| {
        repo::lock_runs(conn).await?;
        let run = repo::insert_run(conn, &brands, request.as_of, fin.user.id, fin.now).await?;
        let entries = repo::gather(conn, &brands, cutoff).await?;
        let (items, skips) = decide_all(conn, &run, &brands, fin.now).await?;
        repo::insert_items(conn, run.id, &items).await.map_err(entry_taken)?;
        repo::insert_skips(conn, run.id, &skips).await?;
        let made = Made {
            run_id: run.id,
            items: items.partner_ids.len(),
            skips: skips.partner_ids.len(),
            entries,
        };
        fin.audit(
            conn,
            "payout_run.created",
            ("payout_run", run.id),
            json!({
                "brand_ids": brands, "as_of": request.as_of.to_string(),
                "items": made.items, "skipped": made.skips, "entries": entries,
            }),
        )
        .await?;
        Ok(made)
    })
    .await
}

/// An entry already held by an unfailed item: only possible if the lock was bypassed, and then
/// the whole run is refused.
fn entry_taken(error: DieselError) -> AppError {
    match error {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, ref info)
            if info
                .constraint_name()
                .is_some_and(|name| repo::ONE_ITEM_PER_ENTRY.contains(&name)) =>
        {
            AppError::Conflict(
                "Another payout run took some of the same entries at the same moment. Nothing was made; make the run again to gather what is left.".into(),
            )
        }
        other => other.into(),
    }
}

/// Each gathered balance paid or held back.
async fn decide_all(
    conn: &mut AsyncPgConnection,
    run: &RunRow,
    brands: &[i64],
    now: OffsetDateTime,
) -> Result<(NewItems, NewSkips), AppError> {
    let groups = repo::groups(conn).await?;
    let mut partner_ids: Vec<i64> = groups.iter().map(|g| g.partner_id).collect();
    partner_ids.dedup();
    let facts: HashMap<i64, repo::PartnerFacts> = repo::partner_facts(conn, &partner_ids)
        .await?
        .into_iter()
        .map(|f| (f.partner_id, f))
        .collect();
    let methods: HashMap<(i64, String), i64> = repo::current_methods(conn, &partner_ids)
        .await?
        .into_iter()
        .map(|m| ((m.partner_id, m.currency), m.method_id))
        .collect();
    let holds: HashMap<(i64, i64), String> = repo::holds(conn, brands, &partner_ids)
        .await?
        .into_iter()
        .map(|h| ((h.partner_id, h.brand_id), h.why))
        .collect();
    let documents =
        crate::backend::documents::standing::unmet_before_payout(conn, &partner_ids, brands, now.date()).await?;
    let (mut items, mut skips) = (NewItems::default(), NewSkips::default());
    for group in groups {
        let method = methods.get(&(group.partner_id, group.currency.clone())).copied();
        let fact = facts.get(&group.partner_id);
        let standing = Standing {
            on_hold: holds.get(&(group.partner_id, group.brand_id)).cloned(),
            has_method: method.is_some(),
            review_until: fact.and_then(|f| f.review_until),
            tax_form: fact.and_then(|f| f.tax_form.clone()),
            country: fact.map(|f| f.country.clone()).unwrap_or_default(),
            documents_missing: documents
                .get(&(group.partner_id, group.brand_id))
                .cloned()
                .unwrap_or_default(),
        };
        let balance = Balance {
            amount: group.amount,
            currency: group.currency.clone(),
            minimum: group.minimum,
        };
        let entries = i32::try_from(group.entries).unwrap_or(i32::MAX);
        match (run::decide(&balance, &standing, now), method) {
            (Outcome::Pay, None) => {
                return Err(crate::backend::errors::internal(
                    "a payable balance without a payout method",
                ))
            }
            (Outcome::Pay, Some(method_id)) => {
                items.references.push(run::reference(
                    run.id,
                    group.partner_id,
                    group.brand_id,
                    &group.currency,
                ));
                items.partner_ids.push(group.partner_id);
                items.brand_ids.push(group.brand_id);
                items.currencies.push(group.currency);
                items.amounts.push(group.amount);
                items.entries.push(entries);
                items.method_ids.push(method_id);
            }
            (Outcome::Skip(reason, detail), _) => {
                skips.partner_ids.push(group.partner_id);
                skips.brand_ids.push(group.brand_id);
                skips.currencies.push(group.currency);
                skips.amounts.push(group.amount);
                skips.entries.push(entries);
                skips.reasons.push(reason.as_str().to_owned());
                skips.details.push(detail);
            }
        }
    }
    Ok((items, skips))
}

/// The run, locked, if all its brands are the operator's.
async fn locked_run(conn: &mut AsyncPgConnection, fin: &Finance<'_>, run_id: i64) -> Result<RunRow, AppError> {
    repo::get_in_scope(conn, &fin.scope.brands, run_id, true)
        .await?
        .ok_or_else(|| AppError::NotFound(MISSING_RUN.into()))
}

/// Approves a draft: someone in finance other than its maker. Approval locks the run; its
/// files can be downloaded and its items settled from then on.
pub async fn approve(conn: &mut AsyncPgConnection, fin: &Finance<'_>, run_id: i64) -> Result<(), AppError> {
    fin.allowed()?;
    conn.transaction::<_, AppError, _>(async |conn| {
        let run = locked_run(conn, fin, run_id).await?;
        match run.status.as_str() {
            "draft" => {}
            "discarded" => return Err(AppError::Conflict("This run was discarded; make a new one.".into())),
            _ => {
                return Err(AppError::Conflict(
                    "This run is approved already. Nothing was changed.".into(),
                ))
            }
        }
        if run.created_by == fin.user.id {
            return Err(AppError::Conflict(
                "You made this run, so someone else in finance must approve it (four eyes). Nothing was changed."
                    .into(),
            ));
        }
        if !repo::approve(conn, run_id, fin.user.id, fin.now).await? {
            return Err(AppError::Conflict(
                "This run is approved already. Nothing was changed.".into(),
            ));
        }
        fin.audit(
            conn,
            "payout_run.approved",
            ("payout_run", run_id),
            json!({ "status": "approved" }),
        )
        .await
    })
    .await
}

/// Discards a draft: its entries are back in the partners' balances for the next run.
pub async fn discard(conn: &mut AsyncPgConnection, fin: &Finance<'_>, run_id: i64) -> Result<(), AppError> {
    fin.allowed()?;
    conn.transaction::<_, AppError, _>(async |conn| {
        let run = locked_run(conn, fin, run_id).await?;
        if run.status != "draft" {
            return Err(AppError::Conflict(
                "Only a draft can be discarded; an approved run is settled item by item.".into(),
            ));
        }
        let released = repo::release_entries(conn, run_id, None).await?;
        repo::close(conn, run_id, "draft", "discarded", fin.now).await?;
        fin.audit(
            conn,
            "payout_run.discarded",
            ("payout_run", run_id),
            json!({ "released_entries": released }),
        )
        .await
    })
    .await
}
