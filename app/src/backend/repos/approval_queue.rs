//! The console's approval queue: accruals and manual adjustments whose latest decision leaves
//! them waiting for a manager, for finance, or on hold, with what an approver needs to decide
//! (program, partner, order or the adjustment's reason and author, amount, since when it waits,
//! the SLA hours and why it was routed there).

use super::ledger::STATE_JOIN;
use super::{like_pattern, page_window};
use crate::backend::scope::Scope;
use crate::domain::commission::queue::{QueueSort, QueueTab};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Bool, Integer, Nullable, Numeric, Text, Timestamptz};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::OffsetDateTime;

#[derive(Clone, Debug)]
pub struct QueueFilter {
    pub tab: QueueTab,
    pub program_id: Option<i64>,
    /// Part of the partner's name (matched literally, any case).
    pub partner: Option<String>,
    pub min_amount: Option<Decimal>,
    /// Only items pending longer than their program's reminder time.
    pub overdue_only: bool,
    pub sort: QueueSort,
    pub page: i64,
    pub per_page: i64,
}

#[derive(Clone, Debug, QueryableByName)]
pub struct QueueRow {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    /// "commission" or "adjustment".
    #[diesel(sql_type = Text)]
    pub kind: String,
    /// An adjustment's reason, author and the author's name.
    #[diesel(sql_type = Nullable<Text>)]
    pub reason: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub author_id: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    pub author_name: Option<String>,
    #[diesel(sql_type = Text)]
    pub program_name: String,
    #[diesel(sql_type = BigInt)]
    pub partner_id: i64,
    #[diesel(sql_type = Text)]
    pub partner_name: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub order_id: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub event: Option<String>,
    #[diesel(sql_type = Numeric)]
    pub amount: Decimal,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub stage: Option<String>,
    /// The latest decision's number: what an approver "saw".
    #[diesel(sql_type = Integer)]
    pub seq: i32,
    /// When the latest decision was made: the item has waited since then.
    #[diesel(sql_type = Timestamptz)]
    pub waiting_since: OffsetDateTime,
    #[diesel(sql_type = Integer)]
    pub remind_hours: i32,
    #[diesel(sql_type = Integer)]
    pub escalate_hours: i32,
    /// Why the routing rules sent it where they did (the first decision's reason).
    #[diesel(sql_type = Text)]
    pub routing_reason: String,
    /// The latest decision's reason (a hold's reason, for example).
    #[diesel(sql_type = Text)]
    pub latest_reason: String,
}

/// How many items each tab holds under the same filters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, QueryableByName)]
pub struct TabCounts {
    #[diesel(sql_type = BigInt)]
    pub manager: i64,
    #[diesel(sql_type = BigInt)]
    pub finance: i64,
    #[diesel(sql_type = BigInt)]
    pub on_hold: i64,
}

impl TabCounts {
    pub fn of(&self, tab: QueueTab) -> i64 {
        match tab {
            QueueTab::Manager => self.manager,
            QueueTab::Finance => self.finance,
            QueueTab::OnHold => self.on_hold,
        }
    }
}

fn tab_condition(tab: QueueTab) -> &'static str {
    match tab {
        QueueTab::Manager => "st.status = 'pending' AND st.stage = 'manager'",
        QueueTab::Finance => "st.status = 'pending' AND st.stage = 'finance'",
        QueueTab::OnHold => "st.status = 'on_hold'",
    }
}

fn order_by(sort: QueueSort) -> &'static str {
    match sort {
        QueueSort::Waiting => "st.decided_at ASC, c.id ASC",
        QueueSort::Newest => "st.decided_at DESC, c.id DESC",
        QueueSort::Amount => "abs(c.amount) DESC, c.id ASC",
    }
}

/// The filtered accruals and adjustments of the operator's programs, before the tab, with
/// `joins` added. Binds: $1 now, $2 program, $3 partner pattern, $4 minimum amount (of either
/// sign: a deduction moves money too), $5 overdue only, $6 the programs in scope.
fn from_clause(joins: &str) -> String {
    format!(
        "FROM commissions c {STATE_JOIN}
         JOIN programs p ON p.id = c.program_id
         JOIN partners pa ON pa.id = c.partner_id
         {joins}
         WHERE c.kind IN ('commission', 'adjustment')
           AND c.program_id = ANY($6)
           AND ($2::bigint IS NULL OR c.program_id = $2)
           AND ($3::text IS NULL OR pa.name ILIKE $3)
           AND ($4::numeric IS NULL OR abs(c.amount) >= $4)
           AND (NOT $5 OR (st.status = 'pending'
                AND st.decided_at <= $1 - make_interval(hours => p.sla_remind_hours)))"
    )
}

macro_rules! bind_filter {
    ($query:expr, $scope:expr, $filter:expr, $now:expr) => {
        $query
            .bind::<Timestamptz, _>($now)
            .bind::<Nullable<BigInt>, _>($filter.program_id)
            .bind::<Nullable<Text>, _>($filter.partner.as_deref().map(like_pattern))
            .bind::<Nullable<Numeric>, _>($filter.min_amount)
            .bind::<Bool, _>($filter.overdue_only)
            .bind::<Array<BigInt>, _>(&$scope.programs)
    };
}

/// One page of the filter's tab; `counts` gives the tab's total.
pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    filter: &QueueFilter,
    now: OffsetDateTime,
) -> QueryResult<Vec<QueueRow>> {
    let (offset, limit) = page_window(filter.page, filter.per_page);
    let sql = format!(
        "SELECT c.id, c.kind, c.reason, c.created_by AS author_id, u.display_name AS author_name,
                p.name AS program_name, c.partner_id, pa.name AS partner_name, v.order_id, v.event,
                c.amount, c.currency, st.status, st.stage, st.seq, st.decided_at AS waiting_since,
                p.sla_remind_hours AS remind_hours, p.sla_escalate_hours AS escalate_hours,
                COALESCE(r.reason, '') AS routing_reason, COALESCE(ld.reason, '') AS latest_reason
         {from}
           AND {tab}
         ORDER BY {order} OFFSET $7 LIMIT $8",
        from = from_clause(
            "LEFT JOIN conversions v ON v.id = c.conversion_id
             LEFT JOIN users u ON u.id = c.created_by
             LEFT JOIN commission_decisions r ON r.commission_id = c.id AND r.seq = 1
             LEFT JOIN commission_decisions ld ON ld.commission_id = c.id AND ld.seq = st.seq"
        ),
        tab = tab_condition(filter.tab),
        order = order_by(filter.sort),
    );
    bind_filter!(diesel::sql_query(sql), scope, filter, now)
        .bind::<BigInt, _>(offset)
        .bind::<BigInt, _>(limit)
        .load(conn)
        .await
}

/// The number of items in every tab under the filter (its tab, sort and page aside).
pub async fn counts(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    filter: &QueueFilter,
    now: OffsetDateTime,
) -> QueryResult<TabCounts> {
    let sql = format!(
        "SELECT count(*) FILTER (WHERE {manager}) AS manager,
                count(*) FILTER (WHERE {finance}) AS finance,
                count(*) FILTER (WHERE {on_hold}) AS on_hold
         {from}",
        manager = tab_condition(QueueTab::Manager),
        finance = tab_condition(QueueTab::Finance),
        on_hold = tab_condition(QueueTab::OnHold),
        from = from_clause(""),
    );
    bind_filter!(diesel::sql_query(sql), scope, filter, now)
        .get_result(conn)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::repos::testing_ledger::{accrual, adjustment, other_brand, program_with_partners, scope_of};
    use crate::backend::testing::TestDb;
    use crate::domain::commission::approval::{Stage, State};
    use time::Duration;

    fn filter(tab: QueueTab) -> QueueFilter {
        QueueFilter {
            tab,
            program_id: None,
            partner: None,
            min_amount: None,
            overdue_only: false,
            sort: QueueSort::Waiting,
            page: 1,
            per_page: 2,
        }
    }

    #[tokio::test]
    async fn tabs_filters_sorting_and_pages() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let now = OffsetDateTime::now_utc();
        let (program, [ada, bob]) = program_with_partners(&mut conn).await;
        let every = Scope::everything(&mut conn).await.unwrap();
        let old = accrual(
            &mut conn,
            program,
            ada,
            "A-1",
            40,
            State::Pending(Stage::Manager),
            now - Duration::days(5),
        )
        .await;
        let big = accrual(
            &mut conn,
            program,
            bob,
            "B-1",
            900,
            State::Pending(Stage::Manager),
            now - Duration::hours(1),
        )
        .await;
        let mid = accrual(
            &mut conn,
            program,
            bob,
            "B-2",
            60,
            State::Pending(Stage::Manager),
            now - Duration::hours(2),
        )
        .await;
        accrual(&mut conn, program, ada, "A-2", 700, State::Pending(Stage::Finance), now).await;
        accrual(&mut conn, program, ada, "A-3", 30, State::OnHold, now).await;
        accrual(&mut conn, program, ada, "A-4", 30, State::Approved, now).await;

        let manager = list(&mut conn, &every, &filter(QueueTab::Manager), now).await.unwrap();
        let ids: Vec<i64> = manager.iter().map(|r| r.id).collect();
        assert_eq!(ids, [old, mid], "longest waiting first, two per page");
        assert_eq!(manager[0].order_id.as_deref(), Some("A-1"));
        assert_eq!(manager[0].routing_reason, "needs a manager");
        assert_eq!(manager[0].seq, 1);

        let mut by_amount = filter(QueueTab::Manager);
        by_amount.sort = QueueSort::Amount;
        assert_eq!(list(&mut conn, &every, &by_amount, now).await.unwrap()[0].id, big);
        by_amount.page = 2;
        assert_eq!(list(&mut conn, &every, &by_amount, now).await.unwrap().len(), 1);

        let all = counts(&mut conn, &every, &filter(QueueTab::Manager), now)
            .await
            .unwrap();
        assert_eq!(
            all,
            TabCounts {
                manager: 3,
                finance: 1,
                on_hold: 1
            }
        );

        let mut narrowed = filter(QueueTab::Manager);
        narrowed.partner = Some("BO".into());
        narrowed.min_amount = Some(Decimal::from(100));
        let rows = list(&mut conn, &every, &narrowed, now).await.unwrap();
        assert_eq!(rows.iter().map(|r| r.id).collect::<Vec<_>>(), [big]);
        assert_eq!(counts(&mut conn, &every, &narrowed, now).await.unwrap().manager, 1);
        narrowed.partner = Some("%".into());
        assert!(
            list(&mut conn, &every, &narrowed, now).await.unwrap().is_empty(),
            "% matches literally"
        );

        let mut overdue = filter(QueueTab::Manager);
        overdue.overdue_only = true;
        let rows = list(&mut conn, &every, &overdue, now).await.unwrap();
        assert_eq!(
            rows.iter().map(|r| r.id).collect::<Vec<_>>(),
            [old],
            "past the 48-hour reminder"
        );
        assert_eq!(counts(&mut conn, &every, &overdue, now).await.unwrap().on_hold, 0);

        let mut other_program = filter(QueueTab::Manager);
        other_program.program_id = Some(program + 1000);
        assert!(list(&mut conn, &every, &other_program, now).await.unwrap().is_empty());

        // Another brand's commission: counted and listed for whoever sees every brand, never
        // for an operator limited to the first brand, even when they pick its program.
        let (globex, zed) = other_brand(&mut conn).await;
        accrual(&mut conn, globex, zed, "Z-1", 50, State::Pending(Stage::Manager), now).await;
        let everything = Scope::everything(&mut conn).await.unwrap();
        let acme_only = scope_of(&mut conn, program).await;
        let mut every_row = filter(QueueTab::Manager);
        every_row.per_page = 50;
        let manager_count = |c: TabCounts| c.manager;
        assert_eq!(
            manager_count(counts(&mut conn, &everything, &every_row, now).await.unwrap()),
            4
        );
        assert_eq!(
            manager_count(counts(&mut conn, &acme_only, &every_row, now).await.unwrap()),
            3
        );
        let names: Vec<String> = list(&mut conn, &acme_only, &every_row, now)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.partner_name)
            .collect();
        assert!(!names.is_empty() && !names.contains(&"Zed Systems".to_owned()));
        every_row.program_id = Some(globex);
        assert!(list(&mut conn, &acme_only, &every_row, now).await.unwrap().is_empty());
        assert_eq!(list(&mut conn, &everything, &every_row, now).await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn adjustments_waiting_for_finance_are_listed_with_their_reason_and_author() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let now = OffsetDateTime::now_utc();
        let (program, [ada, bob]) = program_with_partners(&mut conn).await;
        let author = crate::backend::repos::users::insert_operator(
            &mut conn,
            "morgan@example.com",
            "Morgan",
            crate::domain::access::OperatorRole::Manager,
            "h",
        )
        .await
        .unwrap()
        .id;
        let waiting = State::Pending(Stage::Finance);
        let deduction = adjustment(&mut conn, (program, ada), -800, (author, "double payout"), waiting, now).await;
        adjustment(
            &mut conn,
            (program, bob),
            5,
            (author, "small bonus"),
            State::Approved,
            now,
        )
        .await;
        adjustment(&mut conn, (program, bob), 90, (author, "refused"), State::Rejected, now).await;
        let accrual_id = accrual(&mut conn, program, ada, "A-1", 300, waiting, now - Duration::hours(1)).await;
        let every = Scope::everything(&mut conn).await.unwrap();

        let mut finance = filter(QueueTab::Finance);
        finance.sort = QueueSort::Amount;
        finance.per_page = 10;
        let rows = list(&mut conn, &every, &finance, now).await.unwrap();
        assert_eq!(
            rows.iter().map(|r| r.id).collect::<Vec<_>>(),
            [deduction, accrual_id],
            "the largest movement first, whatever its sign; decided ones are gone"
        );
        let row = &rows[0];
        assert_eq!(row.kind, "adjustment");
        assert_eq!(row.reason.as_deref(), Some("double payout"));
        assert_eq!(
            (row.author_id, row.author_name.as_deref()),
            (Some(author), Some("Morgan"))
        );
        assert_eq!(row.order_id, None);
        assert_eq!((rows[1].kind.as_str(), rows[1].author_id), ("commission", None));
        finance.min_amount = Some(Decimal::from(500));
        let big = list(&mut conn, &every, &finance, now).await.unwrap();
        assert_eq!(big.iter().map(|r| r.id).collect::<Vec<_>>(), [deduction]);
        let all = counts(&mut conn, &every, &filter(QueueTab::Finance), now)
            .await
            .unwrap();
        assert_eq!((all.manager, all.finance, all.on_hold), (0, 2, 0));
    }
}
