//! Programs (and the bare brand insert that tests and the demo use; brands proper live in
//! `brands`).

use crate::backend::schema::{brands, programs};
use crate::backend::scope::Scope;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;

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
    /// Public: listed, and anyone may apply. Otherwise only through the invitation link.
    pub is_open: bool,
    pub kind: String,
    pub invite_code: String,
    pub partner_kinds: Vec<String>,
    pub archived_at: Option<OffsetDateTime>,
    pub links_end_at: Option<OffsetDateTime>,
}

impl ProgramRow {
    pub fn is_archived(&self) -> bool {
        self.archived_at.is_some()
    }

    /// Whether a partner of `kind` may apply (an empty list takes every kind).
    pub fn accepts(&self, kind: &str) -> bool {
        self.partner_kinds.is_empty() || self.partner_kinds.iter().any(|k| k == kind)
    }
}

/// A program made in the console: the form's fields; every setting page keeps its default.
#[derive(Clone, Debug)]
pub struct CreatedProgram<'a> {
    pub brand_id: i64,
    pub name: &'a str,
    pub slug: &'a str,
    pub kind: &'a str,
    pub currency: &'a str,
    pub public: bool,
    pub partner_kinds: Vec<String>,
    pub description: &'a str,
    pub terms: &'a str,
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

pub async fn create(conn: &mut AsyncPgConnection, new: &CreatedProgram<'_>) -> QueryResult<ProgramRow> {
    diesel::insert_into(programs::table)
        .values((
            programs::brand_id.eq(new.brand_id),
            programs::name.eq(new.name),
            programs::slug.eq(new.slug),
            programs::kind.eq(new.kind),
            programs::currency.eq(new.currency),
            programs::is_open.eq(new.public),
            programs::partner_kinds.eq(&new.partner_kinds),
            // Deal registration is offered to the kinds that sell.
            programs::deal_partner_kinds.eq(&new.partner_kinds),
            programs::description.eq(new.description),
            programs::terms.eq(new.terms),
        ))
        .returning(ProgramRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn slug_taken(conn: &mut AsyncPgConnection, slug: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(programs::table.filter(programs::slug.eq(slug))))
        .get_result(conn)
        .await
}

/// A program in the operator's scope.
pub async fn get_in_scope(conn: &mut AsyncPgConnection, scope: &Scope, id: i64) -> QueryResult<Option<ProgramRow>> {
    programs::table
        .filter(programs::id.eq(id))
        .filter(programs::id.eq_any(&scope.programs))
        .select(ProgramRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// Archives a program: no new applications or links; its links redirect until `links_end_at`.
/// Returns false when it was already archived (or is out of scope).
pub async fn archive(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: i64,
    links_end_at: OffsetDateTime,
    now: OffsetDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        programs::table
            .filter(programs::id.eq(id))
            .filter(programs::id.eq_any(&scope.programs))
            .filter(programs::archived_at.is_null()),
    )
    .set((
        programs::archived_at.eq(now),
        programs::links_end_at.eq(links_end_at),
        programs::is_open.eq(false),
    ))
    .execute(conn)
    .await?;
    Ok(changed == 1)
}

/// Whether a program's links still redirect at `now` (unknown programs: they don't exist, so no).
pub async fn links_end(
    conn: &mut AsyncPgConnection,
    id: i64,
) -> QueryResult<Option<(Option<OffsetDateTime>, Option<OffsetDateTime>)>> {
    programs::table
        .filter(programs::id.eq(id))
        .select((programs::archived_at, programs::links_end_at))
        .first(conn)
        .await
        .optional()
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

/// The ids of one brand's programs, in id order.
pub async fn ids_of_brand(conn: &mut AsyncPgConnection, brand_id: i64) -> QueryResult<Vec<i64>> {
    programs::table
        .filter(programs::brand_id.eq(brand_id))
        .select(programs::id)
        .order(programs::id.asc())
        .load(conn)
        .await
}

pub async fn get(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<ProgramRow> {
    programs::table
        .find(id)
        .select(ProgramRow::as_select())
        .first(conn)
        .await
}

/// The public programs that take applications, with their brand name, by name.
pub async fn list_public(conn: &mut AsyncPgConnection) -> QueryResult<Vec<(ProgramRow, String)>> {
    programs::table
        .inner_join(brands::table)
        .filter(programs::is_open.eq(true))
        .filter(programs::archived_at.is_null())
        .select((ProgramRow::as_select(), brands::name))
        .order(programs::name.asc())
        .load(conn)
        .await
}

/// The programs an operator may see, with their brand name: running ones first, then by name.
pub async fn list(conn: &mut AsyncPgConnection, scope: &Scope) -> QueryResult<Vec<(ProgramRow, String)>> {
    programs::table
        .inner_join(brands::table)
        .filter(programs::id.eq_any(&scope.programs))
        .select((ProgramRow::as_select(), brands::name))
        .order((programs::archived_at.is_not_null(), programs::name.asc()))
        .load(conn)
        .await
}

/// Locks the program's row until the transaction ends, so that changes to the program's
/// numbered or ordered parts (agreement versions, application questions, the tier ladder and
/// its evaluation) are taken one at a time: each sees the state before it, and numbers have no
/// gaps or repeats. FOR NO KEY UPDATE, not FOR UPDATE: the lockers still take turns, but
/// inserts that reference the program (clicks, conversions, deals) are not held up.
pub async fn lock(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<()> {
    programs::table
        .filter(programs::id.eq(program_id))
        .select(programs::id)
        .for_no_key_update()
        .first::<i64>(conn)
        .await?;
    Ok(())
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
        assert_eq!(list_public(&mut conn).await.unwrap().len(), 1);
        let everything = Scope::everything(&mut conn).await.unwrap();
        assert_eq!(list(&mut conn, &everything).await.unwrap().len(), 1);
        assert!(slug_taken(&mut conn, "acme-aff").await.unwrap());

        // Archiving: once, in scope only; the program leaves the public list.
        let now = OffsetDateTime::now_utc();
        let nobody = Scope::nothing();
        assert!(!archive(&mut conn, &nobody, program.id, now, now).await.unwrap());
        assert!(get_in_scope(&mut conn, &nobody, program.id).await.unwrap().is_none());
        assert!(archive(&mut conn, &everything, program.id, now, now).await.unwrap());
        assert!(!archive(&mut conn, &everything, program.id, now, now).await.unwrap());
        assert!(list_public(&mut conn).await.unwrap().is_empty());
        let archived = get_in_scope(&mut conn, &everything, program.id).await.unwrap().unwrap();
        assert!(archived.is_archived() && !archived.is_open);
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
