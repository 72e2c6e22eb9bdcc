//! Which brands an operator may see, resolved once per request into brand and program ids.
//! Console repositories take a `Scope` and put it in their `WHERE` clause, as portal queries put
//! the partner id from the session: an object of another brand is simply not found.

use crate::backend::schema::{brands, operator_brands, programs};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    /// The operator sees every brand, including brands created later.
    pub all_brands: bool,
    pub brands: Vec<i64>,
    /// Every program of those brands.
    pub programs: Vec<i64>,
    /// The one brand the operator chose to look at (the console's brand filter), when they did:
    /// `brands` and `programs` then hold only that brand's.
    pub focus: Option<i64>,
}

impl Scope {
    /// The brands an operator may see: every brand, or the ones assigned to them.
    pub async fn of_operator(conn: &mut AsyncPgConnection, user_id: i64, brand_scoped: bool) -> QueryResult<Self> {
        let brands: Vec<i64> = if brand_scoped {
            operator_brands::table
                .filter(operator_brands::user_id.eq(user_id))
                .select(operator_brands::brand_id)
                .order(operator_brands::brand_id.asc())
                .load(conn)
                .await?
        } else {
            brands::table
                .select(brands::id)
                .order(brands::id.asc())
                .load(conn)
                .await?
        };
        let programs = programs::table
            .filter(programs::brand_id.eq_any(&brands))
            .select(programs::id)
            .order(programs::id.asc())
            .load(conn)
            .await?;
        Ok(Self {
            all_brands: !brand_scoped,
            brands,
            programs,
            focus: None,
        })
    }

    /// This scope narrowed to `brand`, the brand the operator chose to look at, when it is one of
    /// theirs (a choice that no longer is, or none, leaves the scope whole). What every console
    /// query lists narrows; `all_brands`, the authority over installation-wide settings such as
    /// operators and brands, stays. Pages whose objects span brands (operators, brands, payout
    /// runs) take the whole scope instead (`ctx::require_operator_across_brands`).
    pub async fn focused_on(self, conn: &mut AsyncPgConnection, brand: Option<i64>) -> QueryResult<Self> {
        let Some(brand) = brand.filter(|b| self.has_brand(*b) && self.brands.len() > 1) else {
            return Ok(self);
        };
        Ok(Self {
            all_brands: self.all_brands,
            brands: vec![brand],
            programs: crate::backend::repos::programs::ids_of_brand(conn, brand).await?,
            focus: Some(brand),
        })
    }

    /// Whether lists show everything, including rows of no brand (logins, operator changes):
    /// for an operator who sees every brand and hasn't narrowed the console to one.
    pub fn sees_everything(&self) -> bool {
        self.all_brands && self.focus.is_none()
    }

    /// The scope of the system itself (jobs and command-line tools): everything.
    pub async fn everything(conn: &mut AsyncPgConnection) -> QueryResult<Self> {
        Self::of_operator(conn, 0, false).await
    }

    /// The scope of an operator limited to no brand at all: nothing.
    pub fn nothing() -> Self {
        Self {
            all_brands: false,
            brands: vec![],
            programs: vec![],
            focus: None,
        }
    }

    pub fn has_program(&self, program_id: i64) -> bool {
        self.programs.contains(&program_id)
    }

    pub fn has_brand(&self, brand_id: i64) -> bool {
        self.brands.contains(&brand_id)
    }
}

/// Whose rows a lookup by id may find: a partner's own (the id from the session) or those of
/// the programs in an operator's scope. Either goes into the query's `WHERE` clause, so anything
/// else is as missing as an id that doesn't exist.
#[derive(Clone, Copy, Debug)]
pub enum Whose<'a> {
    Partner(i64),
    Operator(&'a Scope),
}

impl<'a> Whose<'a> {
    pub fn partner(self) -> Option<i64> {
        match self {
            Self::Partner(id) => Some(id),
            Self::Operator(_) => None,
        }
    }

    pub fn programs(self) -> Option<&'a [i64]> {
        match self {
            Self::Partner(_) => None,
            Self::Operator(scope) => Some(&scope.programs),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::repos::programs::{self as program_repo, NewProgram};
    use crate::backend::repos::{operators, users};
    use crate::backend::testing::TestDb;
    use crate::domain::access::OperatorRole;

    fn new_program(brand_id: i64, slug: &str) -> NewProgram<'_> {
        NewProgram {
            brand_id,
            name: slug,
            slug,
            currency: "EUR",
            description: "",
            terms: "Terms.",
        }
    }

    #[tokio::test]
    async fn scoped_operators_see_only_their_brands_programs() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let acme = program_repo::insert_brand(&mut conn, "Acme", "acme").await.unwrap();
        let globex = program_repo::insert_brand(&mut conn, "Globex", "globex").await.unwrap();
        let a = program_repo::insert(&mut conn, &new_program(acme, "acme-aff"))
            .await
            .unwrap();
        let g = program_repo::insert(&mut conn, &new_program(globex, "globex-aff"))
            .await
            .unwrap();
        let op = users::insert_operator(&mut conn, "m@example.com", "M", OperatorRole::Manager, "x")
            .await
            .unwrap();

        let everything = Scope::of_operator(&mut conn, op.id, false).await.unwrap();
        assert!(everything.all_brands && everything.has_program(a.id) && everything.has_program(g.id));

        // Scoped, but no brand assigned yet: nothing, never everything.
        let none = Scope::of_operator(&mut conn, op.id, true).await.unwrap();
        assert!(none.brands.is_empty() && none.programs.is_empty() && !none.all_brands);

        operators::set_brands(&mut conn, op.id, true, &[globex]).await.unwrap();
        let scoped = Scope::of_operator(&mut conn, op.id, true).await.unwrap();
        assert_eq!(
            (scoped.brands.clone(), scoped.programs.clone()),
            (vec![globex], vec![g.id])
        );
        assert!(!scoped.has_program(a.id) && !scoped.has_brand(acme));
    }
}
