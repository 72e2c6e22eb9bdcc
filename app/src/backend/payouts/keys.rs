//! The data key against what the database holds: `trellis serve` refuses to start when sealed
//! payout details, partner documents or two-factor secrets exist and the key is missing or
//! another one, and
//! `trellis rotate-key` re-seals everything under a new key in one transaction.

use super::details::ACCOUNT_CONTEXT;
use crate::backend::data_key::{context, DataKey};
use crate::backend::documents::seal_context;
use crate::backend::repos::partner_documents as documents;
use crate::backend::repos::payout_details as repo;
use crate::backend::repos::two_factor;
use diesel_async::{AsyncConnection, AsyncPgConnection};

/// Ok when every sealed value can be opened with `key`, judged by the key ids stored beside them.
pub async fn check(conn: &mut AsyncPgConnection, key: Option<&DataKey>) -> Result<(), String> {
    let read = |e: diesel::result::Error| format!("cannot read the data key ids: {e}");
    let mut ids = repo::key_ids(conn).await.map_err(read)?;
    ids.extend(documents::key_ids(conn).await.map_err(read)?);
    ids.extend(two_factor::key_ids(conn).await.map_err(read)?);
    ids.sort();
    ids.dedup();
    match (key, ids.as_slice()) {
        (_, []) => Ok(()),
        (None, _) => Err(format!(
            "this database holds encrypted payout details, partner documents or two-factor secrets (key {}), but no data key is set: set TRELLIS_DATA_KEY, or TRELLIS_DATA_KEY_FILE, to the key they were sealed with",
            ids.join(", ")
        )),
        (Some(key), ids) => match ids.iter().find(|id| *id != key.id()) {
            None => Ok(()),
            Some(other) => Err(format!(
                "payout details, documents or two-factor secrets in this database were sealed with data key {other}, but the key set is {}: set the key they were sealed with (run trellis rotate-key to move to a new one)",
                key.id()
            )),
        },
    }
}

#[derive(Debug, thiserror::Error)]
enum RotateError {
    #[error("database error while re-sealing: {0}")]
    Database(#[from] diesel::result::Error),
    #[error("{0}")]
    Refused(String),
}

/// Re-seals every sealed value (current and replaced rows) from `old` to `new`, all or nothing.
/// Returns how many values were re-sealed.
pub async fn rotate(conn: &mut AsyncPgConnection, old: &DataKey, new: &DataKey) -> Result<usize, String> {
    let reseal = |partner_id: i64, field: &str, sealed: &[u8]| -> Result<Vec<u8>, RotateError> {
        let ctx = context(partner_id, field);
        let plain = old
            .open(sealed, &ctx)
            .map_err(|e| RotateError::Refused(e.to_string()))?;
        Ok(new.seal(&plain, &ctx))
    };
    conn.transaction::<_, RotateError, _>(async |conn| {
        check(conn, Some(old)).await.map_err(RotateError::Refused)?;
        let mut count = 0;
        for (id, partner_id, sealed) in repo::sealed_accounts(conn).await? {
            let resealed = reseal(partner_id, ACCOUNT_CONTEXT, &sealed)?;
            repo::reseal_account(conn, id, &resealed, new.id()).await?;
            count += 1;
        }
        for (id, partner_id, tin, vat) in repo::sealed_tax(conn).await? {
            let tin = tin.map(|t| reseal(partner_id, "tin", &t)).transpose()?;
            let vat = vat.map(|v| reseal(partner_id, "vat_id", &v)).transpose()?;
            count += usize::from(tin.is_some()) + usize::from(vat.is_some());
            repo::reseal_tax(conn, id, tin.as_deref(), vat.as_deref(), new.id()).await?;
        }
        // Files one at a time, so only one is in memory.
        for (id, partner_id, requirement_id) in documents::all_ids(conn).await? {
            let ctx = seal_context(partner_id, requirement_id);
            let plain = old
                .open_bytes(&documents::sealed_bytes(conn, id).await?, &ctx)
                .map_err(|e| RotateError::Refused(e.to_string()))?;
            documents::reseal(conn, id, &new.seal_bytes(&plain, &ctx), new.id()).await?;
            count += 1;
        }
        for (user_id, sealed) in two_factor::sealed_secrets(conn).await? {
            let ctx = crate::backend::two_factor::seal_context(user_id);
            let plain = old
                .open_bytes(&sealed, &ctx)
                .map_err(|e| RotateError::Refused(e.to_string()))?;
            two_factor::reseal(conn, user_id, &new.seal_bytes(&plain, &ctx), new.id()).await?;
            count += 1;
        }
        Ok(count)
    })
    .await
    .map_err(|e| e.to_string())
}
