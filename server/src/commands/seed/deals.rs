//! Demo deal registration: the resellers' product catalogue and one existing customer, so the
//! registration form has products to choose and the existing-customer rule can be seen.

use app::api::error::AppError;
use app::backend::repos::{deal_catalogue, programs};
use diesel_async::AsyncPgConnection;
use time::OffsetDateTime;

const PRODUCTS: [&str; 3] = ["Acme Cloud Platform", "Acme Edge Network", "Premium Support"];

pub async fn seed(conn: &mut AsyncPgConnection, now: OffsetDateTime) -> Result<(), AppError> {
    let Some((program, _)) = programs::find_by_slug(conn, "acme-resellers").await? else {
        return Ok(());
    };
    if !deal_catalogue::products(conn, program.id).await?.is_empty() {
        return Ok(());
    }
    for name in PRODUCTS {
        deal_catalogue::add_product(conn, program.id, name).await?;
    }
    deal_catalogue::import_customers(conn, program.id, &["globex.example".to_owned()], "import", now).await?;
    Ok(())
}
