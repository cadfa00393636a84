//! Who is signed in: sign-in (throttled per address in the store, per visitor here), sessions
//! kept in the store (shared by every instance, surviving restarts), and the role checks every
//! admin server function makes on the server.
pub mod password;
pub mod session;

use super::AppState;
use super::store::{AccountRecord, NewSession, ThrottlePolicy};
use super::time;
use crate::admin::model::{Role, SignInForm};
use crate::error::{AppError, FieldError, FieldProblem};
use axum::http::HeaderMap;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use ipnet::IpNet;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

/// Five sign-ins to one address from one visitor within 15 minutes without success lock that
/// address for that visitor for 15 minutes…
pub const THROTTLE: ThrottlePolicy = ThrottlePolicy {
    max_failures: 5,
    window: 15 * 60,
    lock_for: 15 * 60,
};
/// …and a hundred to one address from anywhere lock it for everyone, so that guessing from
/// many addresses stays slow, while one stranger alone cannot lock an editor out.
pub const ADDRESS_CEILING: ThrottlePolicy = ThrottlePolicy {
    max_failures: 100,
    window: 15 * 60,
    lock_for: 15 * 60,
};
/// Password checks running at once: each takes 19 MiB and a core for tens of milliseconds.
const CONCURRENT_CHECKS: usize = 2;
/// Sign-in settings and the per-visitor limit (part of `AppState`).
#[derive(Clone)]
pub struct Auth {
    /// Served over https: the cookie is `Secure` and `__Host-`.
    pub secure: bool,
    limiter: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    trusted_proxies: Arc<Vec<IpNet>>,
    checks: Arc<tokio::sync::Semaphore>,
}

impl Auth {
    /// `attempts_per_minute`: sign-ins one visitor (IP address, IPv6 /64) may try per minute,
    /// whatever the addresses typed.
    pub fn new(secure: bool, attempts_per_minute: u32, trusted_proxies: Vec<IpNet>) -> Auth {
        let quota = Quota::per_minute(NonZeroU32::new(attempts_per_minute).unwrap_or(NonZeroU32::MIN));
        Auth {
            secure,
            limiter: Arc::new(RateLimiter::keyed(quota)),
            trusted_proxies: Arc::new(trusted_proxies),
            checks: Arc::new(tokio::sync::Semaphore::new(CONCURRENT_CHECKS)),
        }
    }

    /// Forgets visitors the limit no longer holds back (called with the hourly clean-up).
    pub fn trim(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }

    /// The visitor's bucket (IPv4 address or IPv6 /64) if it may try a sign-in now.
    fn allow_attempt(&self, peer: IpAddr, headers: &HeaderMap) -> Option<IpAddr> {
        let visitor = super::rate_limit::bucket(super::rate_limit::client_ip(peer, headers, &self.trusted_proxies));
        self.limiter.check_key(&visitor).is_ok().then_some(visitor)
    }
}

/// An e-mail address as accounts are keyed: trimmed and lower-cased.
pub fn account_email(typed: &str) -> String {
    typed.trim().to_lowercase()
}

/// Checks the form and, if the address and password match an account, starts a session;
/// returns the token for the cookie. Wrong address and wrong password are one answer.
pub async fn sign_in(
    state: &AppState,
    form: &SignInForm,
    peer: IpAddr,
    headers: &HeaderMap,
) -> Result<String, AppError> {
    let email = account_email(&form.email);
    let mut problems = Vec::new();
    if email.is_empty() {
        problems.push(FieldError::new("email", FieldProblem::Required));
    } else if email.len() > crate::domain::Email::MAX_LEN {
        problems.push(FieldError::new("email", FieldProblem::TooLong));
    }
    if form.password.is_empty() {
        problems.push(FieldError::new("password", FieldProblem::Required));
    } else if form.password.len() > password::MAX_LENGTH {
        problems.push(FieldError::new("password", FieldProblem::TooLong));
    }
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    let Some(visitor) = state.auth.allow_attempt(peer, headers) else {
        return Err(AppError::RateLimited);
    };
    let now = time::now();
    // Counted before the password is checked: attempts made at the same moment cannot slip
    // past the limit, and one abandoned halfway still counts.
    let keys = [
        (format!("{email} {visitor}"), THROTTLE),
        (email.clone(), ADDRESS_CEILING),
    ];
    let mut locks_now = None;
    for (key, policy) in &keys {
        if let Some(until) = state.store.sign_in_locked_until(key, now).await? {
            return Err(locked(until, now));
        }
        let count = state.store.count_sign_in_attempt(key, now, *policy).await?;
        if count.attempts > policy.max_failures {
            return Err(locked(count.locked_until.unwrap_or(now + policy.lock_for), now));
        }
        locks_now = locks_now.or(count.locked_until);
    }
    let account = state.store.account_by_email(&email).await?;
    let stored_hash = account
        .as_ref()
        .map_or_else(|| password::decoy_hash().to_owned(), |a| a.password_hash.clone());
    let typed = form.password.clone();
    let matches = {
        let _permit = state.auth.checks.acquire().await.map_err(|_| AppError::Internal)?;
        // Argon2 takes tens of milliseconds of CPU: off the async workers.
        tokio::task::spawn_blocking(move || password::verify(&typed, &stored_hash))
            .await
            .map_err(|error| {
                tracing::error!(%error, "password check did not finish");
                AppError::Internal
            })?
    };
    let Some(account) = account.filter(|_| matches) else {
        if let Some(until) = locks_now {
            tracing::warn!("sign-in locked after repeated failures");
            return Err(locked(until, now));
        }
        return Err(AppError::Validation(vec![FieldError::new(
            "password",
            FieldProblem::WrongCredentials,
        )]));
    };
    for (key, _) in &keys {
        state.store.clear_sign_in_failures(key).await?;
    }
    // Always a new token: whatever session id the browser had before (one planted by someone
    // else included) signs nobody in.
    if let Some(previous) = session::token_of(headers, state.auth.secure) {
        state.store.delete_session(&session::token_hash(&previous)).await?;
    }
    let (token, token_hash) = session::new_token();
    state
        .store
        .create_session(NewSession {
            token_hash: &token_hash,
            account_id: account.id,
            now,
            expires_at: now + session::ABSOLUTE_SECONDS,
        })
        .await?;
    tracing::info!(account = account.id, "signed in");
    Ok(token)
}

fn locked(until: i64, now: i64) -> AppError {
    let minutes = ((until - now).max(1) + 59) / 60;
    AppError::SignInLocked {
        minutes: u32::try_from(minutes).unwrap_or(u32::MAX),
    }
}

/// The account of the request's session, or `Unauthorized`.
pub async fn current_account(state: &AppState, headers: &HeaderMap) -> Result<AccountRecord, AppError> {
    let token = session::token_of(headers, state.auth.secure).ok_or(AppError::Unauthorized)?;
    state
        .store
        .session_account(&session::token_hash(&token), time::now(), session::IDLE_SECONDS)
        .await?
        .ok_or(AppError::Unauthorized)
}

/// The account of the request's session if its role is one of `roles`: `Unauthorized`
/// without a session, `Forbidden` with another role.
pub async fn require(state: &AppState, headers: &HeaderMap, roles: &[Role]) -> Result<AccountRecord, AppError> {
    let account = current_account(state, headers).await?;
    if roles.contains(&account.role) {
        Ok(account)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Ends the request's session (this browser only).
pub async fn sign_out(state: &AppState, headers: &HeaderMap) -> Result<(), AppError> {
    if let Some(token) = session::token_of(headers, state.auth.secure) {
        state.store.delete_session(&session::token_hash(&token)).await?;
    }
    Ok(())
}

/// Ends every session of the request's account (all its browsers and devices).
pub async fn sign_out_everywhere(state: &AppState, headers: &HeaderMap) -> Result<(), AppError> {
    let account = current_account(state, headers).await?;
    let ended = state.store.delete_sessions_of(account.id).await?;
    tracing::info!(account = account.id, ended, "signed out everywhere");
    Ok(())
}
