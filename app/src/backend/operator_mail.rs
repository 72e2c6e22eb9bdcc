//! Emails to operators about a program go only to those who may see its brand, just as the
//! console shows them only their brands' data: one email per event, or one digest per operator
//! holding only the lines of the programs they may see.

use crate::backend::repos::{outbox, users};
use crate::domain::emails::EmailContent;
use diesel::QueryResult;
use diesel_async::AsyncPgConnection;
use std::collections::{BTreeMap, BTreeSet};

/// One email, built for each by name, to every active operator with one of `roles` who may see
/// program `program_id`. Returns how many were queued.
pub async fn to_operators(
    conn: &mut AsyncPgConnection,
    roles: &[&str],
    program_id: i64,
    content: impl Fn(&str) -> EmailContent,
) -> QueryResult<usize> {
    let recipients = users::active_operators(conn, roles, program_id).await?;
    for (email, name) in &recipients {
        outbox::enqueue(conn, email, &content(name)).await?;
    }
    Ok(recipients.len())
}

/// One operator's share of a digest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Digest {
    pub email: String,
    pub name: String,
    pub lines: Vec<String>,
}

/// Splits `lines`, each about one program (program id, text), among the active operators with
/// one of `roles`: each gets the lines of the programs they may see, in the given order; an
/// operator who may see none of them gets no digest.
pub async fn digests(
    conn: &mut AsyncPgConnection,
    roles: &[&str],
    lines: &[(i64, String)],
) -> QueryResult<Vec<Digest>> {
    let programs: BTreeSet<i64> = lines.iter().map(|(program, _)| *program).collect();
    // email -> (name, the programs of these lines they may see)
    let mut seen: BTreeMap<String, (String, BTreeSet<i64>)> = BTreeMap::new();
    for program in programs {
        for (email, name) in users::active_operators(conn, roles, program).await? {
            seen.entry(email)
                .or_insert_with(|| (name, BTreeSet::new()))
                .1
                .insert(program);
        }
    }
    Ok(seen
        .into_iter()
        .map(|(email, (name, visible))| Digest {
            lines: lines
                .iter()
                .filter(|(program, _)| visible.contains(program))
                .map(|(_, line)| line.clone())
                .collect(),
            email,
            name,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::repos::programs::{self, NewProgram};
    use crate::backend::repos::{operators, users};
    use crate::backend::testing::TestDb;
    use crate::domain::access::OperatorRole;

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

    #[tokio::test]
    async fn operators_hear_only_about_the_brands_they_may_see() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let acme = programs::insert_brand(&mut conn, "Acme", "acme").await.unwrap();
        let globex = programs::insert_brand(&mut conn, "Globex", "globex").await.unwrap();
        let (a, g) = (
            program(&mut conn, acme, "acme-aff").await,
            program(&mut conn, globex, "globex-aff").await,
        );
        let role = OperatorRole::Manager;
        users::insert_operator(&mut conn, "all@x.test", "All", role, "h")
            .await
            .unwrap();
        let only_acme = users::insert_operator(&mut conn, "acme@x.test", "Acme", role, "h")
            .await
            .unwrap();
        let nothing = users::insert_operator(&mut conn, "none@x.test", "None", role, "h")
            .await
            .unwrap();
        operators::set_brands(&mut conn, only_acme.id, true, &[acme])
            .await
            .unwrap();
        operators::set_brands(&mut conn, nothing.id, true, &[]).await.unwrap();
        users::insert_operator(&mut conn, "fin@x.test", "Fin", OperatorRole::Finance, "h")
            .await
            .unwrap();

        let emails = |rows: Vec<(String, String)>| rows.into_iter().map(|(e, _)| e).collect::<Vec<_>>();
        let roles = ["manager", "admin"];
        assert_eq!(
            emails(users::active_operators(&mut conn, &roles, a).await.unwrap()),
            ["acme@x.test", "all@x.test"]
        );
        assert_eq!(
            emails(users::active_operators(&mut conn, &roles, g).await.unwrap()),
            ["all@x.test"]
        );

        let lines = [
            (g, "globex one".to_owned()),
            (a, "acme one".to_owned()),
            (g, "globex two".to_owned()),
        ];
        let got = digests(&mut conn, &roles, &lines).await.unwrap();
        let of = |email: &str| got.iter().find(|d| d.email == email).map(|d| d.lines.clone());
        assert_eq!(of("all@x.test").unwrap(), ["globex one", "acme one", "globex two"]);
        assert_eq!(of("acme@x.test").unwrap(), ["acme one"]);
        assert_eq!(of("none@x.test"), None, "an operator without brands gets nothing");
        assert_eq!(of("fin@x.test"), None, "only the roles asked for");

        let before = crate::backend::repos::outbox::list(&mut conn, 1, 100)
            .await
            .unwrap()
            .total;
        let sent = to_operators(&mut conn, &roles, g, |name| crate::domain::emails::EmailContent {
            subject: format!("Hello {name}"),
            text: String::new(),
            html: String::new(),
        })
        .await
        .unwrap();
        assert_eq!(sent, 1);
        let after = crate::backend::repos::outbox::list(&mut conn, 1, 100).await.unwrap();
        assert_eq!(after.total, before + 1);
        assert!(after.rows.iter().all(|m| m.to_address != "acme@x.test"));
    }
}
