//! What the benchmark commands share: one number out of SQL, and SQL run for its effect, each
//! failing with the statement in the message.

use diesel::sql_types::BigInt;
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

#[derive(QueryableByName)]
struct N {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

pub async fn number(conn: &mut AsyncPgConnection, sql: &str) -> Result<i64, String> {
    diesel::sql_query(sql)
        .get_result::<N>(conn)
        .await
        .map(|r| r.n)
        .map_err(|e| format!("{sql}: {e}"))
}

pub async fn execute(conn: &mut AsyncPgConnection, sql: &str) -> Result<(), String> {
    diesel::sql_query(sql)
        .execute(conn)
        .await
        .map(drop)
        .map_err(|e| format!("{e}: {sql}"))
}
