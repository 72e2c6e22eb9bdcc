//! SQL functions Diesel doesn't declare itself.

use diesel::sql_types::Text;

diesel::define_sql_function! {
    /// PostgreSQL's `lower(text)`, for case-insensitive email lookups on `lower(email)` indexes.
    fn lower(value: Text) -> Text;
}
