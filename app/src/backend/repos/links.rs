//! Tracked links. Partner-facing queries take the partner id from the session.

use crate::backend::schema::{links, partners, program_memberships, programs};
use crate::backend::scope::Scope;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = links)]
pub struct LinkRow {
    pub id: i64,
    pub program_id: i64,
    pub partner_id: i64,
    pub code: String,
    pub destination: String,
    pub campaign: Option<String>,
    pub sub1: Option<String>,
    pub sub2: Option<String>,
    pub sub3: Option<String>,
    pub sub4: Option<String>,
    pub sub5: Option<String>,
    pub is_default: bool,
    pub disabled_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
}

impl LinkRow {
    pub fn subs(&self) -> [Option<String>; 5] {
        [
            self.sub1.clone(),
            self.sub2.clone(),
            self.sub3.clone(),
            self.sub4.clone(),
            self.sub5.clone(),
        ]
    }
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = links)]
pub struct NewLink {
    pub program_id: i64,
    pub partner_id: i64,
    pub code: String,
    pub destination: String,
    pub campaign: Option<String>,
    pub sub1: Option<String>,
    pub sub2: Option<String>,
    pub sub3: Option<String>,
    pub sub4: Option<String>,
    pub sub5: Option<String>,
    pub is_default: bool,
    pub created_at: OffsetDateTime,
}

/// A link's five sub-ids.
pub type Subs = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// What the redirect needs to know about a live link: only links that are enabled, whose
/// partner's membership is active.
#[derive(Clone, Debug, PartialEq, Eq, Queryable)]
pub struct RedirectTarget {
    pub link_id: i64,
    pub partner_id: i64,
    pub program_id: i64,
    pub destination: String,
    pub subs: Subs,
    pub click_param: String,
    pub cookie_days: i32,
    /// Set when the program is archived: from then on the link answers "program ended".
    pub links_end_at: Option<time::OffsetDateTime>,
    /// The partner's kind and tier in the program, for the creatives its code may name.
    pub partner_kind: String,
    pub tier: Option<String>,
}

pub async fn insert(conn: &mut AsyncPgConnection, new: &NewLink) -> QueryResult<LinkRow> {
    diesel::insert_into(links::table)
        .values(new)
        .returning(LinkRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn redirect_target(conn: &mut AsyncPgConnection, code: &str) -> QueryResult<Option<RedirectTarget>> {
    links::table
        .inner_join(programs::table)
        .inner_join(
            program_memberships::table.on(program_memberships::partner_id
                .eq(links::partner_id)
                .and(program_memberships::program_id.eq(links::program_id))),
        )
        .inner_join(partners::table.on(partners::id.eq(links::partner_id)))
        .filter(links::code.eq(code))
        .filter(links::disabled_at.is_null())
        .filter(program_memberships::status.eq("active"))
        .select((
            links::id,
            links::partner_id,
            links::program_id,
            links::destination,
            (links::sub1, links::sub2, links::sub3, links::sub4, links::sub5),
            programs::click_param,
            programs::cookie_days,
            programs::links_end_at,
            partners::kind,
            program_memberships::tier,
        ))
        .first(conn)
        .await
        .optional()
}

pub async fn has_default(conn: &mut AsyncPgConnection, partner_id: i64, program_id: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        links::table
            .filter(links::partner_id.eq(partner_id))
            .filter(links::program_id.eq(program_id))
            .filter(links::is_default.eq(true)),
    ))
    .get_result(conn)
    .await
}

/// A partner's links, newest first; `program_id` narrows to one program.
pub async fn for_partner(
    conn: &mut AsyncPgConnection,
    partner_id: i64,
    program_id: Option<i64>,
) -> QueryResult<Vec<(LinkRow, String, String)>> {
    let mut query = links::table
        .inner_join(programs::table)
        .filter(links::partner_id.eq(partner_id))
        .select((LinkRow::as_select(), programs::name, programs::currency))
        .order((links::is_default.desc(), links::created_at.desc(), links::id.desc()))
        .into_boxed();
    if let Some(program_id) = program_id {
        query = query.filter(links::program_id.eq(program_id));
    }
    query.load(conn).await
}

/// A program's links with their partner's name, for the console.
pub async fn for_program(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<Vec<(LinkRow, String)>> {
    links::table
        .inner_join(partners::table)
        .filter(links::program_id.eq(program_id))
        .select((LinkRow::as_select(), partners::name))
        .order((partners::name.asc(), links::created_at.desc()))
        .load(conn)
        .await
}

/// A link of a program in the operator's scope; another brand's is not found.
pub async fn get_in_scope(conn: &mut AsyncPgConnection, scope: &Scope, id: i64) -> QueryResult<LinkRow> {
    links::table
        .find(id)
        .filter(links::program_id.eq_any(&scope.programs))
        .select(LinkRow::as_select())
        .first(conn)
        .await
}

pub async fn set_disabled(
    conn: &mut AsyncPgConnection,
    id: i64,
    disabled_at: Option<OffsetDateTime>,
) -> QueryResult<LinkRow> {
    diesel::update(links::table.find(id))
        .set(links::disabled_at.eq(disabled_at))
        .returning(LinkRow::as_returning())
        .get_result(conn)
        .await
}

/// The program's links that are switched on, with their partner's name.
pub async fn enabled_for_program(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<Vec<(LinkRow, String)>> {
    links::table
        .inner_join(partners::table)
        .filter(links::program_id.eq(program_id))
        .filter(links::disabled_at.is_null())
        .select((LinkRow::as_select(), partners::name))
        .order((partners::name.asc(), links::created_at.desc()))
        .load(conn)
        .await
}

/// Switches off those of `ids` that are the program's and still on, and returns them.
pub async fn disable_many(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    ids: &[i64],
    now: OffsetDateTime,
) -> QueryResult<Vec<LinkRow>> {
    diesel::update(
        links::table
            .filter(links::program_id.eq(program_id))
            .filter(links::id.eq_any(ids))
            .filter(links::disabled_at.is_null()),
    )
    .set(links::disabled_at.eq(now))
    .returning(LinkRow::as_returning())
    .load(conn)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::repos::memberships;
    use crate::backend::repos::partners::{self, NewPartner};
    use crate::backend::repos::programs::{self, NewProgram};
    use crate::backend::testing::TestDb;

    async fn program(conn: &mut AsyncPgConnection, brand: i64, slug: &str) -> i64 {
        let new = NewProgram {
            brand_id: brand,
            name: slug,
            slug,
            currency: "EUR",
            description: "",
            terms: "t",
        };
        programs::insert(conn, &new).await.unwrap().id
    }

    fn link(program_id: i64, partner_id: i64, code: &str) -> NewLink {
        NewLink {
            program_id,
            partner_id,
            code: code.into(),
            destination: format!("https://example.com/{code}"),
            campaign: None,
            sub1: None,
            sub2: None,
            sub3: None,
            sub4: None,
            sub5: None,
            is_default: false,
            created_at: OffsetDateTime::now_utc(),
        }
    }

    #[tokio::test]
    async fn only_the_programs_switched_on_links_are_listed_and_switched_off() {
        let db = TestDb::new().await;
        let conn = &mut db.conn().await;
        let brand = programs::insert_brand(conn, "B", "b").await.unwrap();
        let (mine, other) = (program(conn, brand, "mine").await, program(conn, brand, "other").await);
        let partner = NewPartner {
            name: "Ana",
            email: "ana@example.com",
            kind: "affiliate",
            country: "DE",
            website: None,
        };
        let partner = partners::insert(conn, &partner).await.unwrap().id;
        let now = OffsetDateTime::now_utc();
        for program in [mine, other] {
            memberships::insert_application(conn, partner, program, "plan", now)
                .await
                .unwrap();
        }
        let on = insert(conn, &link(mine, partner, "StillOn1")).await.unwrap();
        let off = insert(conn, &link(mine, partner, "Already0ff")).await.unwrap();
        let elsewhere = insert(conn, &link(other, partner, "Elsewhere1")).await.unwrap();
        set_disabled(conn, off.id, Some(now)).await.unwrap();

        let listed: Vec<i64> = enabled_for_program(conn, mine)
            .await
            .unwrap()
            .into_iter()
            .map(|(l, name)| {
                assert_eq!(name, "Ana");
                l.id
            })
            .collect();
        assert_eq!(listed, [on.id]);

        let switched = disable_many(conn, mine, &[on.id, off.id, elsewhere.id], now)
            .await
            .unwrap();
        assert_eq!(
            switched.iter().map(|l| l.id).collect::<Vec<_>>(),
            [on.id],
            "only this program's, only once"
        );
        assert!(enabled_for_program(conn, mine).await.unwrap().is_empty());
        assert_eq!(enabled_for_program(conn, other).await.unwrap().len(), 1);
        assert!(disable_many(conn, mine, &[on.id], now).await.unwrap().is_empty());
    }
}
