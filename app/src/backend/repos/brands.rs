//! Brands: the names, legal details and looks that a company's programs carry. Console reads
//! take the operator's scope; the public join page and emails read by program.

use crate::backend::schema::{brands, program_memberships, programs};
use crate::backend::scope::Scope;
use crate::domain::admin::brand_form::Brand;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = brands)]
pub struct BrandRow {
    pub id: i64,
    pub name: String,
    pub slug: String,
    pub legal_name: String,
    pub address: String,
    pub country: String,
    pub default_currency: String,
    pub tax_id: String,
    pub support_email: String,
    pub sender_name: String,
    pub primary_color: String,
    pub logo_type: Option<String>,
    pub logo_version: i32,
}

impl BrandRow {
    pub fn has_logo(&self) -> bool {
        self.logo_type.is_some()
    }
}

/// The columns a brand form sets.
#[derive(AsChangeset, Insertable)]
#[diesel(table_name = brands)]
struct BrandChanges<'a> {
    name: &'a str,
    legal_name: &'a str,
    address: &'a str,
    country: &'a str,
    default_currency: &'a str,
    tax_id: &'a str,
    support_email: &'a str,
    sender_name: &'a str,
    primary_color: &'a str,
}

impl<'a> From<&'a Brand> for BrandChanges<'a> {
    fn from(b: &'a Brand) -> Self {
        Self {
            name: &b.name,
            legal_name: &b.legal_name,
            address: &b.address,
            country: &b.country,
            default_currency: &b.default_currency,
            tax_id: &b.tax_id,
            support_email: &b.support_email,
            sender_name: &b.sender_name,
            primary_color: &b.primary_color,
        }
    }
}

pub async fn insert(conn: &mut AsyncPgConnection, brand: &Brand, slug: &str) -> QueryResult<BrandRow> {
    diesel::insert_into(brands::table)
        .values((BrandChanges::from(brand), brands::slug.eq(slug)))
        .returning(BrandRow::as_returning())
        .get_result(conn)
        .await
}

/// Updates a brand in scope; `None` when there is no such brand for this operator.
pub async fn update(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: i64,
    brand: &Brand,
) -> QueryResult<Option<BrandRow>> {
    diesel::update(
        brands::table
            .filter(brands::id.eq(id))
            .filter(brands::id.eq_any(&scope.brands)),
    )
    .set(BrandChanges::from(brand))
    .returning(BrandRow::as_returning())
    .get_result(conn)
    .await
    .optional()
}

/// Stores a checked logo and bumps its version (the version is in the logo's URL, so browsers
/// fetch the new one at once and may cache each version for good).
pub async fn set_logo(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: i64,
    bytes: &[u8],
    content_type: &str,
) -> QueryResult<Option<BrandRow>> {
    diesel::update(
        brands::table
            .filter(brands::id.eq(id))
            .filter(brands::id.eq_any(&scope.brands)),
    )
    .set((
        brands::logo.eq(Some(bytes)),
        brands::logo_type.eq(Some(content_type)),
        brands::logo_version.eq(brands::logo_version + 1),
    ))
    .returning(BrandRow::as_returning())
    .get_result(conn)
    .await
    .optional()
}

/// A brand the operator may see.
pub async fn get(conn: &mut AsyncPgConnection, scope: &Scope, id: i64) -> QueryResult<Option<BrandRow>> {
    brands::table
        .filter(brands::id.eq(id))
        .filter(brands::id.eq_any(&scope.brands))
        .select(BrandRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// The brands the operator may see, by name, with how many programs each has.
pub async fn list(conn: &mut AsyncPgConnection, scope: &Scope) -> QueryResult<Vec<(BrandRow, i64)>> {
    let rows: Vec<BrandRow> = brands::table
        .filter(brands::id.eq_any(&scope.brands))
        .order(brands::name.asc())
        .select(BrandRow::as_select())
        .load(conn)
        .await?;
    let counts: Vec<(i64, i64)> = programs::table
        .filter(programs::brand_id.eq_any(&scope.brands))
        .group_by(programs::brand_id)
        .select((programs::brand_id, diesel::dsl::count_star()))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let n = counts.iter().find(|(b, _)| *b == row.id).map_or(0, |(_, n)| *n);
            (row, n)
        })
        .collect())
}

/// The brand of a program, for the public join page, the portal header and emails.
pub async fn of_program(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<BrandRow> {
    programs::table
        .inner_join(brands::table)
        .filter(programs::id.eq(program_id))
        .select(BrandRow::as_select())
        .first(conn)
        .await
}

/// The brands behind the programs a partner belongs to or applied to, by name: the portal wears
/// the one brand, or lets the partner switch between several.
pub async fn of_partner(conn: &mut AsyncPgConnection, partner_id: i64) -> QueryResult<Vec<BrandRow>> {
    program_memberships::table
        .inner_join(programs::table.inner_join(brands::table))
        .filter(program_memberships::partner_id.eq(partner_id))
        .filter(program_memberships::status.ne("rejected"))
        .select(BrandRow::as_select())
        .distinct()
        .order(brands::name.asc())
        .load(conn)
        .await
}

/// (program id, brand name) for each of `programs`.
pub async fn names_by_program(conn: &mut AsyncPgConnection, programs: &[i64]) -> QueryResult<Vec<(i64, String)>> {
    programs::table
        .inner_join(brands::table)
        .filter(programs::id.eq_any(programs))
        .select((programs::id, brands::name))
        .load(conn)
        .await
}

/// A brand's logo, by id: public, since join pages and emails show it to anyone.
pub async fn logo(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<Option<(Vec<u8>, String)>> {
    let found: Option<(Option<Vec<u8>>, Option<String>)> = brands::table
        .filter(brands::id.eq(id))
        .select((brands::logo, brands::logo_type))
        .first(conn)
        .await
        .optional()?;
    Ok(found.and_then(|(bytes, kind)| bytes.zip(kind)))
}

/// Whether a slug is free; brand slugs come from names and get a number when taken.
pub async fn slug_taken(conn: &mut AsyncPgConnection, slug: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(brands::table.filter(brands::slug.eq(slug))))
        .get_result(conn)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::testing::TestDb;

    fn brand(name: &str) -> Brand {
        Brand {
            name: name.into(),
            legal_name: format!("{name} Ltd"),
            address: String::new(),
            country: "GB".into(),
            default_currency: "GBP".into(),
            tax_id: String::new(),
            support_email: String::new(),
            sender_name: name.into(),
            primary_color: "#aa3300".into(),
        }
    }

    #[tokio::test]
    async fn brands_are_read_and_changed_only_in_scope() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let globex = insert(&mut conn, &brand("Globex"), "globex").await.unwrap();
        let initech = insert(&mut conn, &brand("Initech"), "initech").await.unwrap();
        let scoped = Scope {
            all_brands: false,
            brands: vec![globex.id],
            programs: vec![],
            focus: None,
        };
        assert!(get(&mut conn, &scoped, initech.id).await.unwrap().is_none());
        assert_eq!(list(&mut conn, &scoped).await.unwrap().len(), 1);
        assert!(update(&mut conn, &scoped, initech.id, &brand("Hacked"))
            .await
            .unwrap()
            .is_none());
        let renamed = update(&mut conn, &scoped, globex.id, &brand("Globex Corp"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(renamed.name, "Globex Corp");
        let everything = Scope::everything(&mut conn).await.unwrap();
        let other = get(&mut conn, &everything, initech.id).await.unwrap().unwrap();
        assert_eq!(other.name, "Initech");

        assert!(logo(&mut conn, globex.id).await.unwrap().is_none());
        let png = b"\x89PNG\r\n\x1a\nrest".to_vec();
        let with_logo = set_logo(&mut conn, &scoped, globex.id, &png, "image/png")
            .await
            .unwrap()
            .unwrap();
        assert!(with_logo.has_logo() && with_logo.logo_version == 1);
        assert_eq!(
            logo(&mut conn, globex.id).await.unwrap(),
            Some((png, "image/png".into()))
        );
        assert!(set_logo(&mut conn, &scoped, initech.id, b"x", "image/png")
            .await
            .unwrap()
            .is_none());
        assert!(slug_taken(&mut conn, "globex").await.unwrap() && !slug_taken(&mut conn, "hooli").await.unwrap());
    }
}
