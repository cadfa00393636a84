//! One behaviour suite for every store engine: each test runs on a fresh SQLite file and on a
//! fresh database of the test command's PostgreSQL cluster, through the `Store` trait only.
#![cfg(feature = "ssr")]
mod common;

use common::database::{self, Engine};
use ngo_portal::admin::model::Role;
use ngo_portal::domain::{Lang, Slug};
use ngo_portal::server::seed::SeedContent;
use ngo_portal::server::store::registration_rules::LINK_AGAIN_INTERVAL;
use ngo_portal::server::store::{
    self, Actor, ComposedMail, EventRecord, MailComposer, MailKind, NewAccount, NewRegistration, NewSession,
    PostFilter, RegisterOutcome, RegisterRejection, RegistrationRecord, Store, StoreError, StoredStatus,
};
use std::sync::Arc;

const WORKSHOP: &str = "summer-art-party";

struct Fixture {
    store: Arc<dyn Store>,
    url: String,
    content: SeedContent,
    /// When the content was stored: the seeded events' dates are relative to it.
    now: i64,
    _dir: tempfile::TempDir,
}

/// A fresh, migrated, seeded database on `engine`; `None` when that engine is not available
/// to a bare `cargo test` (see [`database::postgres_cluster`]).
async fn fixture(engine: Engine) -> Option<Fixture> {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = database::fresh_url(engine, dir.path()).await?;
    let store = store::connect(&url).await.expect("store opens and migrates");
    assert!(store.is_empty().await.unwrap());
    let content = SeedContent::demo().unwrap();
    let now = ngo_portal::server::time::now();
    store.insert_content(&content.scheduled(now).unwrap()).await.unwrap();
    Some(Fixture {
        store,
        url,
        content,
        now,
        _dir: dir,
    })
}

/// Mail whose subject is its kind, so a test can tell which mail was written.
fn composer() -> Box<MailComposer> {
    Box::new(|kind: MailKind, record: &RegistrationRecord| ComposedMail {
        subject: kind.as_str().into(),
        body: format!("{} {}", record.code, store::MANAGE_LINK_LINE),
    })
}

fn parent(n: usize, event_id: i64, children: &[(&str, u8)]) -> NewRegistration {
    NewRegistration {
        event_id,
        idempotency_key: format!("key-{n}"),
        lang: Lang::Bg,
        parent_name: format!("Родител {n}"),
        email: format!("parent{n}@example.bg").parse().unwrap(),
        phone: "0888123456".parse().unwrap(),
        note: String::new(),
        children: children.iter().map(|(name, age)| ((*name).to_owned(), *age)).collect(),
        code: format!("T-{n:04}"),
        token_nonce: format!("{n:032x}"),
    }
}

impl Fixture {
    async fn event(&self, slug: &str) -> EventRecord {
        let slug: Slug = slug.parse().unwrap();
        self.store.event(Lang::Bg, &slug).await.unwrap().expect("seeded event")
    }

    /// A moment when the event takes registrations.
    fn open(event: &EventRecord) -> i64 {
        event.registration_opens_at + 60
    }

    async fn register(&self, registration: NewRegistration, now: i64) -> RegisterOutcome {
        self.store
            .register(registration, now, composer().as_ref())
            .await
            .unwrap()
    }

    async fn created(&self, registration: NewRegistration, now: i64) -> RegistrationRecord {
        match self.register(registration, now).await {
            RegisterOutcome::Created(record) => record,
            other => panic!("expected a new registration, got {other:?}"),
        }
    }

    /// Unsent mail subjects (kinds) to one address, in order.
    async fn mail_to(&self, email: &str) -> Vec<String> {
        let mail = self.store.unsent_mail(10_000).await.unwrap();
        mail.into_iter()
            .filter(|mail| mail.recipient == email)
            .map(|mail| mail.subject)
            .collect()
    }
}

async fn seeded_content_reads_back_in_both_languages(f: Fixture) {
    assert!(!f.store.is_empty().await.unwrap());
    assert_eq!(f.store.ngo_count().await.unwrap(), f.content.ngos.len() as u64);
    let bg = f.store.categories(Lang::Bg).await.unwrap();
    let en = f.store.categories(Lang::En).await.unwrap();
    assert_eq!(bg.len(), f.content.categories.len());
    assert_eq!(
        bg.iter().map(|c| &c.slug).collect::<Vec<_>>(),
        en.iter().map(|c| &c.slug).collect::<Vec<_>>()
    );
    assert_ne!(bg[0].name, en[0].name);

    let posts = f.store.posts(Lang::Bg, &PostFilter::everything(f.now)).await.unwrap();
    assert_eq!(posts.len() as u64, f.store.count_posts(None, f.now).await.unwrap());
    assert!(posts.len() >= 3, "the demo has posts: {}", posts.len());
    assert!(
        posts.windows(2).all(|w| w[0].published_at >= w[1].published_at),
        "newest first"
    );
    let first = &posts[0];
    let in_category = f.store.count_posts(Some(&first.category.slug), f.now).await.unwrap();
    assert!(in_category >= 1 && in_category <= posts.len() as u64);
    let page = PostFilter {
        limit: 2,
        offset: 1,
        ..PostFilter::everything(f.now)
    };
    let second_page = f.store.posts(Lang::Bg, &page).await.unwrap();
    assert_eq!(
        second_page.iter().map(|p| p.id).collect::<Vec<_>>(),
        posts[1..3].iter().map(|p| p.id).collect::<Vec<_>>()
    );

    let event = f.event(WORKSHOP).await;
    assert_eq!((event.capacity, event.min_age, event.max_age), (30, 4, 12));
    assert_eq!((event.confirmed_children, event.waitlisted_children), (0, 0));
    assert!(!event.draft && !event.cancelled);
    assert!(event.starts_at < event.ends_at && event.registration_opens_at < event.registration_closes_at);
    assert!(!event.organiser_slug.is_empty());
    let english = f.store.event(Lang::En, &event.slug).await.unwrap().unwrap();
    assert_eq!(english.lang, Lang::En);
    assert_ne!(english.title, event.title);
    assert_eq!(
        f.store.event_by_id(Lang::Bg, event.id).await.unwrap().unwrap().slug,
        event.slug
    );
    assert!(
        f.store
            .event(Lang::Bg, &"no-such-event".parse().unwrap())
            .await
            .unwrap()
            .is_none()
    );
}

async fn registrations_fill_capacity_then_wait_in_order(f: Fixture) {
    let event = f.event(WORKSHOP).await;
    let now = Fixture::open(&event);
    for n in 0..15 {
        let record = f.created(parent(n, event.id, &[("Ана", 6), ("Иво", 9)]), now).await;
        assert_eq!(record.status, StoredStatus::Confirmed);
    }
    let first_waiting = f.created(parent(15, event.id, &[("Зоя", 5)]), now).await;
    assert_eq!(first_waiting.status, StoredStatus::Waitlisted(1));
    let second_waiting = f.created(parent(16, event.id, &[("Лея", 7), ("Мила", 8)]), now).await;
    assert_eq!(second_waiting.status, StoredStatus::Waitlisted(2));
    let event = f.event(WORKSHOP).await;
    assert_eq!((event.confirmed_children, event.waitlisted_children), (30, 3));
    assert_eq!(f.mail_to("parent0@example.bg").await, ["confirmed"]);
    assert_eq!(f.mail_to("parent15@example.bg").await, ["waitlisted"]);
    let counts = f.store.operational_counts().await.unwrap();
    assert_eq!((counts.confirmed, counts.waitlisted, counts.cancelled), (15, 2, 0));
}

async fn cancelling_frees_seats_and_promotes_the_waitlist_in_order(f: Fixture) {
    let event = f.event(WORKSHOP).await;
    let now = Fixture::open(&event);
    let mut confirmed = Vec::new();
    for n in 0..15 {
        confirmed.push(f.created(parent(n, event.id, &[("Ана", 6), ("Иво", 9)]), now).await);
    }
    // Two children wait first, one after: freeing two seats seats the first, not the second.
    let pair = f.created(parent(20, event.id, &[("Лея", 7), ("Мила", 8)]), now).await;
    let single = f.created(parent(21, event.id, &[("Зоя", 5)]), now).await;
    let nonce = confirmed[3].token_nonce.clone().unwrap();
    let outcome = f
        .store
        .cancel_registration(&nonce, now + 10, composer().as_ref(), &Actor::system("contract test"))
        .await
        .unwrap()
        .expect("the link finds its registration");
    assert_eq!(outcome.cancelled.status, StoredStatus::Cancelled);
    assert_eq!(outcome.promoted.iter().map(|r| r.id).collect::<Vec<_>>(), [pair.id]);
    assert_eq!(f.mail_to("parent20@example.bg").await, ["waitlisted", "promoted"]);
    let still = f
        .store
        .registration(single.token_nonce.as_deref().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(still.status, StoredStatus::Waitlisted(1));
    let event = f.event(WORKSHOP).await;
    assert_eq!((event.confirmed_children, event.waitlisted_children), (30, 1));
    // The cancelled registration keeps its status for its link, nothing personal.
    let cancelled = f.store.registration(&nonce).await.unwrap().unwrap();
    assert_eq!(cancelled.status, StoredStatus::Cancelled);
    assert_eq!((cancelled.parent_name.as_str(), cancelled.email.as_str()), ("", ""));
    assert!(cancelled.children.is_empty());
    // Cancelling again changes nothing.
    let again = f
        .store
        .cancel_registration(&nonce, now + 20, composer().as_ref(), &Actor::system("contract test"))
        .await
        .unwrap()
        .unwrap();
    assert!(again.promoted.is_empty());
    assert_eq!(f.event(WORKSHOP).await.confirmed_children, 30);
    assert!(
        f.store
            .cancel_registration("unknown", now, composer().as_ref(), &Actor::system("contract test"))
            .await
            .unwrap()
            .is_none()
    );
}

async fn concurrent_registrations_never_overbook(f: Fixture) {
    let event = f.event(WORKSHOP).await;
    let now = Fixture::open(&event);
    let store = Arc::clone(&f.store);
    let tasks: Vec<_> = (0..60)
        .map(|n| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                let registration = parent(n, event.id, &[("Дете", 7)]);
                store.register(registration, now, composer().as_ref()).await
            })
        })
        .collect();
    let mut confirmed = 0;
    let mut positions = Vec::new();
    for task in tasks {
        match task.await.unwrap().expect("every registration is stored") {
            RegisterOutcome::Created(record) => match record.status {
                StoredStatus::Confirmed => confirmed += 1,
                StoredStatus::Waitlisted(position) => positions.push(position),
                StoredStatus::Cancelled => panic!("cancelled at once"),
            },
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(confirmed, 30);
    positions.sort_unstable();
    assert_eq!(positions, (1..=30).collect::<Vec<u32>>());
    let event = f.event(WORKSHOP).await;
    assert_eq!((event.confirmed_children, event.waitlisted_children), (30, 30));
}

async fn the_same_key_replays_only_the_same_submission(f: Fixture) {
    let event = f.event(WORKSHOP).await;
    let now = Fixture::open(&event);
    let first = f.created(parent(1, event.id, &[("Ана", 6)]), now).await;
    let mut again = parent(1, event.id, &[("ана", 6)]);
    again.code = "T-OTHER".into();
    again.token_nonce = "other-nonce".into();
    assert_eq!(f.register(again, now).await, RegisterOutcome::Replayed(first.clone()));
    let mut other_children = parent(1, event.id, &[("Борис", 7)]);
    other_children.code = "T-THIRD".into();
    assert_eq!(f.register(other_children, now).await, RegisterOutcome::KeyConflict);
    assert_eq!(f.event(WORKSHOP).await.confirmed_children, 1);
    assert_eq!(f.mail_to("parent1@example.bg").await, ["confirmed"]);
}

async fn the_same_children_again_mail_the_link_at_most_once_per_interval(f: Fixture) {
    let event = f.event(WORKSHOP).await;
    let now = Fixture::open(&event);
    f.created(parent(1, event.id, &[("Ана", 6), ("Иво", 9)]), now).await;
    let resubmitted = |key: &str| {
        let mut again = parent(1, event.id, &[("Иво", 9), ("Ана", 6)]);
        again.idempotency_key = key.into();
        again.code = format!("T-{key}");
        again
    };
    assert_eq!(
        f.register(resubmitted("b"), now + 5).await,
        RegisterOutcome::AlreadyRegistered
    );
    assert_eq!(
        f.register(resubmitted("c"), now + 6).await,
        RegisterOutcome::AlreadyRegistered
    );
    assert_eq!(f.mail_to("parent1@example.bg").await, ["confirmed", "link_again"]);
    let later = now + 5 + LINK_AGAIN_INTERVAL + 1;
    if later < event.registration_closes_at {
        assert_eq!(
            f.register(resubmitted("d"), later).await,
            RegisterOutcome::AlreadyRegistered
        );
        assert_eq!(
            f.mail_to("parent1@example.bg").await,
            ["confirmed", "link_again", "link_again"]
        );
    }
    assert_eq!(f.event(WORKSHOP).await.confirmed_children, 2);
}

async fn an_address_holds_at_most_three_registrations(f: Fixture) {
    let event = f.event(WORKSHOP).await;
    let now = Fixture::open(&event);
    for (n, child) in ["Ана", "Иво", "Зоя"].into_iter().enumerate() {
        let mut registration = parent(n, event.id, &[(child, 6)]);
        registration.email = "same@example.bg".parse().unwrap();
        f.created(registration, now).await;
    }
    let mut fourth = parent(9, event.id, &[("Лея", 6)]);
    fourth.email = "same@example.bg".parse().unwrap();
    assert_eq!(
        f.register(fourth, now).await,
        RegisterOutcome::TooManyForEmail { max: 3 }
    );
    assert_eq!(f.event(WORKSHOP).await.confirmed_children, 3);
}

async fn a_taken_code_is_a_clash_and_takes_no_seat(f: Fixture) {
    let event = f.event(WORKSHOP).await;
    let now = Fixture::open(&event);
    f.created(parent(1, event.id, &[("Ана", 6)]), now).await;
    let mut clash = parent(2, event.id, &[("Иво", 9), ("Зоя", 5)]);
    clash.code = "T-0001".into();
    let error = f.store.register(clash, now, composer().as_ref()).await.unwrap_err();
    assert!(matches!(error, StoreError::CodeClash), "{error:?}");
    assert_eq!(f.event(WORKSHOP).await.confirmed_children, 1);
    assert!(f.mail_to("parent2@example.bg").await.is_empty());
    // Retried with a fresh code, as the service does, it is stored.
    f.created(parent(2, event.id, &[("Иво", 9), ("Зоя", 5)]), now).await;
    assert_eq!(f.event(WORKSHOP).await.confirmed_children, 3);
}

async fn the_window_and_ages_are_enforced(f: Fixture) {
    let event = f.event(WORKSHOP).await;
    let outcome = |n, children: &[(&str, u8)], now| f.register(parent(n, event.id, children), now);
    assert_eq!(
        outcome(1, &[("Ана", 6)], event.registration_opens_at - 1).await,
        RegisterOutcome::Rejected(RegisterRejection::NotOpenYet)
    );
    assert_eq!(
        outcome(2, &[("Ана", 6)], event.registration_closes_at + 1).await,
        RegisterOutcome::Rejected(RegisterRejection::Closed)
    );
    assert_eq!(
        outcome(3, &[("Ана", 6), ("Иво", 13)], Fixture::open(&event)).await,
        RegisterOutcome::Rejected(RegisterRejection::AgeOutOfRange { min: 4, max: 12 })
    );
    assert_eq!(f.event(WORKSHOP).await.confirmed_children, 0);
    let mut unknown = parent(4, event.id, &[("Ана", 6)]);
    unknown.event_id = -1;
    assert_eq!(
        f.register(unknown, Fixture::open(&event)).await,
        RegisterOutcome::Rejected(RegisterRejection::Closed)
    );
}

async fn sent_mail_keeps_no_personal_data(f: Fixture) {
    let event = f.event(WORKSHOP).await;
    let now = Fixture::open(&event);
    let record = f.created(parent(1, event.id, &[("Ана", 6)]), now).await;
    let mail = f.store.unsent_mail(10).await.unwrap();
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].token_nonce, record.token_nonce);
    assert!(mail[0].body.contains(store::MANAGE_LINK_LINE));
    f.store.mark_mail(mail[0].id, None).await.unwrap();
    let failed_once = f.store.recent_mail(10).await.unwrap();
    assert_eq!(
        (failed_once[0].attempts, failed_once[0].recipient.as_str()),
        (1, "parent1@example.bg")
    );
    f.store.mark_mail(mail[0].id, Some(now + 1)).await.unwrap();
    assert!(f.store.unsent_mail(10).await.unwrap().is_empty());
    let sent = f.store.recent_mail(10).await.unwrap();
    assert_eq!((sent[0].attempts, sent[0].recipient.as_str()), (2, ""));
    assert_eq!(f.store.operational_counts().await.unwrap().outbox_pending, 0);
}

async fn a_claimed_mail_goes_to_one_deliverer(f: Fixture) {
    let event = f.event(WORKSHOP).await;
    let now = Fixture::open(&event);
    f.created(parent(1, event.id, &[("Ана", 6)]), now).await;
    f.created(parent(2, event.id, &[("Иво", 9)]), now).await;
    let first = f.store.claim_mail(0, now).await.unwrap().expect("a mail waits");
    let second = f.store.claim_mail(0, now).await.unwrap().expect("another mail waits");
    assert_ne!(first.id, second.id, "a claimed mail is not handed out twice");
    assert!(f.store.claim_mail(0, now).await.unwrap().is_none());
    assert!(
        f.store.claim_mail(second.id, now).await.unwrap().is_none(),
        "after the last id"
    );
    // A failed attempt lets go of the mail: it is tried again.
    let first_id = first.id;
    f.store.mark_mail(first.id, None).await.unwrap();
    let again = f
        .store
        .claim_mail(0, now + 1)
        .await
        .unwrap()
        .expect("the failed mail again");
    assert_eq!(again.id, first_id);
    f.store.mark_mail(again.id, Some(now + 2)).await.unwrap();
    // A claim whose holder died (never marked) comes back to the outbox when it runs out.
    let lost = second.id;
    let later = now + store::MAIL_CLAIM_SECONDS + 1;
    let back = f
        .store
        .claim_mail(0, later)
        .await
        .unwrap()
        .expect("the lost claim's mail");
    assert_eq!(back.id, lost);
    f.store.mark_mail(back.id, Some(later)).await.unwrap();
    assert!(f.store.claim_mail(0, later + 100).await.unwrap().is_none());
    assert!(f.store.unsent_mail(10).await.unwrap().is_empty());
}

async fn erasing_ended_events_forgets_their_parents(f: Fixture) {
    let event = f.event(WORKSHOP).await;
    let record = f
        .created(parent(1, event.id, &[("Ана", 6)]), Fixture::open(&event))
        .await;
    assert_eq!(
        f.store.erase_personal_data(event.ends_at, 0).await.unwrap(),
        0,
        "not ended yet"
    );
    assert_eq!(f.store.erase_personal_data(event.ends_at + 1, 0).await.unwrap(), 1);
    assert!(
        f.store
            .registration(record.token_nonce.as_deref().unwrap())
            .await
            .unwrap()
            .is_none()
    );
    assert!(f.store.unsent_mail(10).await.unwrap().is_empty());
    // The seats stay counted: the event happened with them.
    assert_eq!(f.event(WORKSHOP).await.confirmed_children, 1);
}

async fn erasing_a_person_forgets_their_failed_sign_ins_and_no_one_else_s(f: Fixture) {
    let policy = store::ThrottlePolicy {
        max_failures: 5,
        window: 900,
        lock_for: 900,
    };
    // `_` and `%` are letters of an address, not patterns.
    let keys = [
        "a_b@example.bg",
        "a_b@example.bg 203.0.113.7",
        "A_B@example.bg 198.51.100.2",
        "axb@example.bg 203.0.113.7",
        "a%b@example.bg",
        "a_b@example.bgx 203.0.113.7",
    ];
    for key in keys {
        f.store.count_sign_in_attempt(key, f.now, policy).await.unwrap();
    }
    f.store
        .erase_person("a_b@example.bg", &[], f.now, &Actor::system("contract test"))
        .await
        .unwrap();
    let mut left = Vec::new();
    for key in keys {
        // Four more lock a key whose first attempt was kept; an erased key starts over.
        for _ in 0..4 {
            f.store.count_sign_in_attempt(key, f.now, policy).await.unwrap();
        }
        if f.store.sign_in_locked_until(key, f.now).await.unwrap().is_some() {
            left.push(key);
        }
    }
    assert_eq!(
        left,
        [
            "axb@example.bg 203.0.113.7",
            "a%b@example.bg",
            "a_b@example.bgx 203.0.113.7"
        ]
    );
}

async fn accounts_are_unique_by_address_and_sessions_work(f: Fixture) {
    let account = NewAccount {
        email: "editor@example.bg".into(),
        display_name: "Редактор".into(),
        role: Role::Editor,
        password_hash: "$argon2id$not-a-real-hash".into(),
    };
    let id = f
        .store
        .create_account(&account, f.now, &Actor::system("contract test"))
        .await
        .unwrap();
    let again = f
        .store
        .create_account(&account, f.now, &Actor::system("contract test"))
        .await
        .unwrap_err();
    assert!(matches!(again, StoreError::Duplicate), "{again:?}");
    let found = f.store.account_by_email("editor@example.bg").await.unwrap().unwrap();
    assert_eq!((found.id, found.role), (id, Role::Editor));
    let token = [7_u8; 32];
    let session = NewSession {
        token_hash: &token,
        account_id: id,
        now: f.now,
        expires_at: f.now + 3600,
    };
    f.store.create_session(session).await.unwrap();
    let signed_in = f.store.session_account(&token, f.now + 60, 600).await.unwrap();
    assert_eq!(signed_in.map(|a| a.id), Some(id));
    assert!(
        f.store
            .session_account(&token, f.now + 60 + 601, 600)
            .await
            .unwrap()
            .is_none(),
        "idle too long"
    );
    let other = [8_u8; 32];
    f.store
        .create_session(NewSession {
            token_hash: &other,
            ..session
        })
        .await
        .unwrap();
    f.store.delete_session(&other).await.unwrap();
    assert!(f.store.session_account(&other, f.now + 1, 600).await.unwrap().is_none());
}

async fn corrupt_rows_are_errors_not_defaults(f: Fixture) {
    // What the schema's checks let through but the records cannot hold.
    let event = f.event(WORKSHOP).await;
    let record = f
        .created(parent(1, event.id, &[("Ана", 6)]), Fixture::open(&event))
        .await;
    database::execute(&f.url, "UPDATE registration_children SET age = 300").await;
    let error = f
        .store
        .registration(record.token_nonce.as_deref().unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(&error, StoreError::Corrupt(what) if what.contains("age")),
        "{error:?}"
    );
    database::execute(
        &f.url,
        &format!("UPDATE events SET capacity = 5000000000 WHERE id = {}", event.id),
    )
    .await;
    let error = f.store.event(Lang::Bg, &event.slug).await.unwrap_err();
    assert!(
        matches!(&error, StoreError::Corrupt(what) if what.contains("capacity")),
        "{error:?}"
    );
}

async fn a_fresh_database_has_every_migration(f: Fixture) {
    assert_eq!(f.store.pending_migrations().await.unwrap(), 0);
    // Opening it again (a second instance, a restart) migrates nothing and keeps the data.
    let again = store::connect(&f.url).await.unwrap();
    assert_eq!(again.ngo_count().await.unwrap(), f.content.ngos.len() as u64);
}

/// Each behaviour above as one test per engine.
macro_rules! contract {
    ($($behaviour:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $behaviour() {
                    let fixture = super::fixture(super::Engine::Sqlite).await.expect("SQLite is always there");
                    super::$behaviour(fixture).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $behaviour() {
                    let Some(fixture) = super::fixture(super::Engine::Postgres).await else {
                        eprintln!("no PostgreSQL test cluster (TEST_POSTGRES_URL): skipped");
                        return;
                    };
                    super::$behaviour(fixture).await;
                }
            )*
        }
    };
}

contract!(
    seeded_content_reads_back_in_both_languages,
    registrations_fill_capacity_then_wait_in_order,
    cancelling_frees_seats_and_promotes_the_waitlist_in_order,
    concurrent_registrations_never_overbook,
    the_same_key_replays_only_the_same_submission,
    the_same_children_again_mail_the_link_at_most_once_per_interval,
    an_address_holds_at_most_three_registrations,
    a_taken_code_is_a_clash_and_takes_no_seat,
    the_window_and_ages_are_enforced,
    sent_mail_keeps_no_personal_data,
    a_claimed_mail_goes_to_one_deliverer,
    erasing_ended_events_forgets_their_parents,
    erasing_a_person_forgets_their_failed_sign_ins_and_no_one_else_s,
    accounts_are_unique_by_address_and_sessions_work,
    corrupt_rows_are_errors_not_defaults,
    a_fresh_database_has_every_migration,
);
