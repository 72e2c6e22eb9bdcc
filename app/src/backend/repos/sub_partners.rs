//! Sub-partner links (who is whose master, per program) and masters' invitation codes.

use crate::backend::schema::{partners, sub_partner_invites, sub_partner_links};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;

#[derive(QueryableByName)]
struct Master {
    #[diesel(sql_type = BigInt)]
    master_id: i64,
}

/// The partner's masters, nearest first, at most `levels` deep.
pub async fn masters(
    mut conn: &AsyncPgConnection,
    program_id: i64,
    partner_id: i64,
    levels: usize,
) -> QueryResult<Vec<i64>> {
    if levels == 0 {
        return Ok(Vec::new());
    }
    let rows: Vec<Master> = diesel::sql_query(
        "WITH RECURSIVE chain (master_id, depth) AS (
             SELECT master_id, 1 FROM sub_partner_links WHERE program_id = $1 AND partner_id = $2
             UNION ALL
             SELECT l.master_id, chain.depth + 1 FROM sub_partner_links l
             JOIN chain ON l.program_id = $1 AND l.partner_id = chain.master_id
             WHERE chain.depth < $3
         ) SELECT master_id FROM chain ORDER BY depth",
    )
    .bind::<BigInt, _>(program_id)
    .bind::<BigInt, _>(partner_id)
    .bind::<Integer, _>(levels as i32)
    .load(&mut conn)
    .await?;
    Ok(rows.into_iter().map(|m| m.master_id).collect())
}

/// The partner's master in the program, if any.
pub async fn master_of(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    partner_id: i64,
) -> QueryResult<Option<(i64, String)>> {
    sub_partner_links::table
        .inner_join(partners::table.on(partners::id.eq(sub_partner_links::master_id)))
        .filter(sub_partner_links::program_id.eq(program_id))
        .filter(sub_partner_links::partner_id.eq(partner_id))
        .select((partners::id, partners::name))
        .first(conn)
        .await
        .optional()
}

/// The partner's direct sub-partners in the program: (id, name).
pub async fn subs_of(conn: &mut AsyncPgConnection, program_id: i64, master_id: i64) -> QueryResult<Vec<(i64, String)>> {
    sub_partner_links::table
        .inner_join(partners::table.on(partners::id.eq(sub_partner_links::partner_id)))
        .filter(sub_partner_links::program_id.eq(program_id))
        .filter(sub_partner_links::master_id.eq(master_id))
        .order(partners::name.asc())
        .select((partners::id, partners::name))
        .load(conn)
        .await
}

/// Serializes changes to a program's sub-partner links, so two changes can't close a cycle
/// between them.
pub async fn lock_program(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<()> {
    diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended('sub-partners:' || $1, 0))")
        .bind::<BigInt, _>(program_id)
        .execute(conn)
        .await
        .map(drop)
}

/// Whether `candidate` is `partner_id` itself or one of its subs at any depth.
pub async fn is_below(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    partner_id: i64,
    candidate: i64,
) -> QueryResult<bool> {
    #[derive(QueryableByName)]
    struct Found {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        found: bool,
    }
    let row: Found = diesel::sql_query(
        "WITH RECURSIVE below (id) AS (
             SELECT $2::bigint
             UNION
             SELECT l.partner_id FROM sub_partner_links l JOIN below ON l.program_id = $1 AND l.master_id = below.id
         ) SELECT EXISTS (SELECT 1 FROM below WHERE id = $3) AS found",
    )
    .bind::<BigInt, _>(program_id)
    .bind::<BigInt, _>(partner_id)
    .bind::<BigInt, _>(candidate)
    .get_result(conn)
    .await?;
    Ok(row.found)
}

pub async fn set_master(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    partner_id: i64,
    master_id: i64,
    created_by: Option<i64>,
    now: OffsetDateTime,
) -> QueryResult<()> {
    diesel::insert_into(sub_partner_links::table)
        .values((
            sub_partner_links::program_id.eq(program_id),
            sub_partner_links::partner_id.eq(partner_id),
            sub_partner_links::master_id.eq(master_id),
            sub_partner_links::created_by.eq(created_by),
            sub_partner_links::created_at.eq(now),
        ))
        .on_conflict((sub_partner_links::program_id, sub_partner_links::partner_id))
        .do_update()
        .set((
            sub_partner_links::master_id.eq(master_id),
            sub_partner_links::created_by.eq(created_by),
            sub_partner_links::created_at.eq(now),
        ))
        .execute(conn)
        .await
        .map(drop)
}

pub async fn remove_master(conn: &mut AsyncPgConnection, program_id: i64, partner_id: i64) -> QueryResult<bool> {
    diesel::delete(
        sub_partner_links::table
            .filter(sub_partner_links::program_id.eq(program_id))
            .filter(sub_partner_links::partner_id.eq(partner_id)),
    )
    .execute(conn)
    .await
    .map(|n| n > 0)
}

/// The master's invitation code for the program, if it made one.
pub async fn existing_invite_code(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    master_id: i64,
) -> QueryResult<Option<String>> {
    sub_partner_invites::table
        .filter(sub_partner_invites::program_id.eq(program_id))
        .filter(sub_partner_invites::master_id.eq(master_id))
        .select(sub_partner_invites::code)
        .first(conn)
        .await
        .optional()
}

/// The master's invitation code for the program, made on first use.
pub async fn invite_code(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    master_id: i64,
    fresh_code: &str,
    now: OffsetDateTime,
) -> QueryResult<String> {
    diesel::insert_into(sub_partner_invites::table)
        .values((
            sub_partner_invites::program_id.eq(program_id),
            sub_partner_invites::master_id.eq(master_id),
            sub_partner_invites::code.eq(fresh_code),
            sub_partner_invites::created_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    existing_invite_code(conn, program_id, master_id)
        .await?
        .ok_or(diesel::result::Error::NotFound)
}

/// The master behind an invitation code for a program.
pub async fn inviter(conn: &mut AsyncPgConnection, program_id: i64, code: &str) -> QueryResult<Option<i64>> {
    sub_partner_invites::table
        .filter(sub_partner_invites::program_id.eq(program_id))
        .filter(sub_partner_invites::code.eq(code))
        .select(sub_partner_invites::master_id)
        .first(conn)
        .await
        .optional()
}
