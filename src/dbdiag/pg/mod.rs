//! The PostgreSQL driver (to come).

/// One line describing a PostgreSQL error, without secrets.
#[must_use]
pub fn describe(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => db.message().to_owned(),
        None => e.to_string(),
    }
}
