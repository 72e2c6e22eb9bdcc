//! The first run: while no operator exists, `trellis serve` prints a one-time link; following
//! it creates the first admin, the first brand and, optionally, the first program, in one
//! transaction. Once an operator exists the setup is gone for good.

use crate::api::error::AppError;
use crate::backend::flows::RequestMeta;
use crate::backend::passwords;
use crate::backend::repos::{operators, setup_tokens, users};
use crate::backend::scope::Scope;
use crate::domain::access::OperatorRole;
use crate::domain::admin::brand_form::{self, BrandInput};
use crate::domain::admin::program_form::ProgramInput;
use crate::domain::password::check_new_password;
use crate::domain::validate::{self, FieldErrors};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;

pub use crate::domain::admin::SETUP_LINK_INVALID as LINK_INVALID;

/// What the setup form sends.
#[derive(Clone, Debug, Default)]
pub struct SetupForm {
    pub admin_name: String,
    pub admin_email: String,
    pub password: String,
    pub password_confirmation: String,
    pub brand: BrandInput,
    /// Present when the form's "create my first program" part was filled in.
    pub program: Option<ProgramInput>,
}

impl SetupForm {
    /// Typed values to show again (never the passwords).
    pub fn echo(&self) -> Vec<(&'static str, String)> {
        let mut typed = vec![
            ("admin_name", self.admin_name.clone()),
            ("admin_email", self.admin_email.clone()),
        ];
        typed.extend(self.brand.echo().into_iter().map(|(k, v)| (k, v.to_owned())));
        if let Some(program) = &self.program {
            typed.extend(
                program
                    .echo()
                    .into_iter()
                    .map(|(k, v)| (program_field(k), v.to_owned())),
            );
        }
        typed
    }
}

/// Program fields carry a prefix on the setup form, where "name" is the brand's.
pub fn program_field(field: &str) -> &'static str {
    match field {
        "name" => "program_name",
        "slug" => "program_slug",
        "kind" => "program_kind",
        "currency" => "program_currency",
        "access" => "program_access",
        "description" => "program_description",
        _ => "program_terms",
    }
}

/// What the setup made.
#[derive(Clone, Debug)]
pub struct SetupDone {
    pub admin_id: i64,
    pub brand_id: i64,
    pub program_id: Option<i64>,
}

/// A new setup link's token, when no operator exists yet.
pub async fn issue_link(conn: &mut AsyncPgConnection, now: OffsetDateTime) -> Result<Option<String>, AppError> {
    if operators::any_exists(conn).await? {
        return Ok(None);
    }
    Ok(Some(setup_tokens::issue(conn, now).await?))
}

/// Where the setup page stands for this token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetupState {
    /// An operator exists: the setup is gone (404).
    Done,
    /// The token is missing, used, expired or replaced.
    LinkInvalid,
    Open,
}

pub async fn state(conn: &mut AsyncPgConnection, token: &str, now: OffsetDateTime) -> Result<SetupState, AppError> {
    Ok(if operators::any_exists(conn).await? {
        SetupState::Done
    } else if token.is_empty() || !setup_tokens::is_valid(conn, token, now).await? {
        SetupState::LinkInvalid
    } else {
        SetupState::Open
    })
}

fn check_admin(form: &SetupForm, errors: &mut FieldErrors) -> Option<(String, String)> {
    let name = errors.check(
        "admin_name",
        validate::required_text(&form.admin_name, "Your name", 120),
    );
    let email = errors.check("admin_email", validate::email(&form.admin_email));
    if let Err((field, message)) = check_new_password(&form.password, &form.password_confirmation) {
        errors.add(field, message);
    }
    name.zip(email)
}

/// Checks everything, then creates the admin, the brand (with its logo) and the program in one
/// transaction that also uses up the token. Any refusal leaves the database as it was.
pub async fn complete(
    conn: &mut AsyncPgConnection,
    token: &str,
    form: &SetupForm,
    logo: Option<&[u8]>,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<SetupDone, AppError> {
    match state(conn, token, now).await? {
        SetupState::Done => return Err(AppError::NotFound("Trellis is already set up.".into())),
        SetupState::LinkInvalid => return Err(AppError::field("token", LINK_INVALID)),
        SetupState::Open => {}
    }
    let mut errors = FieldErrors::default();
    let admin = check_admin(form, &mut errors);
    let brand = match brand_form::validate(&form.brand) {
        Ok(brand) => Some(brand),
        Err(brand_errors) => {
            errors.merge(brand_errors);
            None
        }
    };
    if let Some(bytes) = logo {
        errors.check("logo", brand_form::logo(bytes));
    }
    if let Some(program) = &form.program {
        if let Err(program_errors) = crate::domain::admin::program_form::validate(program, form.brand.name.trim()) {
            // The program's currency is the brand's: its error already stands on the brand's field.
            for e in program_errors.errors.into_iter().filter(|e| e.field != "currency") {
                errors.add(program_field(&e.field), e.message);
            }
        }
    }
    let typed = form.echo();
    let typed: Vec<(&str, &str)> = typed.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (Some((name, email)), Some(brand)) = (admin, brand) else {
        return Err(AppError::Invalid(errors.with_submitted(&typed)));
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors.with_submitted(&typed)));
    }
    let hash = passwords::hash(form.password.clone())
        .await
        .map_err(crate::backend::errors::internal)?;
    conn.transaction::<_, AppError, _>(async |conn| {
        // One setup at a time: the second of two racing submissions finds the operator.
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext('trellis-setup'))")
            .execute(conn)
            .await?;
        if operators::any_exists(conn).await? {
            return Err(AppError::NotFound("Trellis is already set up.".into()));
        }
        if !setup_tokens::consume(conn, token, now).await? {
            return Err(AppError::field("token", LINK_INVALID));
        }
        let admin = users::insert_operator(conn, &email, &name, OperatorRole::Admin, &hash).await?;
        let user = crate::backend::auth::AuthUser {
            id: admin.id,
            email: admin.email.clone(),
            display_name: admin.display_name.clone(),
            account: crate::backend::repos::users::Account::Operator(OperatorRole::Admin),
            brand_scoped: false,
        };
        let everything = Scope::everything(conn).await?;
        super::record(
            conn,
            &user,
            "installation.setup",
            ("user", admin.id),
            serde_json::json!({ "ip": meta.ip }),
            meta,
        )
        .await?;
        let brand = super::brands::create(conn, &user, &everything, &brand, logo, meta).await?;
        let scope = Scope::everything(conn).await?;
        let program_id = match &form.program {
            Some(input) => Some(
                super::programs::create(conn, &user, &scope, brand.id, input, meta, now)
                    .await?
                    .id,
            ),
            None => None,
        };
        Ok(SetupDone {
            admin_id: admin.id,
            brand_id: brand.id,
            program_id,
        })
    })
    .await
}
