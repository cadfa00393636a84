//! Registration under load, against the real server (in this process, port 0, fresh SQLite):
//!  1. throughput: registrations per second at 32 concurrent clients;
//!  2. 1,000 parents registering one child each at once for 30 places: exactly 30 confirmed.
//!
//! Results are written to `bench-results/registrations.md`. Run: `scripts/bench`.
use ngo_portal::server::{Config, Server};
use std::time::Instant;

const EVENT: &str = "summer-art-party";

async fn start() -> (String, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let config = Config {
        address: "127.0.0.1:0".parse().expect("address"),
        database_url: format!("sqlite://{}/bench.db", dir.path().display()),
        public_url: "https://portal.test".into(),
        public_dir: "public".into(),
        pkg_dir: dir.path().join("none"),
        seed_demo_content: true,
        seed_extra: None,
        demo_ngos: ngo_portal::server::seed::DEMO_NGO_COUNT,
        demo_accounts: false,
        smtp_url: None,
        mail_from: "bench <bench@portal.test>".into(),
        registrations_per_minute: u32::MAX,
        sign_ins_per_minute: 10,
        trusted_proxies: Vec::new(),
        secret_key: None,
        metrics_token: None,
        cdn_max_age: None,
        secret_file: dir.path().join("secret.key"),
        media_dir: dir.path().join("media"),
        wp_uploads_dir: None,
    };
    let server = Server::start(config).await.expect("server starts");
    let address = format!("http://{}", server.address());
    tokio::spawn(server.run(std::future::pending()));
    (address, dir)
}

/// One registration as the form posts it; returns whether it got a definite answer
/// (a redirect to the registration's page).
async fn register(client: &reqwest::Client, address: &str, n: usize, children: usize) -> bool {
    let mut fields = vec![
        ("lang".to_owned(), "Bg".to_owned()),
        ("event".to_owned(), EVENT.to_owned()),
        ("idempotency_key".to_owned(), format!("bench-{n}")),
        ("parent_name".to_owned(), "Родител".to_owned()),
        ("email".to_owned(), format!("parent{n}@example.bg")),
        ("phone".to_owned(), "0888 123 456".to_owned()),
        ("consent".to_owned(), "yes".to_owned()),
        ("website".to_owned(), String::new()),
    ];
    for c in 0..children {
        fields.push((format!("children[{c}][first_name]"), format!("Дете {c}")));
        fields.push((format!("children[{c}][age]"), "7".to_owned()));
    }
    let response = client
        .post(format!("{address}/api/events/register"))
        .header("accept", "text/html")
        .header("referer", format!("{address}/bg/events/{EVENT}"))
        .form(&fields)
        .send()
        .await;
    response.is_ok_and(|r| {
        r.status().is_redirection()
            && r.headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
                .is_some_and(|l| l.contains("/registrations/"))
    })
}

async fn seats(client: &reqwest::Client, address: &str) -> serde_json::Value {
    client
        .get(format!("{address}/api/events/{EVENT}/availability"))
        .send()
        .await
        .expect("availability")
        .json()
        .await
        .expect("json")
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");

        // 1. Throughput at 32 concurrent clients.
        let (address, _dir) = start().await;
        let total = 2_000usize;
        let concurrency = 32usize;
        let started = Instant::now();
        let answered = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let workers: Vec<_> = (0..concurrency)
            .map(|worker| {
                let (client, address, answered) = (client.clone(), address.clone(), answered.clone());
                tokio::spawn(async move {
                    for n in (worker..total).step_by(concurrency) {
                        if register(&client, &address, n, n % 3 + 1).await {
                            answered.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        }
                    }
                })
            })
            .collect();
        for worker in workers {
            worker.await.expect("worker");
        }
        let elapsed = started.elapsed().as_secs_f64();
        let answered = answered.load(std::sync::atomic::Ordering::SeqCst);
        let per_second = answered as f64 / elapsed;
        let throughput_seats = seats(&client, &address).await;

        // 2. 1,000 at once for 30 places.
        let (address, _dir2) = start().await;
        let started = Instant::now();
        let rush: Vec<_> = (0..1_000)
            .map(|n| {
                let (client, address) = (client.clone(), address.clone());
                tokio::spawn(async move { register(&client, &address, n, 1).await })
            })
            .collect();
        let mut definite = 0;
        for request in rush {
            if request.await.expect("request task") {
                definite += 1;
            }
        }
        let rush_seconds = started.elapsed().as_secs_f64();
        let rush_seats = seats(&client, &address).await;
        let confirmed = rush_seats["confirmed"].as_u64().unwrap_or(u64::MAX);
        let waitlisted = rush_seats["waitlisted"].as_u64().unwrap_or(0);

        let report = format!(
            "# Registration under load ({date})\n\n\
             Machine: {cores} cores; server in the same process (release build), SQLite in WAL mode, \
             every registration one `BEGIN IMMEDIATE` transaction with its outbox mail.\n\n\
             ## Throughput\n\n\
             {answered} of {total} registrations (1–3 children) answered in {elapsed:.2} s by {concurrency} concurrent \
             clients: **{per_second:.0} registrations/s**. Afterwards: {throughput_seats}.\n\n\
             ## 1,000 parents at once for 30 places\n\n\
             | answered definitely | confirmed children | waitlisted children | seconds |\n| --- | --- | --- | --- |\n\
             | {definite} / 1000 | {confirmed} | {waitlisted} | {rush_seconds:.2} |\n\n\
             Overbooked: **{overbooked}**.\n",
            date = chrono::Utc::now().format("%Y-%m-%dT%H:%MZ"),
            cores = std::thread::available_parallelism().map_or(0, usize::from),
            overbooked = if confirmed > 30 { "YES" } else { "no" },
        );
        std::fs::create_dir_all("bench-results").expect("results folder");
        std::fs::write("bench-results/registrations.md", &report).expect("results written");
        println!("{report}");
        assert!(confirmed == 30, "exactly 30 of 30 places confirmed, got {confirmed}");
        assert_eq!(definite, 1000, "every request got a definite answer");
    });
}
