//! Server functions of the admin side. Each one checks the session and the role on the server;
//! every answer is private (`no-store`): no cache, shared or the service worker's, keeps it.
use super::model::AdminHomeData;
use crate::domain::Lang;
use crate::error::AppError;
use crate::wire::WireJson;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// The request's headers and the visitor's address, inside a server function.
#[cfg(feature = "ssr")]
pub(crate) fn request() -> Result<(crate::server::AppState, axum::http::HeaderMap, std::net::IpAddr), AppError> {
    crate::site::private_page();
    let state = crate::server::AppState::from_context()?;
    let parts = use_context::<axum::http::request::Parts>().ok_or(AppError::Internal)?;
    let peer = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map_or(std::net::IpAddr::from([127, 0, 0, 1]), |info| info.0.ip());
    Ok((state, parts.headers, peer))
}

/// `result`, its error answered with its own status (401, 403, 422, 429 …) rather than
/// server_fn's 500.
#[cfg(feature = "ssr")]
pub(crate) fn with_status<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    result.inspect_err(|error| crate::site::set_status(error.status_code()))
}

/// The signed-in account of one of `roles`, inside a server function; 401 signed out, 403
/// for another role.
#[cfg(feature = "ssr")]
pub(crate) async fn signed_in_as(
    roles: &[super::model::Role],
) -> Result<(crate::server::AppState, crate::server::store::AccountRecord), AppError> {
    let (state, headers, _) = request()?;
    let account = with_status(crate::server::auth::require(&state, &headers, roles).await)?;
    Ok((state, account))
}

/// Whether the request is a form posted without JavaScript (it wants a page back, not data).
#[cfg(feature = "ssr")]
fn posted_without_javascript() -> bool {
    use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.headers.get(axum::http::header::ACCEPT).cloned())
        .is_some_and(|accept| accept.to_str().is_ok_and(|a| a.contains("text/html")))
}

#[cfg(feature = "ssr")]
fn failed<T>(error: AppError) -> Result<T, AppError> {
    with_status(Err(error))
}

/// Signs in (the app's form); the browser gets its session cookie and goes to the admin home.
/// Without JavaScript the form posts to its page instead (`server::sign_in_form`).
#[server(prefix = "/api", endpoint = "admin/sign-in", output = WireJson)]
pub async fn sign_in(
    lang: Lang,
    #[server(default)] email: String,
    #[server(default)] password: String,
) -> Result<(), AppError> {
    use crate::server::auth::{self, session};
    let (state, headers, peer) = request()?;
    let form = super::model::SignInForm { email, password };
    match auth::sign_in(&state, &form, peer, &headers).await {
        Ok(token) => {
            let response = expect_context::<leptos_axum::ResponseOptions>();
            response.insert_header(
                axum::http::header::SET_COOKIE,
                session::set_cookie(&token, state.auth.secure),
            );
            leptos_axum::redirect(&crate::locale::href(lang, "admin"));
            Ok(())
        }
        Err(error) => failed(error),
    }
}

/// Signs this browser out.
#[server(prefix = "/api", endpoint = "admin/sign-out", output = WireJson)]
pub async fn sign_out(lang: Lang) -> Result<(), AppError> {
    let (state, headers, _) = request()?;
    crate::server::auth::sign_out(&state, &headers).await?;
    signed_out(&state, lang);
    Ok(())
}

/// Signs the account out on every browser and device.
#[server(prefix = "/api", endpoint = "admin/sign-out-everywhere", output = WireJson)]
pub async fn sign_out_everywhere(lang: Lang) -> Result<(), AppError> {
    let (state, headers, _) = request()?;
    match crate::server::auth::sign_out_everywhere(&state, &headers).await {
        // A session that already ended is signed out as well.
        Ok(()) | Err(AppError::Unauthorized) => {
            signed_out(&state, lang);
            Ok(())
        }
        Err(error) => failed(error),
    }
}

#[cfg(feature = "ssr")]
fn signed_out(state: &crate::server::AppState, lang: Lang) {
    let response = expect_context::<leptos_axum::ResponseOptions>();
    response.insert_header(
        axum::http::header::SET_COOKIE,
        crate::server::auth::session::clear_cookie(state.auth.secure),
    );
    leptos_axum::redirect(&crate::locale::href(lang, "admin/sign-in"));
}

/// The admin home: who is signed in, and the events whose registrations they see.
#[server(prefix = "/api", endpoint = "admin/home", input = GetUrl, output = WireJson)]
pub async fn admin_home(lang: Lang) -> Result<AdminHomeData, AppError> {
    use super::model::Role;
    let (state, headers, _) = request()?;
    let account = with_status(
        crate::server::auth::require(&state, &headers, &[Role::Admin, Role::Editor, Role::Organiser]).await,
    )?;
    let organiser = (!account.role.sees_all_events()).then_some(account.id);
    let events = state
        .store
        .admin_events(lang, organiser)
        .await?
        .into_iter()
        .map(|event| super::model::AdminEvent {
            slug: event.slug,
            title: event.title,
            starts: crate::server::time::sofia_datetime(event.starts_at),
            capacity: event.capacity,
            confirmed_children: event.confirmed_children,
            waitlisted_children: event.waitlisted_children,
            cancelled: event.cancelled,
        })
        .collect();
    Ok(AdminHomeData {
        account: super::model::AccountView {
            display_name: account.display_name,
            role: account.role,
        },
        events,
    })
}

/// An event's registrations at the door, narrowed by `q` (a parent's name or a code).
#[server(prefix = "/api", endpoint = "admin/door", input = GetUrl, output = WireJson)]
pub async fn door_list(
    lang: Lang,
    slug: String,
    #[server(default)] q: String,
) -> Result<super::model::DoorList, AppError> {
    let (state, headers, _) = request()?;
    let (_, event) = with_status(super::service::event_for_door(&state, &headers, lang, &slug).await)?;
    super::service::door_list(&state, &event, &q).await
}

/// Marks a child as arrived (`present`) or not. Posted without JavaScript, the answer sends
/// the browser back to the door list, at the registration; the app stays where it is.
#[server(prefix = "/api", endpoint = "admin/check-in", output = WireJson)]
pub async fn check_in(
    lang: Lang,
    slug: String,
    code: String,
    child: u32,
    #[server(default)] present: bool,
    #[server(default)] q: String,
) -> Result<(), AppError> {
    let (state, headers, _) = request()?;
    let (account, event) = with_status(super::service::event_for_door(&state, &headers, lang, &slug).await)?;
    let at = present.then(crate::server::time::now);
    let actor = crate::server::store::Actor::account(&account);
    if !state.store.set_checked_in(event.id, &code, child, at, &actor).await? {
        return failed(AppError::NotFound);
    }
    tracing::info!(account = account.id, event = event.id, present, "check-in changed");
    back_to_door_list(lang, &slug, &q, Some(&format!("registration-{code}")));
    Ok(())
}

/// Cancels a registration on a parent's behalf: the waitlist moves up and both parents are
/// mailed, as when the parent cancels. Without JavaScript the answer returns to the list.
#[server(prefix = "/api", endpoint = "admin/cancel-registration", output = WireJson)]
pub async fn cancel_for_parent(
    lang: Lang,
    slug: String,
    code: String,
    #[server(default)] q: String,
) -> Result<(), AppError> {
    let (state, headers, _) = request()?;
    let (account, event) = with_status(super::service::event_for_door(&state, &headers, lang, &slug).await)?;
    let actor = crate::server::store::Actor::account(&account);
    with_status(crate::events::service::cancel_for_parent(state.store.as_ref(), &event, &code, &actor).await)?;
    // Seats changed: cached pages (home, lists, the event) must show them.
    state.page_cache.invalidate();
    back_to_door_list(lang, &slug, &q, None);
    Ok(())
}

/// Without JavaScript (a form post), sends the browser back to the door list (at `anchor`);
/// the app stays where it is.
#[cfg(feature = "ssr")]
fn back_to_door_list(lang: Lang, slug: &str, q: &str, anchor: Option<&str>) {
    if posted_without_javascript() {
        let query = if q.trim().is_empty() {
            String::new()
        } else {
            format!("?q={}", crate::domain::urlencode(q.trim()))
        };
        let anchor = anchor.map(|a| format!("#{a}")).unwrap_or_default();
        leptos_axum::redirect(&format!(
            "{}{query}{anchor}",
            crate::locale::href(lang, &format!("admin/events/{slug}"))
        ));
    }
}

/// Entries of the audit log on one page.
pub const AUDIT_PAGE_SIZE: u32 = 50;

/// The audit log, newest first: for admins only.
#[server(prefix = "/api", endpoint = "admin/audit", input = GetUrl, output = WireJson)]
pub async fn audit_log(page: u32) -> Result<super::model::AuditPage, AppError> {
    use super::model::{AuditPage, AuditView, Role};
    let (state, headers, _) = request()?;
    with_status(crate::server::auth::require(&state, &headers, &[Role::Admin]).await)?;
    let page = crate::domain::PageNumber::parse(Some(&page.to_string()));
    let total = state.store.count_audit_log().await?;
    let pages = crate::domain::PageNumber::count(total, AUDIT_PAGE_SIZE);
    let entries = state
        .store
        .audit_log(AUDIT_PAGE_SIZE, page.offset(AUDIT_PAGE_SIZE))
        .await?
        .into_iter()
        .map(|entry| AuditView {
            at: crate::server::time::sofia_datetime(entry.at),
            actor: entry.actor,
            action: entry.action,
            entity_id: entry.entity_id,
            before: entry.before,
            after: entry.after,
        })
        .collect();
    Ok(AuditPage {
        entries,
        page: page.get(),
        pages,
    })
}

/// Erases everything the portal holds for an e-mail address (admins only); returns how much.
#[server(prefix = "/api", endpoint = "admin/privacy/erase", output = WireJson)]
pub async fn erase_person(lang: Lang, #[server(default)] email: String) -> Result<super::model::ErasedView, AppError> {
    use super::model::Role;
    let (state, headers, _) = request()?;
    let account = with_status(crate::server::auth::require(&state, &headers, &[Role::Admin]).await)?;
    let email = with_status(super::service::subject_address(&email))?;
    let actor = crate::server::store::Actor::account(&account);
    let erased = super::service::erase_person(&state, &email, &actor).await?;
    tracing::info!(
        account = account.id,
        registrations = erased.registrations,
        "erased a person's data on request"
    );
    let view = super::model::ErasedView {
        registrations: erased.registrations,
        mails: erased.mails,
    };
    // Without JavaScript: back to the page, which says how much went (counts only).
    if posted_without_javascript() {
        leptos_axum::redirect(&format!(
            "{}?erased={}&mails={}",
            crate::locale::href(lang, "admin/privacy"),
            view.registrations,
            view.mails
        ));
    }
    Ok(view)
}

/// Recent mail and what became of it (admins and editors).
#[server(prefix = "/api", endpoint = "admin/outbox", input = GetUrl, output = WireJson)]
pub async fn outbox() -> Result<super::model::OutboxPage, AppError> {
    use super::model::{MailView, OutboxPage, Role};
    use crate::server::store::MailState;
    let (state, headers, _) = request()?;
    with_status(crate::server::auth::require(&state, &headers, &[Role::Admin, Role::Editor]).await)?;
    let mails = state
        .store
        .recent_mail(100)
        .await?
        .into_iter()
        .map(|mail| MailView {
            id: mail.id,
            kind: mail.kind,
            registration_code: mail.registration_code,
            event_title: mail.event_title,
            recipient: super::service::masked_address(&mail.recipient),
            created: crate::server::time::sofia_datetime(mail.created_at),
            attempts: mail.attempts,
            state: match mail.state {
                MailState::Sent => "sent",
                MailState::Pending => "pending",
                MailState::Failed => "failed",
                MailState::Cleared => "cleared",
            }
            .into(),
        })
        .collect();
    Ok(OutboxPage { mails })
}

/// Puts a failed mail back in the queue (admins and editors). Without JavaScript the answer
/// returns to the outbox page.
#[server(prefix = "/api", endpoint = "admin/outbox/resend", output = WireJson)]
pub async fn resend_mail(lang: Lang, id: i64) -> Result<(), AppError> {
    use super::model::Role;
    let (state, headers, _) = request()?;
    let account = with_status(crate::server::auth::require(&state, &headers, &[Role::Admin, Role::Editor]).await)?;
    let actor = crate::server::store::Actor::account(&account);
    if !state.store.resend_mail(id, crate::server::time::now(), &actor).await? {
        return failed(AppError::NotFound);
    }
    if posted_without_javascript() {
        leptos_axum::redirect(&crate::locale::href(lang, "admin/outbox"));
    }
    Ok(())
}

/// How an import this account started goes (admins and editors).
#[server(prefix = "/api", endpoint = "admin/import/status", input = GetUrl, output = WireJson)]
pub async fn import_status(job: String) -> Result<super::import::ImportStatus, AppError> {
    let (state, headers, _) = request()?;
    let account =
        with_status(crate::server::auth::require(&state, &headers, crate::admin::posts::service::WRITERS).await)?;
    with_status(state.imports.status(&job, account.id).ok_or(AppError::NotFound))
}
