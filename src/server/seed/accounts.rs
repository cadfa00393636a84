//! The demo accounts, for trying the admin side and for the end-to-end tests.
use crate::domain::Lang;

/// The demo accounts `DEMO_ACCOUNTS=1` creates: an editor, and an organiser of the summer art
/// party. Their passwords are in the README; they exist for trying the admin side and for the
/// end-to-end tests, never in production.
pub const DEMO_EDITOR: (&str, &str) = ("editor@demo.ngo-portal.bg", "demo-editor-password");
pub const DEMO_ORGANISER: (&str, &str) = ("organiser@demo.ngo-portal.bg", "demo-organiser-password");
const DEMO_ORGANISED_EVENT: &str = "summer-art-party";

/// With `enabled` (`DEMO_ACCOUNTS=1`), creates the demo accounts that do not exist yet (saying
/// so in the log once) or turns them on again; without it, turns off any left from a time it
/// was on, so that their published passwords open nothing.
pub async fn demo_accounts(
    store: &dyn crate::server::store::Store,
    enabled: bool,
) -> Result<(), crate::server::StartError> {
    use crate::admin::model::Role;
    use crate::server::auth::password;
    use crate::server::store::{NewAccount, StoreError};
    let accounts = [
        (DEMO_EDITOR, "Демо редактор", Role::Editor),
        (DEMO_ORGANISER, "Демо организатор", Role::Organiser),
    ];
    let now = crate::server::time::now();
    let actor = crate::server::store::Actor::system("DEMO_ACCOUNTS");
    for ((email, secret), name, role) in accounts {
        store
            .set_account_disabled(email, (!enabled).then_some(now), &actor)
            .await?;
        if !enabled || store.account_by_email(email).await?.is_some() {
            continue;
        }
        let account = NewAccount {
            email: email.to_owned(),
            display_name: name.to_owned(),
            role,
            password_hash: password::hash(secret)?,
        };
        let id = match store.create_account(&account, now, &actor).await {
            Ok(id) => id,
            // Another instance created it meanwhile.
            Err(StoreError::Duplicate) => continue,
            Err(error) => return Err(error.into()),
        };
        if role == Role::Organiser {
            let slug: crate::domain::Slug = DEMO_ORGANISED_EVENT
                .parse()
                .map_err(|_| StoreError::Corrupt("demo event slug".into()))?;
            if let Some(event) = store.event(Lang::Bg, &slug).await? {
                store.assign_organiser(event.id, id).await?;
            }
        }
        tracing::warn!(
            email,
            role = role.as_str(),
            "DEMO_ACCOUNTS is on: created a demo account whose password is published in the README"
        );
    }
    Ok(())
}
