//! The accounts page (`/{lang}/admin/accounts`, admins only): who can sign in and with which
//! role; new accounts, a role changed, an account turned off or on, a forgotten password
//! replaced. Which events an organiser sees is chosen in the event editor.
pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;

use crate::admin::fields::{field_errors, problem_of};
use crate::admin::model::Role;
use crate::i18n::*;
use crate::locale::href;
use crate::site::{PageMeta, private_data, private_page, use_lang};
use leptos::prelude::*;
use model::{AccountView, AccountsData};

const ROLES: [Role; 3] = [Role::Admin, Role::Editor, Role::Organiser];

fn role_text(role: Role, locale: Locale) -> &'static str {
    match role {
        Role::Admin => td_string!(locale, role_admin),
        Role::Editor => td_string!(locale, role_editor),
        Role::Organiser => td_string!(locale, role_organiser),
    }
}

/// Every change made on the page, and the account each was last asked for (its card shows
/// the answer). They outlive the list, which is read again after each change that is made.
#[derive(Clone, Copy)]
struct Actions {
    create: ServerAction<api::CreateAccount>,
    role: ServerAction<api::SetRole>,
    disabled: ServerAction<api::SetDisabled>,
    password: ServerAction<api::SetPassword>,
    role_for: RwSignal<Option<i64>>,
    disabled_for: RwSignal<Option<i64>>,
    password_for: RwSignal<Option<i64>>,
}

#[component]
pub fn AccountsPage() -> impl IntoView {
    private_page();
    let actions = Actions {
        create: ServerAction::new(),
        role: ServerAction::new(),
        disabled: ServerAction::new(),
        password: ServerAction::new(),
        role_for: RwSignal::new(None),
        disabled_for: RwSignal::new(None),
        password_for: RwSignal::new(None),
    };
    // Read again only after a change was made: a refused form keeps what was typed.
    let changed = RwSignal::new(0_u32);
    let made = move |done: bool| {
        if done {
            changed.update(|n| *n += 1);
        }
    };
    Effect::new(move |_| made(matches!(actions.create.value().get(), Some(Ok(())))));
    Effect::new(move |_| made(matches!(actions.role.value().get(), Some(Ok(())))));
    Effect::new(move |_| made(matches!(actions.disabled.value().get(), Some(Ok(())))));
    let data = private_data(move || changed.get(), |_| api::accounts());
    // The list stays on screen while it is read again after a change (no flash, and a tap
    // meant for a card never lands on a loading line).
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => view! { <AccountsView data actions /> }.into_any(),
                    Err(error) => view! { <crate::site::ErrorView error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn AccountsView(data: AccountsData, actions: Actions) -> impl IntoView {
    let locale = crate::site::page_locale();
    let lang = use_lang();
    view! {
        <PageMeta title=td_string!(locale, accounts_title).to_string() description=String::new() path=None />
        <section class="admin-page accounts">
            <p class="admin-page__back"><a href=href(lang, "admin")>{td_string!(locale, door_back)}</a></p>
            <h1>{td_string!(locale, accounts_title)}</h1>
            <noscript><p class="notice">{td_string!(locale, accounts_need_javascript)}</p></noscript>
            <NewAccountForm action=actions.create locale />
            <ul class="admin-post-list plain" data-testid="accounts">
                {data.accounts.into_iter().map(|account| view! { <AccountCard account actions locale /> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn NewAccountForm(action: ServerAction<api::CreateAccount>, locale: Locale) -> impl IntoView {
    let errors = field_errors(move || action.value().get().and_then(Result::err));
    let problem = move |field: &'static str| move || problem_of(errors, field, locale);
    let created = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <details class="accounts__new" open=move || errors.with(|e| !e.is_empty())>
            <summary class="button button--primary" data-testid="new-account">{td_string!(locale, accounts_new)}</summary>
            <ActionForm action attr:class="accounts__form" attr:novalidate=true>
                <div class="field" class:field--invalid=move || problem("email")().is_some()>
                    <label for="account-email">{td_string!(locale, sign_in_email)}</label>
                    <input id="account-email" name="email" type="email" inputmode="email" autocomplete="off" />
                    <p class="field-error" data-testid="error-email">{problem("email")}</p>
                </div>
                <div class="field" class:field--invalid=move || problem("display_name")().is_some()>
                    <label for="account-name">{td_string!(locale, accounts_name)}</label>
                    <input id="account-name" name="display_name" type="text" autocomplete="off" />
                    <p class="field-error" data-testid="error-display_name">{problem("display_name")}</p>
                </div>
                <div class="field">
                    <label for="account-role">{td_string!(locale, accounts_role)}</label>
                    <select id="account-role" name="role">
                        {ROLES.into_iter().map(|role| view! {
                            <option value=role.as_str() selected=role == Role::Organiser>{role_text(role, locale)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field" class:field--invalid=move || problem("password")().is_some()>
                    <label for="account-password">{td_string!(locale, accounts_first_password)}</label>
                    <p class="field-hint">{td_string!(locale, accounts_password_hint)}</p>
                    <input id="account-password" name="password" type="password" autocomplete="new-password" />
                    <p class="field-error" data-testid="error-password">{problem("password")}</p>
                </div>
                <p class="form-message" role="status" data-testid="create-status">
                    {move || created().then(|| td_string!(locale, accounts_created))}
                </p>
                <button type="submit" class="button button--primary" disabled=move || action.pending().get()>
                    {td_string!(locale, accounts_create)}
                </button>
            </ActionForm>
        </details>
    }
}

#[component]
fn AccountCard(account: AccountView, actions: Actions, locale: Locale) -> impl IntoView {
    let lang = use_lang();
    let id = account.id;
    let role_errors = field_errors(move || actions.role.value().get().and_then(Result::err));
    let disabled_errors = field_errors(move || actions.disabled.value().get().and_then(Result::err));
    let password_errors = field_errors(move || actions.password.value().get().and_then(Result::err));
    // An action's answer belongs to the card whose account it named.
    let (last_role_for, last_disabled_for, last_password_for) =
        (actions.role_for, actions.disabled_for, actions.password_for);
    let role_error = move || {
        (last_role_for.get() == Some(id))
            .then(|| problem_of(role_errors, "role", locale))
            .flatten()
    };
    let disabled_error = move || {
        (last_disabled_for.get() == Some(id))
            .then(|| problem_of(disabled_errors, "disabled", locale))
            .flatten()
    };
    let password_message = move || {
        (last_password_for.get() == Some(id))
            .then(|| match actions.password.value().get() {
                Some(Ok(())) => Some((false, td_string!(locale, accounts_password_set).to_string())),
                Some(Err(_)) => problem_of(password_errors, "password", locale)
                    .or_else(|| Some(td_string!(locale, error_text).to_string()))
                    .map(|text| (true, text)),
                None => None,
            })
            .flatten()
    };
    let typed_password = RwSignal::new(String::new());
    let role = account.role;
    // A refused change of role shows the role the account still has.
    let shown_role = RwSignal::new(role.as_str());
    Effect::new(move |_| {
        if matches!(actions.role.value().get(), Some(Err(_))) && last_role_for.get_untracked() == Some(id) {
            shown_role.set(role.as_str());
        }
    });
    let disabled = account.disabled;
    let events = (account.role == Role::Organiser)
        .then(|| td_string!(locale, accounts_events, count = account.events).to_string());
    view! {
        <li class="admin-post account" class:account--disabled=disabled data-testid="account">
            <p class="admin-post__title">
                {account.display_name.clone()}
                {account.me.then(|| view! { " " <small>{td_string!(locale, accounts_you)}</small> })}
                {disabled.then(|| view! { " " <span class="post-status post-status--cancelled">{td_string!(locale, accounts_disabled)}</span> })}
            </p>
            <p class="admin-post__meta">
                {account.email.clone()} " · " {td_string!(locale, accounts_since)} " "
                <time datetime=account.created.iso()>{account.created.format(lang)}</time>
                {events.map(|text| view! { " · " {text} })}
            </p>
            <div class="account__controls">
                <div class="field">
                    <label for=format!("role-{id}")>{td_string!(locale, accounts_role)}</label>
                    <select id=format!("role-{id}") data-testid="account-role" prop:value=move || shown_role.get()
                        on:change=move |ev| {
                            if let Ok(role) = event_target_value(&ev).parse::<Role>() {
                                shown_role.set(role.as_str());
                                last_role_for.set(Some(id));
                                actions.role.dispatch(api::SetRole { id, role });
                            }
                        }>
                        {ROLES.into_iter().map(|option| view! {
                            <option value=option.as_str() selected=option == role>{role_text(option, locale)}</option>
                        }).collect_view()}
                    </select>
                    <p class="field-error" role="alert">{role_error}</p>
                </div>
                <div class="field">
                    <button type="button" class="button button--ghost button--small" data-testid="account-toggle"
                        on:click=move |_| {
                            last_disabled_for.set(Some(id));
                            actions.disabled.dispatch(api::SetDisabled { id, disabled: !disabled });
                        }>
                        {if disabled { td_string!(locale, accounts_enable) } else { td_string!(locale, accounts_disable) }}
                    </button>
                    <p class="field-error" role="alert">{disabled_error}</p>
                </div>
            </div>
            <details class="account__password">
                <summary>{td_string!(locale, accounts_new_password)}</summary>
                <form class="account__password-form" novalidate=true on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    last_password_for.set(Some(id));
                    actions.password.dispatch(api::SetPassword { id, password: typed_password.get_untracked() });
                }>
                    <div class="field">
                        <label for=format!("password-{id}")>{td_string!(locale, accounts_new_password)}</label>
                        <p class="field-hint">{td_string!(locale, accounts_password_hint)}</p>
                        <input id=format!("password-{id}") type="password" autocomplete="new-password" bind:value=typed_password />
                    </div>
                    <p class="form-message" role="status" class:field-error=move || password_message().is_some_and(|(bad, _)| bad)>
                        {move || password_message().map(|(_, text)| text)}
                    </p>
                    <button type="submit" class="button button--small">{td_string!(locale, accounts_set_password)}</button>
                </form>
            </details>
        </li>
    }
}
