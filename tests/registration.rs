//! Registering children for events over HTTP, as the form does (with and without JavaScript).
#![cfg(feature = "ssr")]
mod common;

use common::smtp::SmtpSink;
use common::{TestApp, attr, select, spawn_app, spawn_app_with, text, texts};
use std::sync::atomic::{AtomicUsize, Ordering};

const WORKSHOP: &str = "summer-art-party";
static UNIQUE: AtomicUsize = AtomicUsize::new(0);

fn unique() -> usize {
    UNIQUE.fetch_add(1, Ordering::SeqCst)
}

fn form(event: &str, key: &str, email: &str, children: &[(&str, &str)]) -> Vec<(String, String)> {
    common::registration_fields(event, key, email, children)
}

/// Posts the form as a browser without JavaScript does: to the event's Bulgarian page.
async fn post_form(app: &TestApp, fields: &[(String, String)]) -> reqwest::Response {
    let event = fields
        .iter()
        .find(|(k, _)| k == "event")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    app.client
        .post(format!("{}/bg/events/{event}", app.address))
        .header("accept", "text/html")
        .header("origin", &app.address)
        .header("sec-fetch-site", "same-origin")
        .form(fields)
        .send()
        .await
        .expect("answered")
}

/// Posts the form; returns the status and Location.
async fn submit(app: &TestApp, fields: &[(String, String)]) -> (u16, String) {
    let response = post_form(app, fields).await;
    let location = response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (response.status().as_u16(), location)
}

async fn register(app: &TestApp, event: &str, children: &[(&str, &str)]) -> String {
    let n = unique();
    let (status, location) = submit(
        app,
        &form(event, &format!("key-{n}"), &format!("parent{n}@example.bg"), children),
    )
    .await;
    assert_eq!(status, 303, "registration redirects");
    assert!(location.starts_with("/bg/registrations/"), "{location}");
    location
}

async fn status_of(app: &TestApp, manage_path: &str) -> String {
    let (status, page) = app.page(manage_path).await;
    assert_eq!(status, 200);
    text(&page, "[data-testid=registration-status]")
}

async fn availability(app: &TestApp, event: &str) -> serde_json::Value {
    app.get(&format!("/api/events/{event}/availability"))
        .await
        .json()
        .await
        .expect("json")
}

#[tokio::test]
async fn a_parent_registers_two_children_and_gets_a_code_and_a_private_page() {
    let app = spawn_app().await;
    let manage = register(&app, WORKSHOP, &[("Ива", "6"), ("Петър", "9")]).await;
    let (status, page) = app.page(&manage).await;
    assert_eq!(status, 200);
    let code = text(&page, "[data-testid=registration-code]");
    assert!(code.starts_with("LP-") && code.len() == 7, "{code}");
    assert_eq!(
        text(&page, "[data-testid=registration-status]"),
        "Записахте се! Очакваме ви."
    );
    assert_eq!(availability(&app, WORKSHOP).await["confirmed"], 2);
    let (_, event) = app.page(&format!("/bg/events/{WORKSHOP}")).await;
    assert_eq!(text(&event, ".event-facts [data-testid=seats]"), "Остават 28 места");
}

#[tokio::test]
async fn the_same_form_submitted_twice_is_one_registration() {
    let app = spawn_app().await;
    let fields = form(WORKSHOP, "double-tap", "twice@example.bg", &[("Ива", "6")]);
    let (first_status, first) = submit(&app, &fields).await;
    let (second_status, second) = submit(&app, &fields).await;
    assert_eq!((first_status, second_status), (303, 303));
    assert_eq!(first, second);
    assert_eq!(availability(&app, WORKSHOP).await["confirmed"], 1);
}

#[tokio::test]
async fn two_hundred_concurrent_registrations_never_overbook_thirty_places() {
    let app = spawn_app().await;
    let requests = (0..200).map(|i| {
        let app_address = app.address.clone();
        let client = app.client.clone();
        let children: Vec<(String, String)> = (0..(i % 3 + 1)).map(|c| (format!("Дете{c}"), "7".to_owned())).collect();
        async move {
            let borrowed: Vec<(&str, &str)> = children.iter().map(|(n, a)| (n.as_str(), a.as_str())).collect();
            let fields = form(
                WORKSHOP,
                &format!("load-{i}"),
                &format!("load{i}@example.bg"),
                &borrowed,
            );
            let response = client
                .post(format!("{app_address}/api/events/register"))
                .header("accept", "text/html")
                .header("referer", format!("{app_address}/bg/events/{WORKSHOP}"))
                .form(&fields)
                .send()
                .await
                .expect("every request is answered");
            let location = response
                .headers()
                .get("location")
                .map(|v| v.to_str().unwrap().to_owned());
            (response.status().as_u16(), location.unwrap_or_default(), children.len())
        }
    });
    let answers = futures::future::join_all(requests).await;
    let mut confirmed_children = 0;
    let mut waitlisted_children = 0;
    for (status, location, children) in &answers {
        assert_eq!(*status, 302, "a definite answer");
        assert!(location.starts_with("/bg/registrations/"), "{location}");
        let status = status_of(&app, location).await;
        if status.starts_with("Записахте се") {
            confirmed_children += children;
        } else {
            assert!(status.contains("списъка с чакащи"), "{status}");
            waitlisted_children += children;
        }
    }
    assert!(
        confirmed_children <= 30,
        "{confirmed_children} children confirmed for 30 places"
    );
    // Registrations of 1–3 children fill the event up to at least 28 before anyone waits.
    assert!(confirmed_children >= 28, "{confirmed_children}");
    let seats = availability(&app, WORKSHOP).await;
    assert_eq!(seats["confirmed"], confirmed_children);
    assert_eq!(seats["waitlisted"], waitlisted_children);
    assert_eq!(
        confirmed_children + waitlisted_children,
        answers.iter().map(|a| a.2).sum::<usize>()
    );
}

#[tokio::test]
async fn a_full_event_waitlists_and_a_cancellation_promotes_the_next_parent() {
    let app = spawn_app().await;
    let event = "bilingual-story-time-varna"; // 15 places, ages 3–8
    let mut first = String::new();
    for i in 0..5 {
        let manage = register(&app, event, &[("А", "4"), ("Б", "5"), ("В", "6")]).await;
        if i == 0 {
            first = manage;
        }
    }
    let waiting = register(&app, event, &[("Г", "7")]).await;
    assert!(
        status_of(&app, &waiting).await.contains("номер 1"),
        "first on the waitlist"
    );
    let (_, event_page) = app.page(&format!("/bg/events/{event}")).await;
    assert_eq!(
        text(&event_page, ".event-facts [data-testid=seats]"),
        "Няма свободни места — списък с чакащи"
    );

    assert_eq!(app.cancel(&first).await, 302);
    assert_eq!(status_of(&app, &first).await, "Регистрацията е отменена.");
    assert_eq!(status_of(&app, &waiting).await, "Записахте се! Очакваме ви.");
    assert_eq!(availability(&app, event).await["confirmed"], 13);
}

#[tokio::test]
async fn invalid_fields_come_back_one_by_one_with_what_was_typed() {
    let app = spawn_app().await;
    let mut fields = form(WORKSHOP, "bad", "maria@", &[("Ива", "15")]);
    fields.retain(|(k, _)| k != "consent");
    common::set_field(&mut fields, "phone", "12345");
    let response = post_form(&app, &fields).await;
    // The answer is the form again, right in the response: nothing typed goes into a URL.
    assert_eq!(response.status().as_u16(), 422);
    assert!(response.headers().get("location").is_none());
    let page = scraper::Html::parse_document(&response.text().await.unwrap());
    assert_eq!(
        text(&page, "[data-testid=error-email]"),
        "Въведете валиден имейл адрес, например maria@example.bg."
    );
    assert_eq!(
        text(&page, "[data-testid=error-phone]"),
        "Въведете валиден телефон, например 0888 123 456 или +359 888 123 456."
    );
    assert_eq!(
        text(&page, "[data-testid=error-child-0-age]"),
        "Събитието е за деца от 4 до 12 години."
    );
    assert_eq!(text(&page, "#err-consent"), "Необходимо е съгласие, за да ви запишем.");
    assert_eq!(attr(&page, "#email", "value").as_deref(), Some("maria@"));
    assert_eq!(attr(&page, "#phone", "value").as_deref(), Some("12345"));
    assert_eq!(attr(&page, "#child-0-name", "value").as_deref(), Some("Ива"));
    assert_eq!(attr(&page, "#child-0-age", "value").as_deref(), Some("15"));
    assert_eq!(availability(&app, WORKSHOP).await["confirmed"], 0);
}

#[tokio::test]
async fn a_filled_honeypot_is_accepted_but_nothing_is_stored() {
    let app = spawn_app().await;
    let mut fields = form(WORKSHOP, "bot", "bot@example.bg", &[("Bot", "6")]);
    common::set_field(&mut fields, "website", "http://spam.example");
    let (status, location) = submit(&app, &fields).await;
    assert_eq!(
        (status, location.as_str()),
        (303, format!("/bg/events/{WORKSHOP}").as_str())
    );
    assert_eq!(availability(&app, WORKSHOP).await["confirmed"], 0);
}

#[tokio::test]
async fn confirmation_mail_arrives_over_smtp_with_the_code_and_the_manage_link() {
    let sink = SmtpSink::start().await;
    let smtp_url = sink.url.clone();
    let app = spawn_app_with(|config| config.smtp_url = Some(smtp_url)).await;
    let manage = register(&app, WORKSHOP, &[("Ива", "6"), ("Петър", "9")]).await;
    let (_, page) = app.page(&manage).await;
    let code = text(&page, "[data-testid=registration-code]");
    let mail = sink.wait_for(&code).await;
    assert!(
        mail.contains(&format!("{}{manage}", common::PUBLIC_URL)),
        "manage link in:\n{mail}"
    );
    assert!(mail.contains("Регистрацията е потвърдена."), "{mail}");
    assert!(mail.contains("Ива (6), Петър (9)"), "{mail}");
}

#[tokio::test]
async fn too_many_registrations_from_one_address_get_a_429_page_in_bulgarian() {
    let app = spawn_app_with(|config| config.registrations_per_minute = 2).await;
    register(&app, WORKSHOP, &[("Ива", "6")]).await;
    register(&app, WORKSHOP, &[("Ива", "6")]).await;
    let (status, _) = submit(&app, &form(WORKSHOP, "third", "third@example.bg", &[("Ива", "6")])).await;
    assert_eq!(status, 429);
    let response = post_form(&app, &form(WORKSHOP, "fourth", "fourth@example.bg", &[("Ива", "6")])).await;
    assert_eq!(response.headers()["retry-after"], "60");
    let html = response.text().await.unwrap();
    assert!(
        html.contains("<html lang=\"bg\"") && html.contains("Твърде много опити"),
        "{html}"
    );
}

#[tokio::test]
async fn the_event_page_describes_the_event_for_people_and_search_engines() {
    let app = spawn_app().await;
    let (status, page) = app.page(&format!("/en/events/{WORKSHOP}")).await;
    assert_eq!(status, 200);
    assert_eq!(text(&page, "h1"), "Summer Party");
    assert_eq!(text(&page, ".event-facts [data-testid=seats]"), "30 places left");
    let json_ld: serde_json::Value = serde_json::from_str(&text(&page, "script[type='application/ld+json']")).unwrap();
    assert_eq!(json_ld["@type"], "Event");
    assert_eq!(json_ld["eventStatus"], "https://schema.org/EventScheduled");
    assert_eq!(json_ld["offers"]["price"], "0");
    assert!(
        json_ld["startDate"].as_str().unwrap().contains("T11:00:00+0"),
        "{}",
        json_ld["startDate"]
    );
    assert_eq!(json_ld["location"]["@type"], "Place");
    assert_eq!(json_ld["organizer"]["@type"], "Organization");
    assert_eq!(select(&page, "form.registration-form").len(), 1);
    let ics = app.get(&format!("/api/events/{WORKSHOP}/calendar.ics?lang=en")).await;
    assert_eq!(ics.headers()["content-type"], "text/calendar; charset=utf-8");
    let ics = ics.text().await.unwrap();
    assert!(
        ics.contains("DTSTART;TZID=Europe/Sofia:") && ics.contains("T110000"),
        "{ics}"
    );
}

#[tokio::test]
async fn events_list_shows_upcoming_events_with_places_left() {
    let app = spawn_app().await;
    let (_, page) = app.page("/bg/events").await;
    let titles: Vec<String> = texts(&page, ".event-card h3");
    assert!(titles.len() >= 4, "{titles:?}");
    assert!(titles.contains(&"Лятно парти".to_owned()));
    assert!(texts(&page, "[data-testid=seats]").contains(&"Остават 30 места".to_owned()));
    let (_, past) = app.page("/bg/events?when=past").await;
    assert!(texts(&past, ".event-card h3").contains(&"Нощ в библиотеката".to_owned()));
}

#[tokio::test]
async fn personal_data_is_erased_thirty_days_after_the_event() {
    use ngo_portal::server::store::{self, MailComposer, MailKind, NewRegistration, RegisterOutcome};
    const NONCE: &str = "00112233445566778899aabbccddeeff";
    let dir = tempfile::tempdir().unwrap();
    let url = common::database::fresh_url(common::database::engine(), dir.path())
        .await
        .expect("the engine's database");
    let store = store::connect(&url).await.unwrap();
    let now = 1_800_000_000;
    store
        .insert_content(
            &ngo_portal::server::seed::SeedContent::demo()
                .unwrap()
                .scheduled(now)
                .unwrap(),
        )
        .await
        .unwrap();
    let event = store
        .event(ngo_portal::domain::Lang::Bg, &WORKSHOP.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    let compose: Box<MailComposer> = Box::new(|_kind: MailKind, _r: &store::RegistrationRecord| store::ComposedMail {
        subject: "s".into(),
        body: "b".into(),
    });
    let registration = NewRegistration {
        event_id: event.id,
        idempotency_key: "k".into(),
        lang: ngo_portal::domain::Lang::Bg,
        parent_name: "Мария Иванова".into(),
        email: "maria@example.bg".parse().unwrap(),
        phone: "+359888123456".parse().unwrap(),
        note: "алергия към ядки".into(),
        children: vec![("Зорница".into(), 6)],
        code: "LP-TEST".into(),
        token_nonce: NONCE.into(),
    };
    let RegisterOutcome::Created(_) = store
        .register(registration, event.registration_opens_at + 1, compose.as_ref())
        .await
        .unwrap()
    else {
        panic!("registered")
    };
    // A day after the event nothing is erased yet; thirty-one days after, everything personal is.
    let long_ago = 0;
    assert_eq!(
        store
            .erase_personal_data(event.ends_at + 86_400 - 30 * 86_400, long_ago)
            .await
            .unwrap(),
        0
    );
    assert!(store.registration(NONCE).await.unwrap().is_some());
    assert_eq!(
        store
            .erase_personal_data(event.ends_at + 86_400, long_ago)
            .await
            .unwrap(),
        1
    );
    assert!(
        store.registration(NONCE).await.unwrap().is_none(),
        "the private link leads nowhere any more"
    );
    assert!(
        store.unsent_mail(10).await.unwrap().is_empty(),
        "queued mail with personal data is gone"
    );
    drop(store);
    // Not in the database file, nor in its write-ahead log: the bytes themselves.
    for file in ["retention.db", "retention.db-wal"] {
        let bytes = std::fs::read(dir.path().join(file)).unwrap_or_default();
        for personal in [
            "maria@example.bg",
            "+359888123456",
            "Мария Иванова",
            "Зорница",
            "алергия към ядки",
        ] {
            assert!(
                !bytes.windows(personal.len()).any(|w| w == personal.as_bytes()),
                "{personal} still in {file}"
            );
        }
    }
}
