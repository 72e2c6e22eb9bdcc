//! Claims: the partner files one for an approved request, with proof files, before the
//! deadline; finance approves it (up to the amount claimed, which is at most the approved
//! amount; never the person who approved the request) and it becomes payable, or rejects it
//! with a reason and the partner may file again.

use super::{apply_step, known, locked, notify, record, require_reason, Act};
use crate::api::error::AppError;
use crate::backend::repos::mdf_files::{self, NewFile};
use crate::backend::repos::mdf_requests::{self, ClaimRow, NewClaim};
use crate::backend::scope::{Scope, Whose};
use crate::domain::mdf::balance::{step, Request, Step};
use crate::domain::mdf::claim::{self, ClaimForm};
use crate::domain::mdf::decider::{Subject, Verdict};
use crate::domain::mdf::{emails, upload};
use crate::domain::money;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

/// One uploaded file as it arrived.
#[derive(Clone, Debug)]
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Checks the files: at least one, at most `MAX_FILES`, each of an accepted kind and size.
pub fn check_files(files: &[Upload]) -> Result<Vec<(String, upload::Kind)>, String> {
    if files.is_empty() {
        return Err(format!(
            "Attach at least one proof of performance: {}",
            upload::LIMITS_TEXT
        ));
    }
    if files.len() > upload::MAX_FILES {
        return Err(format!("Attach at most {} files.", upload::MAX_FILES));
    }
    files
        .iter()
        .map(|f| upload::check(&f.name, &f.bytes).map(|kind| (upload::safe_filename(&f.name), kind)))
        .collect()
}

pub async fn file(
    conn: &mut AsyncPgConnection,
    act: &Act<'_>,
    partner_id: i64,
    request_id: i64,
    form: &ClaimForm,
    files: &[Upload],
) -> Result<ClaimRow, AppError> {
    conn.transaction::<_, AppError, _>(async |conn| {
        let (request, fund) = locked(conn, request_id, Whose::Partner(partner_id)).await?;
        let open = mdf_requests::open_claim(conn, request_id).await?;
        let before = known(mdf_requests::state(&request, open.as_ref()))?;
        let Request::Approved { approved } = before else {
            let why = step(before, Step::Claim(Decimal::ONE)).err().unwrap_or_default();
            return Err(AppError::Conflict(format!("You can't file a claim now. {why}")));
        };
        let form_checked = claim::validate(form, &fund.currency, approved, request.claim_deadline, act.now);
        let (valid, checked) = match (form_checked, check_files(files)) {
            (Ok(valid), Ok(checked)) => (valid, checked),
            (form_checked, files_checked) => {
                let mut errors = form_checked.err().unwrap_or_default();
                if let Err(message) = files_checked {
                    errors.add("files", message);
                }
                return Err(AppError::Invalid(errors));
            }
        };
        let after = step(before, Step::Claim(valid.amount)).map_err(|m| AppError::field("amount", m))?;
        let claim = mdf_requests::insert_claim(
            conn,
            &NewClaim {
                request_id,
                partner_id,
                amount: valid.amount,
                actual_cost: valid.actual_cost,
                leads: valid.leads,
                attendees: valid.attendees,
                notes: valid.notes.clone(),
                submitted_at: act.now,
            },
        )
        .await?;
        for (file, (filename, kind)) in files.iter().zip(checked) {
            mdf_files::insert(
                conn,
                &NewFile {
                    claim_id: claim.id,
                    partner_id,
                    filename,
                    content_type: kind.content_type().into(),
                    size_bytes: i32::try_from(file.bytes.len()).unwrap_or(i32::MAX),
                    sha256: Sha256::digest(&file.bytes).to_vec(),
                    data: file.bytes.clone(),
                    uploaded_at: act.now,
                },
            )
            .await?;
        }
        apply_step(conn, &fund, partner_id, before, after, act.now).await?;
        mdf_requests::set_status(conn, request_id, after.status()).await?;
        let note = format!(
            "{} file(s); actual cost {}",
            files.len(),
            money::format(valid.actual_cost, &fund.currency)
        );
        record(
            conn,
            act,
            fund.id,
            partner_id,
            Some(request_id),
            "claimed",
            Some(valid.amount),
            Some(&note),
            None,
        )
        .await?;
        let names = notify::names(conn, &request, &fund, act.base_url, true).await?;
        let amount = money::format(valid.amount, &fund.currency);
        notify::to_deciders(conn, &fund, Subject::Claim, |operator| {
            emails::claim_filed(operator, &names.about(), &amount, files.len())
        })
        .await?;
        Ok(claim)
    })
    .await
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClaimDecision {
    Approve(Decimal),
    Reject(String),
}

/// Decides the waiting claim of a request of a program in the operator's `scope`.
pub async fn decide(
    conn: &mut AsyncPgConnection,
    act: &Act<'_>,
    scope: &Scope,
    request_id: i64,
    decision: &ClaimDecision,
) -> Result<Request, AppError> {
    let verdict = match decision {
        ClaimDecision::Approve(_) => Verdict::Approve,
        ClaimDecision::Reject(_) => Verdict::Refuse,
    };
    // The role first, before anything is read; who approved the request once it is locked.
    act.may_decide(Subject::Claim, verdict, None)?;
    if let ClaimDecision::Reject(reason) = decision {
        require_reason(reason, "Say why you reject the claim: the partner reads it.")?;
    }
    conn.transaction::<_, AppError, _>(async |conn| {
        let (request, fund) = locked(conn, request_id, Whose::Operator(scope)).await?;
        let operator = act.may_decide(Subject::Claim, verdict, request.decided_by)?;
        let open = mdf_requests::open_claim(conn, request_id).await?;
        let before = known(mdf_requests::state(&request, open.as_ref()))?;
        let (Request::Claimed { claimed, .. }, Some(claim)) = (before, open) else {
            return Err(AppError::Conflict(format!(
                "Request #{request_id} has no claim waiting for review. Nothing was changed; reload to see it."
            )));
        };
        let wanted = match decision {
            ClaimDecision::Approve(amount) => Step::ApproveClaim(*amount),
            ClaimDecision::Reject(_) => Step::RejectClaim,
        };
        let after = step(before, wanted).map_err(|m| AppError::field("amount", m))?;
        apply_step(conn, &fund, request.partner_id, before, after, act.now).await?;
        mdf_requests::set_status(conn, request_id, after.status()).await?;
        let names = notify::names(conn, &request, &fund, act.base_url, false).await?;
        let fmt = |a: Decimal| money::format(a, &fund.currency);
        let before_json = Some(
            serde_json::json!({"status": "claimed", "claim_id": claim.id, "claimed": claimed.normalize().to_string()}),
        );
        let content = match decision {
            ClaimDecision::Approve(amount) => {
                mdf_requests::decide_claim(conn, claim.id, "approved", Some(*amount), None, operator, act.now).await?;
                record(
                    conn,
                    act,
                    fund.id,
                    request.partner_id,
                    Some(request_id),
                    "claim_approved",
                    Some(*amount),
                    None,
                    before_json,
                )
                .await?;
                emails::claim_approved(&names.about(), &fmt(*amount), &fmt(claimed))
            }
            ClaimDecision::Reject(reason) => {
                let reason = reason.trim();
                mdf_requests::decide_claim(conn, claim.id, "rejected", None, Some(reason), operator, act.now).await?;
                record(
                    conn,
                    act,
                    fund.id,
                    request.partner_id,
                    Some(request_id),
                    "claim_rejected",
                    Some(claimed),
                    Some(reason),
                    before_json,
                )
                .await?;
                emails::claim_rejected(&names.about(), reason, &claim::last_day_text(request.claim_deadline))
            }
        };
        notify::to_partner(conn, request.partner_id, &content).await?;
        Ok(after)
    })
    .await
}
