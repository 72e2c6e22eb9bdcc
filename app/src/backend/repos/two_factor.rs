//! Rows of two-factor sign-in: each person's sealed TOTP secret, their recovery codes (hashed),
//! and who must use it (operators by an installation setting, partners by their programs').

use crate::backend::schema::{
    installation_settings, program_memberships, program_two_factor, programs, user_recovery_codes, user_totp,
};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = user_totp)]
pub struct TotpRow {
    pub user_id: i64,
    pub secret_sealed: Vec<u8>,
    pub key_id: String,
    pub confirmed_at: Option<OffsetDateTime>,
    pub last_step: i64,
}

pub async fn find(conn: &mut AsyncPgConnection, user_id: i64) -> QueryResult<Option<TotpRow>> {
    user_totp::table
        .find(user_id)
        .select(TotpRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// The row locked for the rest of the transaction: two codes checked at once take turns, so
/// one code can't be accepted twice.
pub async fn find_for_update(conn: &mut AsyncPgConnection, user_id: i64) -> QueryResult<Option<TotpRow>> {
    user_totp::table
        .find(user_id)
        .select(TotpRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// Starts (or starts over) setting up: a new secret, not confirmed yet. Refused (0 rows) when
/// two-factor sign-in is already on, so a stolen session can't swap the secret.
pub async fn put_pending(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    sealed: &[u8],
    key_id: &str,
) -> QueryResult<usize> {
    diesel::sql_query(
        "INSERT INTO user_totp (user_id, secret_sealed, key_id) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE
           SET secret_sealed = EXCLUDED.secret_sealed, key_id = EXCLUDED.key_id, last_step = 0, created_at = now()
           WHERE user_totp.confirmed_at IS NULL",
    )
    .bind::<diesel::sql_types::Int8, _>(user_id)
    .bind::<diesel::sql_types::Bytea, _>(sealed)
    .bind::<diesel::sql_types::Text, _>(key_id)
    .execute(conn)
    .await
}

pub async fn confirm(conn: &mut AsyncPgConnection, user_id: i64, step: i64, now: OffsetDateTime) -> QueryResult<()> {
    diesel::update(user_totp::table.find(user_id))
        .set((user_totp::confirmed_at.eq(now), user_totp::last_step.eq(step)))
        .execute(conn)
        .await
        .map(drop)
}

/// Records the step of a code just accepted.
pub async fn use_step(conn: &mut AsyncPgConnection, user_id: i64, step: i64) -> QueryResult<()> {
    diesel::update(user_totp::table.find(user_id))
        .set(user_totp::last_step.eq(step))
        .execute(conn)
        .await
        .map(drop)
}

/// Turns it off: the secret and every recovery code go.
pub async fn remove(conn: &mut AsyncPgConnection, user_id: i64) -> QueryResult<()> {
    diesel::delete(user_recovery_codes::table.filter(user_recovery_codes::user_id.eq(user_id)))
        .execute(conn)
        .await?;
    diesel::delete(user_totp::table.find(user_id))
        .execute(conn)
        .await
        .map(drop)
}

/// Replaces the person's recovery codes with these hashes.
pub async fn replace_recovery_codes(conn: &mut AsyncPgConnection, user_id: i64, hashes: &[Vec<u8>]) -> QueryResult<()> {
    diesel::delete(user_recovery_codes::table.filter(user_recovery_codes::user_id.eq(user_id)))
        .execute(conn)
        .await?;
    let rows: Vec<_> = hashes
        .iter()
        .map(|h| {
            (
                user_recovery_codes::user_id.eq(user_id),
                user_recovery_codes::code_hash.eq(h),
            )
        })
        .collect();
    diesel::insert_into(user_recovery_codes::table)
        .values(rows)
        .execute(conn)
        .await
        .map(drop)
}

/// Uses the unused recovery code with this hash; false when there is none (wrong, or used).
pub async fn use_recovery_code(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    hash: &[u8],
    now: OffsetDateTime,
) -> QueryResult<bool> {
    let used = diesel::update(
        user_recovery_codes::table
            .filter(user_recovery_codes::user_id.eq(user_id))
            .filter(user_recovery_codes::code_hash.eq(hash))
            .filter(user_recovery_codes::used_at.is_null()),
    )
    .set(user_recovery_codes::used_at.eq(now))
    .execute(conn)
    .await?;
    Ok(used == 1)
}

pub async fn recovery_codes_left(conn: &mut AsyncPgConnection, user_id: i64) -> QueryResult<i64> {
    user_recovery_codes::table
        .filter(user_recovery_codes::user_id.eq(user_id))
        .filter(user_recovery_codes::used_at.is_null())
        .count()
        .get_result(conn)
        .await
}

/// Every sealed secret, for checking and rotating the data key.
pub async fn sealed_secrets(conn: &mut AsyncPgConnection) -> QueryResult<Vec<(i64, Vec<u8>)>> {
    user_totp::table
        .select((user_totp::user_id, user_totp::secret_sealed))
        .order(user_totp::user_id)
        .load(conn)
        .await
}

pub async fn key_ids(conn: &mut AsyncPgConnection) -> QueryResult<Vec<String>> {
    user_totp::table.select(user_totp::key_id).distinct().load(conn).await
}

pub async fn reseal(conn: &mut AsyncPgConnection, user_id: i64, sealed: &[u8], key_id: &str) -> QueryResult<()> {
    diesel::update(user_totp::table.find(user_id))
        .set((user_totp::secret_sealed.eq(sealed), user_totp::key_id.eq(key_id)))
        .execute(conn)
        .await
        .map(drop)
}

pub async fn operators_need_it(conn: &mut AsyncPgConnection) -> QueryResult<bool> {
    installation_settings::table
        .select(installation_settings::operators_need_two_factor)
        .first(conn)
        .await
}

pub async fn set_operators_need_it(conn: &mut AsyncPgConnection, required: bool) -> QueryResult<()> {
    diesel::update(installation_settings::table)
        .set((
            installation_settings::operators_need_two_factor.eq(required),
            installation_settings::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// The programs of this partner that ask for two-factor sign-in (a pending applicant's people
/// are asked too; a rejected one's are not).
pub async fn programs_requiring(conn: &mut AsyncPgConnection, partner_id: i64) -> QueryResult<Vec<String>> {
    program_memberships::table
        .inner_join(programs::table.inner_join(program_two_factor::table))
        .filter(program_memberships::partner_id.eq(partner_id))
        .filter(program_memberships::status.ne("rejected"))
        .select(programs::name)
        .order(programs::name)
        .load(conn)
        .await
}

pub async fn program_requires(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(program_two_factor::table.find(program_id)))
        .get_result(conn)
        .await
}

pub async fn set_program_requires(conn: &mut AsyncPgConnection, program_id: i64, required: bool) -> QueryResult<()> {
    if required {
        diesel::insert_into(program_two_factor::table)
            .values(program_two_factor::program_id.eq(program_id))
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
    } else {
        diesel::delete(program_two_factor::table.find(program_id))
            .execute(conn)
            .await?;
    }
    Ok(())
}
