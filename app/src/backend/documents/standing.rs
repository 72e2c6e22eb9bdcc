//! Where a partner stands with the documents its programs require: per program, each
//! requirement with its latest file; and what approval or a payout still waits for.

use crate::backend::repos::partner_documents::{self as repo, DocumentRow, RequirementRow};
use crate::domain::documents::{self, NeededBefore, Standing};
use diesel::QueryResult;
use diesel_async::AsyncPgConnection;
use std::collections::HashMap;
use time::Date;

#[derive(Clone, Debug)]
pub struct Item {
    pub requirement: RequirementRow,
    pub standing: Standing,
    pub latest: Option<DocumentRow>,
}

#[derive(Clone, Debug)]
pub struct ProgramDocuments {
    pub program_id: i64,
    pub program: String,
    pub items: Vec<Item>,
}

/// Every requirement of the programs the partner applied to or belongs to, with its standing.
/// Programs that require nothing are left out.
pub async fn of_partner(
    conn: &mut AsyncPgConnection,
    partner_id: i64,
    today: Date,
) -> QueryResult<Vec<ProgramDocuments>> {
    let programs = repo::partner_programs(conn, partner_id).await?;
    let ids: Vec<i64> = programs.iter().map(|(id, _)| *id).collect();
    let requirements = repo::requirements(conn, &ids).await?;
    let mut items = items(conn, partner_id, requirements, today).await?;
    Ok(programs
        .into_iter()
        .filter_map(|(program_id, program)| {
            let (mine, rest): (Vec<Item>, Vec<Item>) = std::mem::take(&mut items)
                .into_iter()
                .partition(|i| i.requirement.program_id == program_id);
            items = rest;
            (!mine.is_empty()).then_some(ProgramDocuments {
                program_id,
                program,
                items: mine,
            })
        })
        .collect())
}

/// Program `program_id`'s requirements with the partner's standing in each, for the reviewer
/// of its application.
pub async fn of_program(
    conn: &mut AsyncPgConnection,
    partner_id: i64,
    program_id: i64,
    today: Date,
) -> QueryResult<Vec<Item>> {
    let requirements = repo::requirements(conn, &[program_id]).await?;
    items(conn, partner_id, requirements, today).await
}

async fn items(
    conn: &mut AsyncPgConnection,
    partner_id: i64,
    requirements: Vec<RequirementRow>,
    today: Date,
) -> QueryResult<Vec<Item>> {
    let ids: Vec<i64> = requirements.iter().map(|r| r.id).collect();
    let mut latest: HashMap<i64, DocumentRow> = repo::latest(conn, &[partner_id], &ids)
        .await?
        .into_iter()
        .map(|d| (d.requirement_id, d))
        .collect();
    let approvals = repo::last_approvals(conn, &[partner_id], &ids).await?;
    Ok(requirements
        .into_iter()
        .map(|requirement| {
            let latest = latest.remove(&requirement.id);
            Item {
                standing: Standing::of(latest.as_ref().map(|d| d.latest(&approvals)).as_ref(), today),
                requirement,
                latest,
            }
        })
        .collect())
}

/// The names of program `program_id`'s requirements for `stage` that the partner hasn't met.
pub async fn unmet(
    conn: &mut AsyncPgConnection,
    partner_id: i64,
    program_id: i64,
    stage: NeededBefore,
    today: Date,
) -> QueryResult<Vec<String>> {
    let requirements = repo::requirements(conn, &[program_id]).await?;
    let items = items(conn, partner_id, requirements, today).await?;
    let facts: Vec<(String, NeededBefore, Standing)> = items
        .into_iter()
        .map(|i| (i.requirement.name.clone(), i.requirement.needed(), i.standing))
        .collect();
    Ok(documents::unmet(&facts, stage).into_iter().map(str::to_owned).collect())
}

/// For a payout run: per (partner, brand), the names of the documents needed before payouts
/// that the partner hasn't had approved in that brand's programs. Partners with nothing
/// missing are left out. Four queries, whatever the number of partners.
pub async fn unmet_before_payout(
    conn: &mut AsyncPgConnection,
    partner_ids: &[i64],
    brand_ids: &[i64],
    today: Date,
) -> QueryResult<HashMap<(i64, i64), Vec<String>>> {
    let memberships = repo::active_memberships(conn, partner_ids, brand_ids).await?;
    let mut program_ids: Vec<i64> = memberships.iter().map(|(_, program, _)| *program).collect();
    program_ids.sort_unstable();
    program_ids.dedup();
    let requirements: Vec<RequirementRow> = repo::requirements(conn, &program_ids)
        .await?
        .into_iter()
        .filter(|r| r.needed() != NeededBefore::Optional)
        .collect();
    if requirements.is_empty() {
        return Ok(HashMap::new());
    }
    let requirement_ids: Vec<i64> = requirements.iter().map(|r| r.id).collect();
    let latest: HashMap<(i64, i64), DocumentRow> = repo::latest(conn, partner_ids, &requirement_ids)
        .await?
        .into_iter()
        .map(|d| ((d.partner_id, d.requirement_id), d))
        .collect();
    let approvals = repo::last_approvals(conn, partner_ids, &requirement_ids).await?;
    let mut unmet: HashMap<(i64, i64), Vec<String>> = HashMap::new();
    for (partner_id, program_id, brand_id) in memberships {
        for requirement in requirements.iter().filter(|r| r.program_id == program_id) {
            let latest = latest.get(&(partner_id, requirement.id)).map(|d| d.latest(&approvals));
            if !Standing::of(latest.as_ref(), today).is_met() {
                unmet
                    .entry((partner_id, brand_id))
                    .or_default()
                    .push(requirement.name.clone());
            }
        }
    }
    Ok(unmet)
}
