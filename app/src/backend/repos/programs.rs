//! Brands and programs.

use crate::backend::schema::{brands, programs};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = programs)]
pub struct ProgramRow {
    pub id: i64,
    pub brand_id: i64,
    pub name: String,
    pub slug: String,
    pub currency: String,
    pub description: String,
    pub terms: String,
    pub is_open: bool,
}

#[derive(Clone, Debug)]
pub struct NewProgram<'a> {
    pub brand_id: i64,
    pub name: &'a str,
    pub slug: &'a str,
    pub currency: &'a str,
    pub description: &'a str,
    pub terms: &'a str,
}

pub async fn find_brand_by_slug(conn: &mut AsyncPgConnection, slug: &str) -> QueryResult<Option<i64>> {
    brands::table
        .filter(brands::slug.eq(slug))
        .select(brands::id)
        .first(conn)
        .await
        .optional()
}

pub async fn insert_brand(conn: &mut AsyncPgConnection, name: &str, slug: &str) -> QueryResult<i64> {
    diesel::insert_into(brands::table)
        .values((brands::name.eq(name), brands::slug.eq(slug)))
        .returning(brands::id)
        .get_result(conn)
        .await
}

pub async fn insert(conn: &mut AsyncPgConnection, new: &NewProgram<'_>) -> QueryResult<ProgramRow> {
    diesel::insert_into(programs::table)
        .values((
            programs::brand_id.eq(new.brand_id),
            programs::name.eq(new.name),
            programs::slug.eq(new.slug),
            programs::currency.eq(new.currency),
            programs::description.eq(new.description),
            programs::terms.eq(new.terms),
        ))
        .returning(ProgramRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn find_by_slug(conn: &mut AsyncPgConnection, slug: &str) -> QueryResult<Option<(ProgramRow, String)>> {
    programs::table
        .inner_join(brands::table)
        .filter(programs::slug.eq(slug))
        .select((ProgramRow::as_select(), brands::name))
        .first(conn)
        .await
        .optional()
}

pub async fn get(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<ProgramRow> {
    programs::table
        .find(id)
        .select(ProgramRow::as_select())
        .first(conn)
        .await
}

/// Programs with their brand name, open ones first, then by name.
pub async fn list(conn: &mut AsyncPgConnection, only_open: bool) -> QueryResult<Vec<(ProgramRow, String)>> {
    let mut query = programs::table
        .inner_join(brands::table)
        .select((ProgramRow::as_select(), brands::name))
        .order((programs::is_open.desc(), programs::name.asc()))
        .into_boxed();
    if only_open {
        query = query.filter(programs::is_open.eq(true));
    }
    query.load(conn).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::testing::TestDb;

    #[tokio::test]
    async fn programs_are_found_by_slug_with_their_brand() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let brand = insert_brand(&mut conn, "Acme", "acme").await.unwrap();
        let program = insert(
            &mut conn,
            &NewProgram {
                brand_id: brand,
                name: "Acme Affiliates",
                slug: "acme-aff",
                currency: "EUR",
                description: "",
                terms: "Be nice.",
            },
        )
        .await
        .unwrap();
        let (found, brand_name) = find_by_slug(&mut conn, "acme-aff").await.unwrap().unwrap();
        assert_eq!((found.id, brand_name.as_str()), (program.id, "Acme"));
        assert!(find_by_slug(&mut conn, "nope").await.unwrap().is_none());
        assert_eq!(list(&mut conn, true).await.unwrap().len(), 1);
        assert_eq!(find_brand_by_slug(&mut conn, "acme").await.unwrap(), Some(brand));
        // The database refuses malformed values even if a caller forgets to validate.
        let bad = NewProgram {
            brand_id: brand,
            name: "X",
            slug: "Bad Slug",
            currency: "EUR",
            description: "",
            terms: "",
        };
        assert!(insert(&mut conn, &bad).await.is_err());
    }
}
