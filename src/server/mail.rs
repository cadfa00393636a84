//! Registration mail: written in the registration's language into the outbox (same
//! transaction as the change), delivered over SMTP by a background worker when `SMTP_URL` is
//! set. Recipients never appear in logs.
use super::store::{
    ComposedMail, EventRecord, MANAGE_LINK_LINE, MailKind, OutboxMail, RegistrationRecord, Store, StoredStatus,
};
use super::time::sofia_datetime;
use super::tokens::ManageTokens;
use crate::domain::single_line;
use crate::i18n::*;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Mailbox, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::Arc;
use std::time::Duration;

/// What a parent's mail says of the event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailEvent {
    pub title: String,
    /// Unix seconds, UTC.
    pub starts_at: i64,
    pub venue_name: String,
    pub venue_address: String,
}

impl From<&EventRecord> for MailEvent {
    fn from(event: &EventRecord) -> MailEvent {
        MailEvent {
            title: event.title.clone(),
            starts_at: event.starts_at,
            venue_name: event.venue_name.clone(),
            venue_address: event.venue_address.clone(),
        }
    }
}

/// The mail of `kind` about `registration`. The private link is not in it: the line
/// [`MANAGE_LINK_LINE`] stands for it until the mail is sent ([`with_link`]).
pub fn compose(kind: MailKind, registration: &RegistrationRecord, event: &MailEvent) -> ComposedMail {
    let lang = registration.lang;
    let manage = MANAGE_LINK_LINE;
    let when = sofia_datetime(event.starts_at).format(lang);
    let children = registration
        .children
        .iter()
        .map(|(name, age)| format!("{name} ({age})"))
        .collect::<Vec<_>>()
        .join(", ");
    let code = &registration.code;
    // Subjects become mail headers: nothing in them may break a line.
    let title = &single_line(&event.title);
    let place = single_line(&format!("{}, {}", event.venue_name, event.venue_address));
    let position = match registration.status {
        StoredStatus::Waitlisted(position) => position,
        _ => 0,
    };
    let locale = Locale::from(lang);
    let (subject, opening) = match kind {
        MailKind::Confirmed => (
            td_string!(locale, mail_subject_confirmed, title = title, code = code).to_string(),
            td_string!(locale, mail_opening_confirmed).to_string(),
        ),
        MailKind::Waitlisted => (
            td_string!(locale, mail_subject_waitlisted, title = title, code = code).to_string(),
            td_string!(locale, mail_opening_waitlisted, position = position).to_string(),
        ),
        MailKind::Promoted => (
            td_string!(locale, mail_subject_promoted, title = title, code = code).to_string(),
            td_string!(locale, mail_opening_promoted).to_string(),
        ),
        MailKind::Cancelled => (
            td_string!(locale, mail_subject_cancelled, title = title, code = code).to_string(),
            td_string!(locale, mail_opening_cancelled).to_string(),
        ),
        MailKind::EventCancelled => (
            td_string!(locale, mail_subject_event_cancelled, title = title, code = code).to_string(),
            td_string!(locale, mail_opening_event_cancelled).to_string(),
        ),
        MailKind::LinkAgain => (
            td_string!(locale, mail_subject_link_again, title = title, code = code).to_string(),
            td_string!(locale, mail_opening_link_again).to_string(),
        ),
    };
    let body = td_string!(
        locale,
        mail_body,
        name = &registration.parent_name,
        opening = opening,
        title = title,
        when = when,
        place = place,
        children = children,
        code = code,
        manage = manage
    )
    .to_string();
    ComposedMail { subject, body }
}

/// The body of a stored mail with its registration's private link put in, or without that
/// line when the registration no longer has a link.
pub fn with_link(mail: &OutboxMail, tokens: &ManageTokens, public_url: &str) -> String {
    let link = mail
        .token_nonce
        .as_deref()
        .and_then(|nonce| tokens.token(nonce))
        .map(|token| format!("{public_url}{}", crate::events::service::manage_path(mail.lang, &token)));
    mail.body
        .lines()
        .filter_map(|line| match (line == MANAGE_LINK_LINE, &link) {
            (false, _) => Some(line),
            (true, Some(link)) => Some(link.as_str()),
            (true, None) => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Where the outbox worker delivers, and what it needs to write private links.
pub struct Delivery {
    pub smtp_url: String,
    pub from: String,
    pub tokens: ManageTokens,
    pub public_url: String,
}

/// The outbox's delivery task, until [`OutboxWorker::stop`].
pub struct OutboxWorker {
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

/// How long a stopping server waits for the batch being delivered (each mail's delivery is
/// bounded by `SEND_TIMEOUT`). A mail sent but not yet marked when it gives up is sent again
/// later, once its claim has run out.
const STOP_GRACE: Duration = Duration::from_secs(30);

impl OutboxWorker {
    /// Lets the batch being delivered finish, then delivers one more pass (the mail of the
    /// last requests), each mail marked sent as it goes, so that a later start does not send
    /// it again; then ends the task. Each mail is claimed while it is delivered, so another
    /// process serving the same database (a rolling restart, instances) never sends it too.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        match tokio::time::timeout(STOP_GRACE, self.task).await {
            Ok(_) => tracing::info!("outbox stopped"),
            Err(_) => tracing::warn!("outbox batch still delivering at shutdown; left to the next start"),
        }
    }
}

/// Delivers the outbox over SMTP until stopped.
pub fn spawn_outbox_worker(store: Arc<dyn Store>, delivery: Delivery) -> Result<OutboxWorker, MailSetupError> {
    let Delivery {
        smtp_url,
        from,
        tokens,
        public_url,
    } = delivery;
    let public_url = public_url.trim_end_matches('/').to_owned();
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&smtp_url)
        .map_err(|_| MailSetupError::Url)?
        .timeout(Some(Duration::from_secs(10)))
        .build();
    let from: Mailbox = from.parse().map_err(|_| MailSetupError::From)?;
    let (stop, mut stopping) = tokio::sync::watch::channel(false);
    let task = tokio::spawn(async move {
        let mut last_pass = false;
        loop {
            let full = deliver_pending(store.as_ref(), &transport, &from, &tokens, &public_url).await;
            if last_pass {
                break;
            }
            // Stopping: one more pass after the one in hand, for the mail of the last requests.
            if *stopping.borrow() {
                last_pass = true;
                continue;
            }
            // A backlog (a full batch) is worked through without a pause.
            if full {
                continue;
            }
            tokio::select! {
                () = tokio::time::sleep(Duration::from_millis(500)) => {}
                changed = stopping.changed() => {
                    // The worker's handle is gone without a stop (the server never ran).
                    if changed.is_err() {
                        break;
                    }
                }
            }
        }
    });
    Ok(OutboxWorker { stop, task })
}

#[derive(Debug, thiserror::Error)]
pub enum MailSetupError {
    #[error("SMTP_URL is not a valid SMTP URL")]
    Url,
    #[error("MAIL_FROM is not a valid mailbox")]
    From,
}

/// The longest one mail's delivery may take (connecting, TLS, the SMTP dialogue), well inside
/// the outbox's claim on it (`store::MAIL_CLAIM_SECONDS`).
const SEND_TIMEOUT: Duration = Duration::from_secs(20);

/// Mails a delivery pass takes from the outbox.
const BATCH: u32 = 20;

/// Delivers a batch of the outbox; true when it was full and all sent (more may be waiting,
/// and the mail server takes them). After a failure the worker pauses, so that retries of a
/// mail are spread out, not spent in a second.
async fn deliver_pending(
    store: &dyn Store,
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    from: &Mailbox,
    tokens: &ManageTokens,
    public_url: &str,
) -> bool {
    let mut all_sent = true;
    let mut after_id = 0;
    for _ in 0..BATCH {
        let mail = match store.claim_mail(after_id, super::time::now()).await {
            Ok(Some(mail)) => mail,
            Ok(None) => return false,
            Err(error) => {
                tracing::warn!(%error, "outbox could not be read");
                return false;
            }
        };
        after_id = mail.id;
        let message = mail.recipient.parse::<Mailbox>().ok().and_then(|to| {
            Message::builder()
                .from(from.clone())
                .to(to)
                .subject(mail.subject.clone())
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .header(ContentTransferEncoding::Base64)
                        .body(with_link(&mail, tokens, public_url)),
                )
                .ok()
        });
        let sent = match message {
            // Bounded well inside the claim, so that no other instance takes the mail while
            // this one may still hand it over.
            Some(message) => match tokio::time::timeout(SEND_TIMEOUT, transport.send(message)).await {
                Ok(Ok(_)) => true,
                Ok(Err(error)) => {
                    // Not the error's text: a server's reply may quote the recipient.
                    tracing::warn!(
                        mail = mail.id,
                        permanent = error.is_permanent(),
                        "mail delivery failed; will retry"
                    );
                    false
                }
                Err(_) => {
                    tracing::warn!(mail = mail.id, "mail delivery timed out; will retry");
                    false
                }
            },
            None => {
                tracing::warn!(mail = mail.id, "mail could not be built");
                false
            }
        };
        all_sent &= sent;
        let sent_at = sent.then(super::time::now);
        if let Err(error) = store.mark_mail(mail.id, sent_at).await {
            tracing::warn!(mail = mail.id, %error, "outbox could not be updated");
        }
    }
    all_sent
}
