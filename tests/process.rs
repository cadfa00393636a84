//! The server as a process, as operators run it: JSON logs, and a SIGTERM in the middle of
//! registrations that loses nothing and sends no mail twice.
#![cfg(all(feature = "ssr", unix))]
mod common;

use common::smtp::SmtpSink;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// The running binary; killed if a test ends early, so that none is left behind.
struct Portal(Option<Child>);

impl Portal {
    fn child(&mut self) -> &mut Child {
        self.0.as_mut().expect("running")
    }

    /// SIGTERM: stop as a service manager asks.
    fn terminate(&mut self) {
        let pid = self.child().id().to_string();
        let status = Command::new("kill").args(["-TERM", &pid]).status().expect("kill runs");
        assert!(status.success());
    }

    /// SIGKILL: no chance to finish anything.
    fn kill_9(&mut self) {
        self.child().kill().expect("SIGKILL");
        let _ = self.child().wait();
    }

    async fn exit(mut self) -> ExitStatus {
        let mut child = self.0.take().expect("running");
        tokio::task::spawn_blocking(move || child.wait())
            .await
            .expect("task")
            .expect("exit status")
    }
}

impl Drop for Portal {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A client that shows redirects rather than following them.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// A fresh database for the test's server processes, in `data_dir` (SQLite) or the test cluster.
async fn database(data_dir: &Path) -> String {
    common::database::fresh_url(common::database::engine(), data_dir)
        .await
        .expect("the engine's database")
}

/// The portal's binary on `database_url`, logging JSON; its address and its log lines as they come.
fn start(data_dir: &Path, database_url: &str, smtp_url: &str) -> (Portal, String, mpsc::Receiver<String>) {
    let child = Command::new(env!("CARGO_BIN_EXE_ngo-portal"))
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("DATABASE_URL", database_url)
        .env("MEDIA_DIR", data_dir.join("media"))
        .env("SECRET_KEY_FILE", data_dir.join("secret.key"))
        .env("DEMO_NGOS", "300")
        .env("SMTP_URL", smtp_url)
        .env("REGISTRATIONS_PER_MINUTE", "100000")
        .env("LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server starts");
    let mut portal = Portal(Some(child));
    let (lines, log) = mpsc::channel();
    let stderr = portal.child().stderr.take().expect("stderr");
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let mut seen = Vec::new();
    loop {
        let line = log
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("not listening within a minute: {seen:#?}"));
        let entry: serde_json::Value =
            serde_json::from_str(&line).unwrap_or_else(|_| panic!("a log line that is not JSON: {line}"));
        if entry["message"] == "NGO portal is listening" {
            let address = entry["address"].as_str().expect("address").to_owned();
            return (portal, format!("http://{address}"), log);
        }
        seen.push(line);
    }
}

/// How many mails went to each of the first `n` parents.
fn mails_to(sink: &SmtpSink, n: usize) -> Vec<usize> {
    let mut counts = vec![0; n];
    for message in sink.messages.lock().expect("lock").iter() {
        let parent = message
            .lines()
            .find_map(|line| line.strip_prefix("To:"))
            .and_then(|to| to.trim().trim_start_matches('<').strip_prefix("process-"))
            .and_then(|rest| rest.split_once('@'))
            .and_then(|(i, _)| i.parse::<usize>().ok());
        if let Some(i) = parent.filter(|i| *i < n) {
            counts[i] += 1;
        }
    }
    counts
}

#[tokio::test]
async fn a_sigterm_during_registrations_finishes_them_and_their_mail_is_sent_once() {
    const PARENTS: usize = 40;
    let data_dir = tempfile::tempdir().expect("temporary directory");
    let url = database(data_dir.path()).await;
    let sink = SmtpSink::start().await;
    let (mut server, address, log) = start(data_dir.path(), &url, &sink.url);
    let client = client();

    let registering: Vec<_> = (0..PARENTS)
        .map(|i| {
            let (client, address) = (client.clone(), address.clone());
            tokio::spawn(async move { register_with_link(&client, &address, i).await.0 })
        })
        .collect();
    // Once the outbox is delivering (the first mail is in), with registrations still coming.
    for _ in 0..200 {
        if !sink.messages.lock().expect("lock").is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    server.terminate();
    let mut answered = Vec::new();
    for registration in registering {
        answered.push(registration.await.expect("task"));
    }
    let exit = server.exit().await;
    assert!(exit.success(), "{exit:?}");
    // A request either got its answer or was never taken (the listener closed first).
    assert!(answered.iter().all(|status| matches!(status, 303 | 0)), "{answered:?}");
    let registered: Vec<usize> = (0..PARENTS).filter(|i| answered[*i] == 303).collect();
    assert!(
        !registered.is_empty(),
        "none registered before the SIGTERM: {answered:?}"
    );

    // All of them: the reading thread ends when the process's stderr closes.
    let lines: Vec<String> = log.iter().collect();
    for line in &lines {
        let entry: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|_| panic!("a log line that is not JSON: {line}"));
        assert!(entry["level"].is_string() && entry["timestamp"].is_string(), "{line}");
        // Never a parent's address or phone.
        assert!(!line.contains("example.bg") && !line.contains("0888"), "{line}");
    }
    assert!(lines.iter().any(|line| line.contains("outbox stopped")), "{lines:#?}");

    // The outbox delivered a batch more before the process ended.
    let sent_before_restart = mails_to(&sink, PARENTS).iter().sum::<usize>();
    assert!(sent_before_restart >= 1, "no mail sent before the exit");

    // Started again on the same database: the rest of the mail goes out, none of it twice.
    let (mut again, _, _log) = start(data_dir.path(), &url, &sink.url);
    let mut counts = mails_to(&sink, PARENTS);
    for _ in 0..100 {
        if registered.iter().all(|i| counts[*i] >= 1) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        counts = mails_to(&sink, PARENTS);
    }
    // A little longer, for a second copy to show if one were coming.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    counts = mails_to(&sink, PARENTS);
    again.terminate();
    let _ = again.exit().await;
    eprintln!(
        "mail sent before the restart: {sent_before_restart} of {}",
        registered.len()
    );
    for i in 0..PARENTS {
        let expected = usize::from(answered[i] == 303);
        assert_eq!(counts[i], expected, "parent {i}: {counts:?} for {answered:?}");
    }
}

/// The children confirmed for the event of `slug`, counted from its registrations, its
/// counter, and its capacity.
async fn places(database_url: &str, slug: &str) -> (i64, i64, i64) {
    use sqlx::Connection;
    // Plain SQL both engines read alike (one parameter, a sum cast to an integer).
    let sql = "SELECT CAST((SELECT COALESCE(SUM(r.children_count), 0) FROM registrations r \
         WHERE r.event_id = e.id AND r.status = 'confirmed') AS BIGINT), e.confirmed_children, e.capacity \
         FROM events e WHERE e.slug = $1";
    if database_url.starts_with("sqlite:") {
        let mut db = sqlx::SqliteConnection::connect(database_url).await.expect("database");
        sqlx::query_as(sql)
            .bind(slug)
            .fetch_one(&mut db)
            .await
            .expect("the event")
    } else {
        let mut db = sqlx::PgConnection::connect(database_url).await.expect("database");
        sqlx::query_as(sql)
            .bind(slug)
            .fetch_one(&mut db)
            .await
            .expect("the event")
    }
}

#[tokio::test]
async fn a_kill_9_during_a_storm_of_1000_parents_loses_no_confirmed_registration() {
    const PARENTS: usize = 1000;
    const AT_ONCE: usize = 32;
    let began = std::time::Instant::now();
    let data_dir = tempfile::tempdir().expect("temporary directory");
    let url = database(data_dir.path()).await;
    let sink = SmtpSink::start().await;
    let (mut server, address, _log) = start(data_dir.path(), &url, &sink.url);
    let client = client();

    // Each parent's answer: the status and the private link a confirmation gives.
    let answers = std::sync::Arc::new(std::sync::Mutex::new(vec![(0u16, String::new()); PARENTS]));
    let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let workers: Vec<_> = (0..AT_ONCE)
        .map(|_| {
            let (client, address, answers, next) = (client.clone(), address.clone(), answers.clone(), next.clone());
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    if i >= PARENTS {
                        break;
                    }
                    let answer = register_with_link(&client, &address, i).await;
                    answers.lock().expect("lock")[i] = answer;
                }
            })
        })
        .collect();
    // Killed mid-storm, with no chance to finish anything.
    while next.load(std::sync::atomic::Ordering::SeqCst) < PARENTS * 2 / 5 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.kill_9();
    for worker in workers {
        worker.await.expect("task");
    }
    let answers = answers.lock().expect("lock").clone();
    let confirmed: Vec<usize> = (0..PARENTS).filter(|i| answers[*i].0 == 303).collect();
    assert!(confirmed.len() >= 100, "{} answered before the kill", confirmed.len());
    assert!(confirmed.len() < PARENTS, "the kill came after the storm");

    let (mut again, address, log) = start(data_dir.path(), &url, &sink.url);
    // Every parent told "registered" finds the registration at its link.
    for i in &confirmed {
        let link = &answers[*i].1;
        let page = client.get(format!("{address}{link}")).send().await.expect("answered");
        assert_eq!(page.status().as_u16(), 200, "parent {i}: {link}");
    }
    // Capacity held, and the event's counter agrees with its registrations.
    let (counted, counter, capacity) = places(&url, "summer-art-party").await;
    assert_eq!(counted, counter);
    assert!(counter <= capacity, "{counter} of {capacity}");

    // Each of them gets their mail; at most the one being sent at the kill goes twice (it was
    // sent, not yet marked: mail is delivered at least once).
    let mut counts = mails_to(&sink, PARENTS);
    for _ in 0..300 {
        if confirmed.iter().all(|i| counts[*i] >= 1) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        counts = mails_to(&sink, PARENTS);
    }
    again.terminate();
    let _ = again.exit().await;
    // A mail sent but not marked would be sent again: it is not that.
    let unmarked: Vec<String> = log
        .iter()
        .filter(|line| line.contains("outbox could not be updated"))
        .collect();
    assert!(unmarked.is_empty(), "{unmarked:#?}");
    let missing: Vec<usize> = confirmed.iter().copied().filter(|i| counts[*i] == 0).collect();
    assert!(missing.is_empty(), "no mail for {missing:?}");
    let twice: Vec<usize> = (0..PARENTS).filter(|i| counts[*i] > 1).collect();
    assert!(twice.len() <= 1, "sent twice: {twice:?}");
    eprintln!(
        "{} of {PARENTS} confirmed before the kill; sent twice: {twice:?}; {:?} in all",
        confirmed.len(),
        began.elapsed()
    );
}

async fn register_with_link(client: &reqwest::Client, address: &str, i: usize) -> (u16, String) {
    let email = format!("process-{i}@example.bg");
    let fields = common::registration_fields("summer-art-party", &format!("storm-{i}"), &email, &[("Ива", "6")]);
    let Ok(response) = client
        .post(format!("{address}/bg/events/summer-art-party"))
        .header("accept", "text/html")
        .header("origin", address)
        .header("sec-fetch-site", "same-origin")
        .form(&fields)
        .send()
        .await
    else {
        return (0, String::new());
    };
    let link = response
        .headers()
        .get("location")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (response.status().as_u16(), link)
}
