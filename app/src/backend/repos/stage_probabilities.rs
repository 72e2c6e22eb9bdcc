//! Each program's stage probabilities for the deal forecast. A program without a row uses the
//! defaults (`Probabilities::default()`).

use crate::backend::schema::deal_stage_probabilities as dsp;
use crate::domain::deals::forecast::Probabilities;
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use std::collections::HashMap;
use time::OffsetDateTime;

type Columns = (i64, Decimal, Decimal, Decimal, Decimal);

fn from_row((_, registered, qualified, proposal, negotiation): Columns) -> Probabilities {
    Probabilities {
        registered: registered.normalize(),
        qualified: qualified.normalize(),
        proposal: proposal.normalize(),
        negotiation: negotiation.normalize(),
    }
}

const COLUMNS: (
    dsp::program_id,
    dsp::registered,
    dsp::qualified,
    dsp::proposal,
    dsp::negotiation,
) = (
    dsp::program_id,
    dsp::registered,
    dsp::qualified,
    dsp::proposal,
    dsp::negotiation,
);

/// One program's probabilities.
pub async fn get(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<Probabilities> {
    let row: Option<Columns> = dsp::table
        .find(program_id)
        .select(COLUMNS)
        .first(conn)
        .await
        .optional()?;
    Ok(row.map(from_row).unwrap_or_default())
}

/// Every program that has its own probabilities; the rest use the defaults.
pub async fn all(conn: &mut AsyncPgConnection) -> QueryResult<HashMap<i64, Probabilities>> {
    let rows: Vec<Columns> = dsp::table.select(COLUMNS).load(conn).await?;
    Ok(rows.into_iter().map(|row| (row.0, from_row(row))).collect())
}

/// Sets a program's probabilities (the caller has validated them and audits the change).
pub async fn save(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    p: &Probabilities,
    user_id: i64,
    now: OffsetDateTime,
) -> QueryResult<()> {
    diesel::insert_into(dsp::table)
        .values((
            dsp::program_id.eq(program_id),
            dsp::registered.eq(p.registered),
            dsp::qualified.eq(p.qualified),
            dsp::proposal.eq(p.proposal),
            dsp::negotiation.eq(p.negotiation),
            dsp::updated_at.eq(now),
            dsp::updated_by.eq(user_id),
        ))
        .on_conflict(dsp::program_id)
        .do_update()
        .set((
            dsp::registered.eq(excluded(dsp::registered)),
            dsp::qualified.eq(excluded(dsp::qualified)),
            dsp::proposal.eq(excluded(dsp::proposal)),
            dsp::negotiation.eq(excluded(dsp::negotiation)),
            dsp::updated_at.eq(excluded(dsp::updated_at)),
            dsp::updated_by.eq(excluded(dsp::updated_by)),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::testing::TestDb;

    #[tokio::test]
    async fn programs_use_the_defaults_until_they_set_their_own() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        super::super::deal_reports::tests::seed(&mut conn).await;
        let program: i64 = crate::backend::schema::programs::table
            .select(crate::backend::schema::programs::id)
            .order(crate::backend::schema::programs::id)
            .first(&mut conn)
            .await
            .unwrap();
        let user = crate::backend::repos::users::insert_operator(
            &mut conn,
            "a@x.test",
            "A",
            crate::domain::access::OperatorRole::Admin,
            "hash",
        )
        .await
        .unwrap();
        assert_eq!(get(&mut conn, program).await.unwrap(), Probabilities::default());
        assert!(all(&mut conn).await.unwrap().is_empty());
        let mine = Probabilities {
            registered: Decimal::new(125, 1),
            qualified: Decimal::from(30),
            proposal: Decimal::from(60),
            negotiation: Decimal::from(90),
        };
        let now = OffsetDateTime::now_utc();
        save(&mut conn, program, &mine, user.id, now).await.unwrap();
        assert_eq!(get(&mut conn, program).await.unwrap(), mine);
        let changed = Probabilities {
            negotiation: Decimal::from(100),
            ..mine.clone()
        };
        save(&mut conn, program, &changed, user.id, now).await.unwrap();
        assert_eq!(all(&mut conn).await.unwrap(), HashMap::from([(program, changed)]));
        // The database refuses probabilities that fall as a deal advances.
        let backwards = Probabilities {
            proposal: Decimal::from(10),
            ..mine
        };
        assert!(save(&mut conn, program, &backwards, user.id, now).await.is_err());
    }
}
