//! `trellis create-operator --email E --role R`: adds a console user. The password is read from
//! stdin with `--password-stdin`, or generated and printed once.

use app::api::error::AppError;
use app::backend::passwords;
use app::backend::repos::audit::{self, Actor, NewEvent};
use app::backend::repos::users;
use app::domain::access::OperatorRole;
use app::domain::password::check_new_password;
use diesel_async::AsyncConnection;

pub struct NewOperator {
    pub email: String,
    pub role: String,
    pub name: Option<String>,
    pub password: Option<String>,
}

/// Creates the operator and returns the password to print when one was generated.
pub async fn run(database_url: &str, new: NewOperator) -> Result<Option<String>, String> {
    let email = app::domain::validate::email(&new.email).map_err(|e| format!("--email: {e}"))?;
    let role = OperatorRole::parse(&new.role)
        .ok_or_else(|| format!("--role: '{}' is not one of admin, manager, finance, viewer", new.role))?;
    let (password, generated) = match new.password {
        Some(p) => {
            check_new_password(&p, &p).map_err(|(_, m)| format!("password: {m}"))?;
            (p, false)
        }
        None => (app::backend::tokens::new_password(), true),
    };
    let hash = passwords::hash(password.clone()).await?;
    let name = new
        .name
        .unwrap_or_else(|| email.split('@').next().unwrap_or("Operator").to_owned());
    let mut conn = app::backend::db::connect(database_url)
        .await
        .map_err(|e| format!("cannot connect to the database: {e}"))?;
    conn.transaction::<_, AppError, _>(async |conn| {
        if users::find_by_email(conn, &email).await?.is_some() {
            return Err(AppError::Conflict(format!(
                "--email: an account with {email} already exists"
            )));
        }
        let user = users::insert_operator(conn, &email, &name, role, &hash).await?;
        audit::record(
            conn,
            NewEvent {
                actor: &Actor::system("trellis create-operator"),
                action: "operator.create",
                subject_type: "user",
                subject_id: user.id.to_string(),
                before: None,
                after: Some(serde_json::json!({ "email": email, "role": role.as_str() })),
                request_id: None,
            },
        )
        .await
        .map_err(AppError::from)
    })
    .await
    .map_err(|e| e.to_string())?;
    Ok(generated.then_some(password))
}
