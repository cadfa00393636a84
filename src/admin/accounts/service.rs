//! The accounts page's use cases: a new account checked field by field, changes guarded so
//! that the portal always keeps an active admin.
use super::model::{AccountView, AccountsData};
use crate::admin::model::Role;
use crate::error::{AppError, FieldError, FieldProblem};
use crate::server::AppState;
use crate::server::auth::password;
use crate::server::store::{AccountChange, AccountRecord, AccountRefusal, Actor, NewAccount, StoreError};

pub const NAME_MAX: usize = 100;

/// Every account, the signed-in admin's marked.
pub async fn list(state: &AppState, me: &AccountRecord) -> Result<AccountsData, AppError> {
    Ok(AccountsData {
        accounts: state
            .store
            .accounts()
            .await?
            .into_iter()
            .map(|account| AccountView {
                me: account.id == me.id,
                id: account.id,
                email: account.email,
                display_name: account.display_name,
                role: account.role,
                disabled: account.disabled,
                created: crate::server::time::sofia_date(account.created_at),
                events: account.events,
            })
            .collect(),
    })
}

/// A password the sign-in form will take: 12 to 256 bytes, as sign-in counts them.
fn password_problem(password: &str) -> Option<FieldProblem> {
    (!(password::MIN_LENGTH..=password::MAX_LENGTH).contains(&password.len())).then_some(FieldProblem::PasswordLength {
        min: u32::try_from(password::MIN_LENGTH).unwrap_or(u32::MAX),
    })
}

/// Argon2id on a blocking thread: it takes a core for a moment.
async fn hashed(secret: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || password::hash(&secret))
        .await
        .map_err(|_| AppError::Internal)?
        .map_err(|_| AppError::Internal)
}

/// The new account's fields checked; every problem by field.
pub fn check_new(
    email: &str,
    display_name: &str,
    role: &str,
    secret: &str,
) -> Result<(String, String, Role), Vec<FieldError>> {
    let mut errors = Vec::new();
    let email = email.trim().to_lowercase();
    if email.is_empty() {
        errors.push(FieldError::new("email", FieldProblem::Required));
    } else if email.parse::<crate::domain::Email>().is_err() {
        errors.push(FieldError::new("email", FieldProblem::InvalidEmail));
    }
    let name = display_name.trim();
    if name.is_empty() {
        errors.push(FieldError::new("display_name", FieldProblem::Required));
    } else if name.chars().count() > NAME_MAX {
        errors.push(FieldError::new("display_name", FieldProblem::TooLong));
    }
    let role = role.parse::<Role>();
    if role.is_err() {
        errors.push(FieldError::new("role", FieldProblem::Required));
    }
    if let Some(problem) = password_problem(secret) {
        errors.push(FieldError::new("password", problem));
    }
    match role {
        Ok(role) if errors.is_empty() => Ok((email, name.to_owned(), role)),
        _ => Err(errors),
    }
}

/// Creates an account with the password the admin chose (to be passed on in person).
pub async fn create(
    state: &AppState,
    admin: &AccountRecord,
    (email, display_name, role, secret): (&str, &str, &str, &str),
) -> Result<(), AppError> {
    let (email, display_name, role) = check_new(email, display_name, role, secret).map_err(AppError::Validation)?;
    let account = NewAccount {
        email,
        display_name,
        role,
        password_hash: hashed(secret.to_owned()).await?,
    };
    let now = crate::server::time::now();
    match state.store.create_account(&account, now, &Actor::account(admin)).await {
        Ok(id) => {
            tracing::info!(admin = admin.id, account = id, role = role.as_str(), "account created");
            Ok(())
        }
        Err(StoreError::Duplicate) => Err(AppError::Validation(vec![FieldError::new(
            "email",
            FieldProblem::EmailTaken,
        )])),
        Err(error) => Err(error.into()),
    }
}

/// A new password for an account, checked and hashed.
pub async fn new_password(secret: &str) -> Result<AccountChange, AppError> {
    match password_problem(secret) {
        Some(problem) => Err(AppError::Validation(vec![FieldError::new("password", problem)])),
        None => Ok(AccountChange::PasswordHash(hashed(secret.to_owned()).await?)),
    }
}

/// Changes the account `id`; the field named answers a refusal.
pub async fn change(
    state: &AppState,
    admin: &AccountRecord,
    id: i64,
    change: AccountChange,
    field: &str,
) -> Result<(), AppError> {
    match state.store.change_account(id, &change, &Actor::account(admin)).await? {
        Ok(()) => {
            tracing::info!(admin = admin.id, account = id, field, "account changed");
            Ok(())
        }
        Err(AccountRefusal::NotFound) => Err(AppError::NotFound),
        Err(AccountRefusal::LastAdmin) => Err(AppError::Validation(vec![FieldError::new(
            field,
            FieldProblem::LastAdmin,
        )])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_account_needs_an_address_a_name_a_role_and_a_long_enough_password() {
        let problems = check_new("not-an-address", " ", "superuser", "short").unwrap_err();
        let fields: Vec<(&str, FieldProblem)> = problems.iter().map(|e| (e.field.as_str(), e.problem)).collect();
        assert_eq!(
            fields,
            vec![
                ("email", FieldProblem::InvalidEmail),
                ("display_name", FieldProblem::Required),
                ("role", FieldProblem::Required),
                ("password", FieldProblem::PasswordLength { min: 12 })
            ]
        );
        let (email, name, role) =
            check_new(" Maria@Example.BG ", "Мария Иванова", "organiser", "дълга парола 2026").unwrap();
        assert_eq!(
            (email.as_str(), name.as_str(), role),
            ("maria@example.bg", "Мария Иванова", Role::Organiser)
        );
    }
}
