//! What the load needs from the demo installation: the program's links and currency, an API key,
//! and the pages each logged-in user reads.

use diesel::sql_types::{BigInt, Text};
use diesel_async::RunQueryDsl;

pub const PROGRAM: &str = "acme-affiliates";
pub const PARTNER: &str = "ana@brightreviews.test";
pub const OPERATOR: &str = "manager@acme.test";

pub struct Setup {
    pub program_id: i64,
    pub currency: String,
    pub link_codes: Vec<String>,
    pub api_key: String,
    /// Today's date (UTC) when the run starts, YYYY-MM-DD: exports stop the day before, so
    /// their size stays that of the demo data while the run adds conversions.
    pub yesterday: String,
}

#[derive(diesel::QueryableByName)]
struct ProgramRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    currency: String,
    #[diesel(sql_type = Text)]
    yesterday: String,
}

#[derive(diesel::QueryableByName)]
struct CodeRow {
    #[diesel(sql_type = Text)]
    code: String,
}

pub async fn prepare(database_url: &str) -> Result<Setup, String> {
    let mut conn = app::backend::db::connect(database_url)
        .await
        .map_err(|e| format!("cannot connect to the database: {e}"))?;
    let program = diesel::sql_query(
        "SELECT id, currency, to_char((now() AT TIME ZONE 'UTC')::date - 1, 'YYYY-MM-DD') AS yesterday \
         FROM programs WHERE slug = $1",
    )
    .bind::<Text, _>(PROGRAM)
    .get_result::<ProgramRow>(&mut conn)
    .await
    .map_err(|e| format!("the demo program {PROGRAM} is missing (run trellis seed-demo first): {e}"))?;
    let link_codes: Vec<String> =
        diesel::sql_query("SELECT code FROM links WHERE program_id = $1 AND disabled_at IS NULL ORDER BY id")
            .bind::<BigInt, _>(program.id)
            .load::<CodeRow>(&mut conn)
            .await
            .map_err(|e| format!("cannot read the demo links: {e}"))?
            .into_iter()
            .map(|row| row.code)
            .collect();
    if link_codes.is_empty() {
        return Err(format!("the demo program {PROGRAM} has no enabled link"));
    }
    let api_key = crate::commands::api_key::create(database_url, PROGRAM, "Soak run").await?;
    Ok(Setup {
        program_id: program.id,
        currency: program.currency,
        link_codes,
        api_key,
        yesterday: program.yesterday,
    })
}

impl Setup {
    pub fn portal_pages(&self) -> Vec<String> {
        [
            "/portal",
            "/portal/links",
            "/portal/commissions",
            "/portal/deals",
            "/portal/mdf",
            "/portal/training",
        ]
        .map(String::from)
        .to_vec()
    }

    pub fn console_pages(&self) -> Vec<String> {
        let id = self.program_id;
        vec![
            "/console".into(),
            "/console/programs".into(),
            format!("/console/programs/{id}"),
            format!("/console/programs/{id}/conversions"),
            format!("/console/programs/{id}/links"),
            "/console/commissions".into(),
            "/console/deals".into(),
            "/console/reports/deals".into(),
        ]
    }

    pub fn exports(&self) -> Vec<String> {
        vec![
            format!(
                "/console/programs/{}/conversions.csv?to={}",
                self.program_id, self.yesterday
            ),
            "/console/reports/deals.csv?table=stages".into(),
            "/console/reports/deals.csv?table=partners".into(),
        ]
    }
}
