//! Server functions of the accounts page: admins only, checked here on the server.
use super::model::AccountsData;
use crate::admin::model::Role;
use crate::error::AppError;
use crate::wire::WireJson;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

#[cfg(feature = "ssr")]
async fn admin() -> Result<(crate::server::AppState, crate::server::store::AccountRecord), AppError> {
    crate::admin::api::signed_in_as(&[Role::Admin]).await
}

/// Every account.
#[server(prefix = "/api", endpoint = "admin/accounts", input = GetUrl, output = WireJson)]
pub async fn accounts() -> Result<AccountsData, AppError> {
    let (state, me) = admin().await?;
    super::service::list(&state, &me).await
}

/// Creates an account with a first password the admin passes on in person.
#[server(prefix = "/api", endpoint = "admin/accounts/create", output = WireJson)]
pub async fn create_account(
    #[server(default)] email: String,
    #[server(default)] display_name: String,
    #[server(default)] role: String,
    #[server(default)] password: String,
) -> Result<(), AppError> {
    let (state, me) = admin().await?;
    let typed = (email.as_str(), display_name.as_str(), role.as_str(), password.as_str());
    crate::admin::api::with_status(super::service::create(&state, &me, typed).await)
}

/// Gives an account another role.
#[server(prefix = "/api", endpoint = "admin/accounts/role", output = WireJson)]
pub async fn set_role(id: i64, role: Role) -> Result<(), AppError> {
    use crate::server::store::AccountChange;
    let (state, me) = admin().await?;
    crate::admin::api::with_status(super::service::change(&state, &me, id, AccountChange::Role(role), "role").await)
}

/// Turns an account off (its sessions end at once) or on again.
#[server(prefix = "/api", endpoint = "admin/accounts/disabled", output = WireJson)]
pub async fn set_disabled(id: i64, #[server(default)] disabled: bool) -> Result<(), AppError> {
    use crate::server::store::AccountChange;
    let (state, me) = admin().await?;
    let change = AccountChange::Disabled(disabled);
    crate::admin::api::with_status(super::service::change(&state, &me, id, change, "disabled").await)
}

/// Sets a new password (a forgotten one); the account's sessions end.
#[server(prefix = "/api", endpoint = "admin/accounts/password", output = WireJson)]
pub async fn set_password(id: i64, #[server(default)] password: String) -> Result<(), AppError> {
    let (state, me) = admin().await?;
    let result = match super::service::new_password(&password).await {
        Ok(change) => super::service::change(&state, &me, id, change, "password").await,
        Err(error) => Err(error),
    };
    crate::admin::api::with_status(result)
}
