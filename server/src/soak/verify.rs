//! After the load: is every acknowledged write in the database?

use diesel::sql_types::{Array, BigInt, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

/// How many acknowledged ids of each kind were found stored, and whether any id was handed
/// out twice.
#[derive(Clone, Debug, Default)]
pub struct Stored {
    pub clicks: u64,
    pub conversions: u64,
    pub refunds: u64,
    pub duplicate_click_ids: u64,
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

const CHUNK: usize = 20_000;

async fn count_texts(conn: &mut AsyncPgConnection, sql: &str, ids: &[String], program_id: i64) -> Result<u64, String> {
    let mut total = 0;
    for chunk in ids.chunks(CHUNK) {
        total += diesel::sql_query(sql)
            .bind::<Array<Text>, _>(chunk)
            .bind::<BigInt, _>(program_id)
            .get_result::<Count>(conn)
            .await
            .map_err(|e| format!("counting stored ids: {e}"))?
            .n as u64;
    }
    Ok(total)
}

pub async fn check(
    database_url: &str,
    program_id: i64,
    clicks: &[String],
    conversions: &[i64],
    refunds: &[String],
) -> Result<Stored, String> {
    let mut conn = app::backend::db::connect(database_url)
        .await
        .map_err(|e| format!("cannot connect to the database to check the writes: {e}"))?;
    let distinct: std::collections::HashSet<&String> = clicks.iter().collect();
    let clicks_stored = count_texts(
        &mut conn,
        "SELECT count(*) AS n FROM clicks WHERE id = ANY($1) AND program_id = $2",
        clicks,
        program_id,
    )
    .await?;
    let refunds_stored = count_texts(
        &mut conn,
        "SELECT count(*) AS n FROM refunds WHERE refund_id = ANY($1) AND program_id = $2",
        refunds,
        program_id,
    )
    .await?;
    let mut conversions_stored = 0;
    for chunk in conversions.chunks(CHUNK) {
        conversions_stored +=
            diesel::sql_query("SELECT count(*) AS n FROM conversions WHERE id = ANY($1) AND program_id = $2")
                .bind::<Array<BigInt>, _>(chunk)
                .bind::<BigInt, _>(program_id)
                .get_result::<Count>(&mut conn)
                .await
                .map_err(|e| format!("counting stored conversions: {e}"))?
                .n as u64;
    }
    Ok(Stored {
        clicks: clicks_stored,
        conversions: conversions_stored,
        refunds: refunds_stored,
        duplicate_click_ids: (clicks.len() - distinct.len()) as u64,
    })
}
