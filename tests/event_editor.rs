//! The event editor end to end over HTTP: who may write, drafts kept off the public site, old
//! addresses, seats against confirmed children and the waitlist, cancellation mail, organisers.
#![cfg(feature = "ssr")]
mod common;

use common::admin::{admin_home, call, get_as, register_for, signed_in, spawn_admin_app};
use common::{TestApp, select, text, texts};
use ngo_portal::server::seed::{DEMO_EDITOR, DEMO_ORGANISER};

/// An event as the editor's form sends it (`draft[...]` fields), open for registration now;
/// `extra` adds or overrides.
fn event_fields<'a>(status: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("draft[slug]", ""),
        ("draft[bg][text][title]", "Куклен театър в парка"),
        ("draft[bg][text][summary]", "Представление и работилница за кукли."),
        ("draft[bg][text][body]", "Гледаме и **правим** кукли заедно."),
        ("draft[bg][venue_name]", "Борисова градина"),
        ("draft[bg][venue_address]", "Езерото Ариана, София"),
        ("draft[tags]", "деца, театър"),
        ("draft[status]", status),
        ("draft[starts_at]", "2099-06-01T10:00"),
        ("draft[ends_at]", "2099-06-01T12:00"),
        ("draft[registration_opens_at]", ""),
        ("draft[registration_closes_at]", ""),
        ("draft[map_url]", "https://www.openstreetmap.org/?mlat=42.68&mlon=23.34"),
        ("draft[min_age]", "4"),
        ("draft[max_age]", "10"),
        ("draft[capacity]", "2"),
        ("draft[free]", "false"),
        ("draft[price]", "5,50"),
        ("draft[organiser_ngo]", "1"),
        ("draft[code_prefix]", ""),
    ];
    for (name, value) in extra {
        match fields.iter_mut().find(|(n, _)| n == name) {
            Some(field) => field.1 = value,
            None => fields.push((name, value)),
        }
    }
    fields
}

const SLUG: &str = "kuklen-teatar-v-parka";

async fn save(app: &TestApp, cookie: Option<&str>, fields: &[(&str, &str)]) -> reqwest::Response {
    call(app, "/api/admin/events/save", cookie, fields).await
}

/// Saves and returns the answer (`id`, `slug`, `promoted`, `told_cancelled`).
async fn saved(app: &TestApp, cookie: &str, fields: &[(&str, &str)]) -> serde_json::Value {
    let response = save(app, Some(cookie), fields).await;
    let status = response.status().as_u16();
    let body = response.text().await.expect("body");
    assert_eq!(status, 200, "saved: {body}");
    serde_json::from_str(&body).expect("json")
}

/// A refused save's field errors as (field, problem) pairs.
async fn refused(app: &TestApp, cookie: &str, fields: &[(&str, &str)]) -> Vec<(String, String)> {
    let response = save(app, Some(cookie), fields).await;
    assert_eq!(response.status().as_u16(), 422);
    let body: serde_json::Value = response.json().await.expect("json");
    body["Validation"]
        .as_array()
        .expect("field errors")
        .iter()
        .map(|e| {
            let problem = &e["problem"];
            let name = problem
                .as_str()
                .map(str::to_owned)
                .or_else(|| problem.as_object().and_then(|o| o.keys().next().cloned()))
                .unwrap_or_default();
            (e["field"].as_str().unwrap_or_default().to_owned(), name)
        })
        .collect()
}

#[tokio::test]
async fn the_event_editor_answers_401_signed_out_and_403_to_an_organiser() {
    let app = spawn_admin_app().await;
    let organiser = signed_in(&app, DEMO_ORGANISER).await;
    for cookie in [None, Some(organiser.as_str())] {
        let expected = if cookie.is_some() { 403 } else { 401 };
        let list = get_as(&app, "/api/admin/events?lang=bg", cookie).await;
        assert_eq!(list.status().as_u16(), expected, "list");
        // Not even the organiser's own event opens in the editor.
        let editor = get_as(&app, "/api/admin/events/editor?lang=bg&slug=summer-art-party", cookie).await;
        assert_eq!(editor.status().as_u16(), expected, "editor");
        let answer = save(&app, cookie, &event_fields("published", &[])).await;
        assert_eq!(answer.status().as_u16(), expected, "save");
        let ngos = get_as(&app, "/api/admin/events/ngos?lang=bg&q=zeleni", cookie).await;
        assert_eq!(ngos.status().as_u16(), expected, "NGO search");
    }
    assert_eq!(
        app.page(&format!("/bg/events/{SLUG}")).await.0,
        404,
        "nothing was written"
    );
}

#[tokio::test]
async fn a_draft_event_stays_off_the_site_until_published() {
    let app = spawn_admin_app().await;
    let editor = signed_in(&app, DEMO_EDITOR).await;
    let draft = saved(&app, &editor, &event_fields("draft", &[])).await;
    assert_eq!(draft["slug"], SLUG, "the slug comes from the Bulgarian title");
    assert_eq!(app.page(&format!("/bg/events/{SLUG}")).await.0, 404);
    let (_, list) = app.page("/bg/events").await;
    assert!(!text(&list, "main").contains("Куклен театър"));
    let (_, search) = app.page("/bg/search?q=kuklen+teatar").await;
    // (The public „Кукли от чорапи“ mentions a „куклен театър“: the draft itself is not found.)
    assert!(
        !texts(&search, ".search-result__title").contains(&"Куклен театър в парка".to_owned()),
        "a draft is not found"
    );
    let drafts: serde_json::Value = get_as(&app, "/api/admin/events?lang=bg&status=draft", Some(&editor))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(drafts["total"], 1);
    assert_eq!(drafts["events"][0]["slug"], SLUG);

    let id = draft["id"].to_string();
    saved(&app, &editor, &event_fields("published", &[("draft[id]", &id)])).await;
    let (status, page) = app.page(&format!("/bg/events/{SLUG}")).await;
    assert_eq!(status, 200);
    assert_eq!(text(&page, "h1"), "Куклен театър в парка");
    let facts = text(&page, ".event-facts");
    assert!(facts.contains("Борисова градина"), "{facts}");
    assert!(facts.contains("5,50"), "price: {facts}");
    assert!(facts.contains("4"), "ages: {facts}");
    assert!(
        select(&page, ".event-facts a[href^='https://www.openstreetmap.org/']").len() == 1,
        "map link"
    );
    // Written in Bulgarian only: the English page shows it as written, and says so.
    let (status, en) = app.page(&format!("/en/events/{SLUG}")).await;
    assert_eq!(status, 200);
    assert_eq!(select(&en, "[data-testid=untranslated]").len(), 1);
    assert_eq!(select(&en, "link[hreflang=en]").len(), 0, "no English alternate");
    // It is on the list at once (the page cache let go of it).
    let (_, list) = app.page("/bg/events").await;
    assert!(texts(&list, ".card__title").contains(&"Куклен театър в парка".to_owned()));
    // And the site search finds it now, as it did not while a draft.
    let (_, search) = app.page("/bg/search?q=kuklen+teatar").await;
    assert!(texts(&search, ".search-result__title").contains(&"Куклен театър в парка".to_owned()));
    // Registration codes start with the title's initials.
    let private = register_for(&app, SLUG, "maria@example.com", &[("Ани", "6")]).await;
    let (_, registration) = app.page(&private).await;
    assert!(text(&registration, "main").contains("KTV-"), "code prefix");
}

#[tokio::test]
async fn a_changed_event_slug_answers_the_old_address_with_a_301() {
    let app = spawn_admin_app().await;
    let editor = signed_in(&app, DEMO_EDITOR).await;
    let first = saved(&app, &editor, &event_fields("published", &[])).await;
    let id = first["id"].to_string();
    saved(
        &app,
        &editor,
        &event_fields("published", &[("draft[id]", &id), ("draft[slug]", "kukli-v-parka")]),
    )
    .await;
    let old = app.get(&format!("/bg/events/{SLUG}")).await;
    assert_eq!(old.status().as_u16(), 301);
    assert_eq!(common::admin::header(&old, "location"), "/bg/events/kukli-v-parka");
    assert_eq!(app.page("/bg/events/kukli-v-parka").await.0, 200);
    // Another event cannot take the old address, nor the admin's own `new`.
    let taken = refused(&app, &editor, &event_fields("draft", &[("draft[slug]", SLUG)])).await;
    assert_eq!(taken, [("slug".to_owned(), "SlugTaken".to_owned())]);
    let reserved = refused(&app, &editor, &event_fields("draft", &[("draft[slug]", "new")])).await;
    assert_eq!(reserved, [("slug".to_owned(), "SlugTaken".to_owned())]);
}

#[tokio::test]
async fn seats_never_drop_below_confirmed_children_and_added_seats_go_to_the_waitlist() {
    let app = spawn_admin_app().await;
    let editor = signed_in(&app, DEMO_EDITOR).await;
    let id = saved(&app, &editor, &event_fields("published", &[])).await["id"].to_string();
    register_for(&app, SLUG, "first@example.com", &[("Ани", "5"), ("Боби", "7")]).await;
    register_for(&app, SLUG, "second@example.com", &[("Вени", "6")]).await;
    let below = refused(
        &app,
        &editor,
        &event_fields("published", &[("draft[id]", &id), ("draft[capacity]", "1")]),
    )
    .await;
    assert_eq!(below, [("capacity".to_owned(), "BelowConfirmed".to_owned())]);
    // Going back to a draft would hide an event parents registered for.
    let hidden = refused(&app, &editor, &event_fields("draft", &[("draft[id]", &id)])).await;
    assert_eq!(hidden, [("status".to_owned(), "CannotBeDraft".to_owned())]);

    let more = saved(
        &app,
        &editor,
        &event_fields("published", &[("draft[id]", &id), ("draft[capacity]", "3")]),
    )
    .await;
    assert_eq!(more["promoted"], 1);
    let door: serde_json::Value = get_as(&app, &format!("/api/admin/door?lang=bg&slug={SLUG}"), Some(&editor))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(door["event"]["confirmed_children"], 3);
    assert_eq!(door["event"]["waitlisted_children"], 0);
}

#[tokio::test]
async fn cancelling_an_event_mails_every_registered_parent_and_stays_final() {
    let app = spawn_admin_app().await;
    let editor = signed_in(&app, DEMO_EDITOR).await;
    let id = saved(&app, &editor, &event_fields("published", &[])).await["id"].to_string();
    register_for(&app, SLUG, "first@example.com", &[("Ани", "5"), ("Боби", "7")]).await;
    register_for(&app, SLUG, "second@example.com", &[("Вени", "6")]).await;
    let cancelled = saved(&app, &editor, &event_fields("cancelled", &[("draft[id]", &id)])).await;
    assert_eq!(
        cancelled["told_cancelled"], 2,
        "the confirmed and the waitlisted parent"
    );
    let outbox: serde_json::Value = get_as(&app, "/api/admin/outbox", Some(&editor))
        .await
        .json()
        .await
        .expect("json");
    let kinds: Vec<&str> = outbox["mails"]
        .as_array()
        .expect("mails")
        .iter()
        .filter_map(|mail| mail["kind"].as_str())
        .filter(|kind| *kind == "event_cancelled")
        .collect();
    assert_eq!(kinds.len(), 2);
    let (status, page) = app.page(&format!("/bg/events/{SLUG}")).await;
    assert_eq!(status, 200);
    assert!(
        select(&page, "form.registration-form").is_empty(),
        "no more registrations"
    );
    let reopened = refused(&app, &editor, &event_fields("published", &[("draft[id]", &id)])).await;
    assert_eq!(reopened, [("status".to_owned(), "StaysCancelled".to_owned())]);
    // Saving it again (cancelled) mails nobody twice.
    let again = saved(&app, &editor, &event_fields("cancelled", &[("draft[id]", &id)])).await;
    assert_eq!(again["told_cancelled"], 0);
    let admin = signed_in(&app, common::admin::create_admin(&app).await).await;
    let audit: serde_json::Value = get_as(&app, "/api/admin/audit?page=1", Some(&admin))
        .await
        .json()
        .await
        .expect("json");
    let actions: Vec<&str> = audit["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(actions.contains(&"event.cancel"), "{actions:?}");
    assert!(actions.contains(&"event.create"), "{actions:?}");
}

#[tokio::test]
async fn the_organisers_chosen_in_the_editor_see_the_event_at_the_door() {
    let app = spawn_admin_app().await;
    let editor = signed_in(&app, DEMO_EDITOR).await;
    let choices: serde_json::Value = get_as(&app, "/api/admin/events/editor?lang=bg", Some(&editor))
        .await
        .json()
        .await
        .expect("json");
    let organiser_id = choices["organisers"][0]["id"].to_string();
    assert_eq!(choices["organisers"][0]["name"], "Демо организатор");
    // The organising NGO is found in the directory, in either alphabet.
    let found: serde_json::Value = get_as(&app, "/api/admin/events/ngos?lang=bg&q=zeleni+rodopi", Some(&editor))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(found[0]["name"], "Сдружение „Зелени Родопи“");
    saved(
        &app,
        &editor,
        &event_fields("published", &[("draft[organisers][0]", &organiser_id)]),
    )
    .await;
    let organiser = signed_in(&app, DEMO_ORGANISER).await;
    let home: serde_json::Value = admin_home(&app, Some(&organiser)).await.json().await.expect("json");
    let slugs: Vec<&str> = home["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["slug"].as_str())
        .collect();
    assert!(slugs.contains(&SLUG), "{slugs:?}");
    // Only an organiser account can be chosen.
    let wrong = refused(
        &app,
        &editor,
        &event_fields("draft", &[("draft[slug]", "other"), ("draft[organisers][0]", "999")]),
    )
    .await;
    assert_eq!(wrong, [("organisers".to_owned(), "Required".to_owned())]);
}

#[tokio::test]
async fn after_a_cancellation_a_freed_place_confirms_nobody_from_the_waitlist() {
    let app = spawn_admin_app().await;
    let editor = signed_in(&app, DEMO_EDITOR).await;
    let id = saved(&app, &editor, &event_fields("published", &[])).await["id"].to_string();
    let first = register_for(&app, SLUG, "first@example.com", &[("Ани", "5"), ("Боби", "7")]).await;
    register_for(&app, SLUG, "second@example.com", &[("Вени", "6")]).await;
    saved(&app, &editor, &event_fields("cancelled", &[("draft[id]", &id)])).await;
    assert_eq!(app.cancel(&first).await, 302, "the first parent cancels");
    let door: serde_json::Value = get_as(&app, &format!("/api/admin/door?lang=bg&slug={SLUG}"), Some(&editor))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        door["event"]["waitlisted_children"], 1,
        "still waiting, not told of a place"
    );
    let outbox = get_as(&app, "/api/admin/outbox", Some(&editor))
        .await
        .text()
        .await
        .expect("body");
    assert!(!outbox.contains("\"promoted\""), "{outbox}");
}

#[tokio::test]
async fn an_event_with_registrations_cannot_end_in_the_past_and_keeps_an_organiser_turned_off() {
    let app = spawn_admin_app().await;
    let editor = signed_in(&app, DEMO_EDITOR).await;
    let choices: serde_json::Value = get_as(&app, "/api/admin/events/editor?lang=bg", Some(&editor))
        .await
        .json()
        .await
        .expect("json");
    let organiser_id = choices["organisers"][0]["id"].to_string();
    let with_organiser = [("draft[organisers][0]", organiser_id.as_str())];
    let id = saved(&app, &editor, &event_fields("published", &with_organiser)).await["id"].to_string();
    register_for(&app, SLUG, "first@example.com", &[("Ани", "5")]).await;
    let past = refused(
        &app,
        &editor,
        &event_fields(
            "published",
            &[
                ("draft[id]", &id),
                ("draft[organisers][0]", &organiser_id),
                ("draft[starts_at]", "2019-06-01T10:00"),
                ("draft[ends_at]", "2019-06-01T12:00"),
                ("draft[registration_opens_at]", "2019-05-01T10:00"),
                ("draft[registration_closes_at]", "2019-06-01T10:00"),
            ],
        ),
    )
    .await;
    assert_eq!(past, [("ends_at".to_owned(), "EndsInPast".to_owned())]);
    // The organiser's account is turned off: the event can still be saved (and cancelled).
    let admin = signed_in(&app, common::admin::create_admin(&app).await).await;
    let off = call(
        &app,
        "/api/admin/accounts/disabled",
        Some(&admin),
        &[("id", &organiser_id), ("disabled", "true")],
    )
    .await;
    assert_eq!(off.status().as_u16(), 200);
    let fields = event_fields(
        "cancelled",
        &[("draft[id]", &id), ("draft[organisers][0]", &organiser_id)],
    );
    assert_eq!(saved(&app, &editor, &fields).await["told_cancelled"], 1);
}
