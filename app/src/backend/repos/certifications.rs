//! Certifications, the certificates people earn, and the stored count of certified people per
//! partner that tiers and content gates read.

use crate::backend::schema::{certificates, certifications, partners, programs, users};
use diesel::prelude::*;
use diesel::sql_types::{Int8, Timestamptz};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = certifications)]
pub struct CertificationRow {
    pub id: i64,
    pub program_id: i64,
    pub name: String,
    pub description: String,
    pub valid_months: i16,
    pub course_ids: Vec<i64>,
    pub created_at: OffsetDateTime,
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = certifications)]
pub struct NewCertification {
    pub program_id: i64,
    pub name: String,
    pub description: String,
    pub valid_months: i16,
    pub course_ids: Vec<i64>,
    pub created_by: i64,
    pub created_at: OffsetDateTime,
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = certificates)]
pub struct CertificateRow {
    pub id: i64,
    pub certification_id: i64,
    pub user_id: i64,
    pub partner_id: i64,
    pub code: String,
    pub awarded_at: OffsetDateTime,
    pub valid_until: OffsetDateTime,
    pub reminded_30_at: Option<OffsetDateTime>,
    pub reminded_7_at: Option<OffsetDateTime>,
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = certificates)]
pub struct NewCertificate {
    pub certification_id: i64,
    pub user_id: i64,
    pub partner_id: i64,
    pub code: String,
    pub awarded_at: OffsetDateTime,
    pub valid_until: OffsetDateTime,
}

pub async fn insert(conn: &mut AsyncPgConnection, new: &NewCertification) -> QueryResult<i64> {
    diesel::insert_into(certifications::table)
        .values(new)
        .returning(certifications::id)
        .get_result(conn)
        .await
}

pub async fn of_program(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<Vec<CertificationRow>> {
    certifications::table
        .filter(certifications::program_id.eq(program_id))
        .order(certifications::id)
        .select(CertificationRow::as_select())
        .load(conn)
        .await
}

/// The certifications that a pass of this course counts towards.
pub async fn containing_course(conn: &mut AsyncPgConnection, course_id: i64) -> QueryResult<Vec<CertificationRow>> {
    certifications::table
        .filter(certifications::course_ids.contains(vec![course_id]))
        .select(CertificationRow::as_select())
        .load(conn)
        .await
}

/// The person's newest certificate of a certification.
pub async fn current(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    certification_id: i64,
) -> QueryResult<Option<CertificateRow>> {
    certificates::table
        .filter(
            certificates::user_id
                .eq(user_id)
                .and(certificates::certification_id.eq(certification_id)),
        )
        .order(certificates::valid_until.desc())
        .select(CertificateRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn award(conn: &mut AsyncPgConnection, new: &NewCertificate) -> QueryResult<i64> {
    diesel::insert_into(certificates::table)
        .values(new)
        .returning(certificates::id)
        .get_result(conn)
        .await
}

/// Rewrites the stored count of people at partners holding a valid certificate: of one partner
/// and certification, or of all of them (`None`, the daily expiry job).
pub async fn refresh_counts(
    conn: &mut AsyncPgConnection,
    only: Option<(i64, i64)>,
    now: OffsetDateTime,
) -> QueryResult<usize> {
    let (partner, certification) = only.map_or((None, None), |(p, c)| (Some(p), Some(c)));
    if let Some((partner, certification)) = only {
        // Two people of one partner certified at once: the second counts after the first
        // commits (its statement's snapshot is taken after the lock), so neither is lost.
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended('certified:' || $1 || ':' || $2, 0))")
            .bind::<Int8, _>(partner)
            .bind::<Int8, _>(certification)
            .execute(conn)
            .await?;
    }
    diesel::sql_query(
        "INSERT INTO partner_certified_people (partner_id, certification_id, people, updated_at)
         SELECT partner_id, certification_id,
                count(DISTINCT user_id) FILTER (WHERE valid_until > $1), $1
         FROM certificates
         WHERE ($2::int8 IS NULL OR partner_id = $2) AND ($3::int8 IS NULL OR certification_id = $3)
         GROUP BY partner_id, certification_id
         ON CONFLICT (partner_id, certification_id) DO UPDATE
         SET people = EXCLUDED.people, updated_at = EXCLUDED.updated_at
         WHERE partner_certified_people.people <> EXCLUDED.people",
    )
    .bind::<Timestamptz, _>(now)
    .bind::<diesel::sql_types::Nullable<Int8>, _>(partner)
    .bind::<diesel::sql_types::Nullable<Int8>, _>(certification)
    .execute(conn)
    .await
}

/// The stored count for one partner and certification (0 when none was ever certified).
pub async fn certified_people(
    conn: &mut AsyncPgConnection,
    partner_id: i64,
    certification_id: i64,
) -> QueryResult<i32> {
    use crate::backend::schema::partner_certified_people as counts;
    Ok(counts::table
        .filter(
            counts::partner_id
                .eq(partner_id)
                .and(counts::certification_id.eq(certification_id)),
        )
        .select(counts::people)
        .first(conn)
        .await
        .optional()?
        .unwrap_or(0))
}

/// What the public verification page shows, and nothing else.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    pub holder: String,
    pub certification: String,
    pub partner: String,
    pub valid_until: OffsetDateTime,
}

pub async fn by_code(conn: &mut AsyncPgConnection, code: &str) -> QueryResult<Option<Verified>> {
    let found: Option<(String, String, String, OffsetDateTime)> = certificates::table
        .inner_join(certifications::table)
        .inner_join(users::table)
        .inner_join(partners::table)
        .filter(certificates::code.eq(code))
        .select((
            users::display_name,
            certifications::name,
            partners::name,
            certificates::valid_until,
        ))
        .first(conn)
        .await
        .optional()?;
    Ok(found.map(|(holder, certification, partner, valid_until)| Verified {
        holder,
        certification,
        partner,
        valid_until,
    }))
}

/// A certificate with the names around it, for the portal and the console's lists.
#[derive(Clone, Debug)]
pub struct HeldCertificate {
    pub certificate: CertificateRow,
    pub certification: String,
    pub program: String,
    pub holder: String,
    pub holder_email: String,
    pub partner: String,
}

type HeldRow = (CertificateRow, String, String, String, String, String);

fn held(rows: Vec<HeldRow>) -> Vec<HeldCertificate> {
    rows.into_iter()
        .map(
            |(certificate, certification, program, holder, holder_email, partner)| HeldCertificate {
                certificate,
                certification,
                program,
                holder,
                holder_email,
                partner,
            },
        )
        .collect()
}

/// Each person's newest certificate per certification, for people of this partner (the portal)
/// or for one person.
pub async fn newest_held(
    conn: &mut AsyncPgConnection,
    partner_id: i64,
    only_user: Option<i64>,
) -> QueryResult<Vec<HeldCertificate>> {
    let mut query = certificates::table
        .inner_join(certifications::table.inner_join(programs::table))
        .inner_join(users::table)
        .inner_join(partners::table)
        .filter(certificates::partner_id.eq(partner_id))
        .distinct_on((certificates::user_id, certificates::certification_id))
        .order((
            certificates::user_id,
            certificates::certification_id,
            certificates::valid_until.desc(),
        ))
        .select((
            CertificateRow::as_select(),
            certifications::name,
            programs::name,
            users::display_name,
            users::email,
            partners::name,
        ))
        .into_boxed();
    if let Some(user_id) = only_user {
        query = query.filter(certificates::user_id.eq(user_id));
    }
    Ok(held(query.load(conn).await?))
}

/// A program's newest certificates per person and certification that end before `before`
/// (and haven't ended before `after`), soonest first.
pub async fn ending_between(
    conn: &mut AsyncPgConnection,
    program_id: Option<i64>,
    after: OffsetDateTime,
    before: OffsetDateTime,
) -> QueryResult<Vec<HeldCertificate>> {
    let mut query = certificates::table
        .inner_join(certifications::table.inner_join(programs::table))
        .inner_join(users::table)
        .inner_join(partners::table)
        .distinct_on((certificates::user_id, certificates::certification_id))
        .order((
            certificates::user_id,
            certificates::certification_id,
            certificates::valid_until.desc(),
        ))
        .select((
            CertificateRow::as_select(),
            certifications::name,
            programs::name,
            users::display_name,
            users::email,
            partners::name,
        ))
        .into_boxed();
    if let Some(program_id) = program_id {
        query = query.filter(certifications::program_id.eq(program_id));
    }
    // Filtering on `after` before DISTINCT ON keeps each person's newest certificate whenever it
    // ends after `after` (and drops them when it doesn't), so only live certificates are read.
    // People who left (deactivated) are not reminded or listed.
    query = query
        .filter(certificates::valid_until.gt(after))
        .filter(users::is_active);
    let mut rows = held(query.load(conn).await?);
    // The newest certificate decides: an older one ending soon was already renewed.
    rows.retain(|h| h.certificate.valid_until <= before);
    rows.sort_by_key(|h| h.certificate.valid_until);
    Ok(rows)
}

/// Marks a reminder sent; false when another worker marked it first.
pub async fn mark_reminded(
    conn: &mut AsyncPgConnection,
    id: i64,
    seven_days: bool,
    now: OffsetDateTime,
) -> QueryResult<bool> {
    let target = certificates::table.filter(certificates::id.eq(id));
    let changed = if seven_days {
        diesel::update(target.filter(certificates::reminded_7_at.is_null()))
            .set(certificates::reminded_7_at.eq(now))
            .execute(conn)
            .await?
    } else {
        diesel::update(target.filter(certificates::reminded_30_at.is_null()))
            .set(certificates::reminded_30_at.eq(now))
            .execute(conn)
            .await?
    };
    Ok(changed == 1)
}

/// Certified people per partner and certification of a program (the stored counts), most first.
pub async fn certified_per_partner(
    conn: &mut AsyncPgConnection,
    program_id: i64,
) -> QueryResult<Vec<(String, String, i32)>> {
    use crate::backend::schema::partner_certified_people as counts;
    counts::table
        .inner_join(partners::table)
        .inner_join(certifications::table)
        .filter(certifications::program_id.eq(program_id).and(counts::people.gt(0)))
        .order((counts::people.desc(), partners::name))
        .select((partners::name, certifications::name, counts::people))
        .load(conn)
        .await
}

pub async fn program_of(conn: &mut AsyncPgConnection, certification_id: i64) -> QueryResult<i64> {
    certifications::table
        .filter(certifications::id.eq(certification_id))
        .select(certifications::program_id)
        .first(conn)
        .await
}
