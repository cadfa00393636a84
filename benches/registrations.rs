//! Registration under load, against the real server, on each engine side by side:
//!  1. throughput: registrations per second at 32 concurrent clients, and each registration's
//!     latency (p50, p99) under that load;
//!  2. 1,000 parents registering one child each at once for 30 places: exactly 30 confirmed.
//!
//! Both run against a server in this process (port 0) on a fresh SQLite file, and — when
//! `BENCH_POSTGRES_URL` names a PostgreSQL cluster (`postgres://…/postgres`, as `scripts/bench`
//! starts one) — on a fresh database in that cluster. With `BENCH_SERVER_BIN` (the release
//! binary) too, both run again on PostgreSQL against release binaries: one process, then two
//! processes on one database (one `SECRET_KEY`) with the clients split between them.
//!
//! Results are written to `bench-results/registrations.md`. Run: `scripts/bench`.
use ngo_portal::server::{Config, Server};
use sqlx::Connection;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const EVENT: &str = "summer-art-party";
/// Registrations of the throughput run, and the clients sending them at once.
const TOTAL: usize = 3_000;
const CONCURRENCY: usize = 32;
/// Parents at once for the event's 30 places.
const RUSH: usize = 1_000;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "SQLite",
            Engine::Postgres => "PostgreSQL",
        }
    }
}

/// A `DATABASE_URL` for a new, empty database: a SQLite file in `dir`, or a database created
/// in the cluster of `cluster`.
async fn fresh_database(engine: Engine, cluster: Option<&str>, dir: &std::path::Path) -> String {
    match engine {
        Engine::Sqlite => format!("sqlite://{}/bench.db", dir.display()),
        Engine::Postgres => {
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            let cluster = cluster.expect("BENCH_POSTGRES_URL");
            let name = format!("bench_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
            let mut admin = sqlx::PgConnection::connect(cluster).await.expect("the bench cluster");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut admin)
                .await
                .expect("create the bench database");
            let (base, _) = cluster.rsplit_once('/').expect("the cluster URL names a database");
            format!("{base}/{name}")
        }
    }
}

/// A server in this process on a fresh database of `engine`; its address.
async fn start(engine: Engine, cluster: Option<&str>, dir: &std::path::Path) -> String {
    let config = Config {
        address: "127.0.0.1:0".parse().expect("address"),
        database_url: fresh_database(engine, cluster, dir).await,
        public_url: "https://portal.test".into(),
        public_dir: "public".into(),
        pkg_dir: dir.join("none"),
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
        secret_file: dir.join("secret.key"),
        media_dir: dir.join("media"),
        wp_uploads_dir: None,
    };
    let server = Server::start(config).await.expect("server starts");
    let address = format!("http://{}", server.address());
    tokio::spawn(server.run(std::future::pending()));
    address
}

/// A release binary serving a database; killed when dropped.
struct Instance {
    child: std::process::Child,
    address: String,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The release binary `bin` on `database_url` (seeding it if empty), once its `/readyz`
/// answers 200. Instances of one deployment share the secret key.
async fn spawn_instance(client: &reqwest::Client, bin: &str, database_url: &str, dir: &std::path::Path) -> Instance {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    let log = std::fs::File::create(dir.join(format!("server-{port}.log"))).expect("log file");
    let child = std::process::Command::new(bin)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("DATABASE_URL", database_url)
        .env("PUBLIC_URL", "https://portal.test")
        .env("SECRET_KEY", "5ec7e7".repeat(11))
        .env("SECRET_KEY_FILE", dir.join("secret.key"))
        .env("MEDIA_DIR", dir.join("media"))
        .env("REGISTRATIONS_PER_MINUTE", u32::MAX.to_string())
        .env("RUST_LOG", "warn")
        .env_remove("SMTP_URL")
        .stdout(log.try_clone().expect("log file"))
        .stderr(log)
        .spawn()
        .expect("the release binary starts");
    let instance = Instance {
        child,
        address: format!("http://127.0.0.1:{port}"),
    };
    let started = Instant::now();
    loop {
        let ready = client.get(format!("{}/readyz", instance.address)).send().await;
        if ready.is_ok_and(|r| r.status().is_success()) {
            return instance;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "{bin} on {database_url} is not ready after 120 s (log in {})",
            dir.display()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
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

/// The throughput run: its rate and each registration's latency.
struct Load {
    answered: usize,
    seconds: f64,
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    confirmed: u64,
    waitlisted: u64,
}

/// The value at fraction `q` of `sorted` (nearest rank).
fn quantile(sorted: &[Duration], q: f64) -> f64 {
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1].as_secs_f64() * 1000.0
}

/// `TOTAL` registrations of 1–3 children by `CONCURRENCY` clients at once, client `i` sending
/// to `addresses[i % len]`.
async fn throughput(client: &reqwest::Client, addresses: &[String]) -> Load {
    let answered = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..CONCURRENCY)
        .map(|worker| {
            let (client, answered) = (client.clone(), answered.clone());
            let address = addresses[worker % addresses.len()].clone();
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(TOTAL / CONCURRENCY + 1);
                for n in (worker..TOTAL).step_by(CONCURRENCY) {
                    let sent = Instant::now();
                    if register(&client, &address, n, n % 3 + 1).await {
                        answered.fetch_add(1, Ordering::SeqCst);
                    }
                    latencies.push(sent.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(TOTAL);
    for worker in workers {
        latencies.extend(worker.await.expect("worker"));
    }
    let seconds = started.elapsed().as_secs_f64();
    latencies.sort();
    let answered = answered.load(Ordering::SeqCst);
    let after = seats(client, &addresses[0]).await;
    Load {
        answered,
        seconds,
        per_second: answered as f64 / seconds,
        p50_ms: quantile(&latencies, 0.50),
        p99_ms: quantile(&latencies, 0.99),
        confirmed: after["confirmed"].as_u64().unwrap_or(u64::MAX),
        waitlisted: after["waitlisted"].as_u64().unwrap_or(0),
    }
}

/// The rush: `RUSH` parents with one child each at once, parent `n` sending to
/// `addresses[n % len]`; the seats as every address reports them afterwards.
struct Rush {
    definite: usize,
    seconds: f64,
    /// (confirmed, waitlisted) as each address sees them.
    seen: Vec<(u64, u64)>,
}

impl Rush {
    fn confirmed(&self) -> u64 {
        self.seen.iter().map(|s| s.0).max().unwrap_or(u64::MAX)
    }
    fn waitlisted(&self) -> u64 {
        self.seen.first().map_or(0, |s| s.1)
    }
    /// Every instance says exactly 30 confirmed.
    fn holds(&self) -> bool {
        self.seen.iter().all(|s| s.0 == 30)
    }
}

async fn rush(client: &reqwest::Client, addresses: &[String]) -> Rush {
    let started = Instant::now();
    let requests: Vec<_> = (0..RUSH)
        .map(|n| {
            let client = client.clone();
            let address = addresses[n % addresses.len()].clone();
            tokio::spawn(async move { register(&client, &address, n, 1).await })
        })
        .collect();
    let mut definite = 0;
    for request in requests {
        if request.await.expect("request task") {
            definite += 1;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let mut seen = Vec::new();
    for address in addresses {
        let after = seats(client, address).await;
        seen.push((
            after["confirmed"].as_u64().unwrap_or(u64::MAX),
            after["waitlisted"].as_u64().unwrap_or(0),
        ));
    }
    Rush {
        definite,
        seconds,
        seen,
    }
}

/// One engine's (or set-up's) figures: a column of the tables.
struct Column {
    name: String,
    load: Load,
    rush: Rush,
}

/// A markdown table with a row per figure and a column per set-up.
fn table(columns: &[Column]) -> String {
    let mut out = String::from("| |");
    for column in columns {
        out += &format!(" {} |", column.name);
    }
    out += "\n| --- |";
    out += &" --- |".repeat(columns.len());
    out += "\n";
    let mut row = |label: &str, cell: &dyn Fn(&Column) -> String| {
        out += &format!("| {label} |");
        for column in columns {
            out += &format!(" {} |", cell(column));
        }
        out += "\n";
    };
    row(&format!("**registrations/s** ({CONCURRENCY} clients)"), &|c| {
        format!("**{:.0}**", c.load.per_second)
    });
    row("answered / seconds", &|c| {
        format!("{} / {TOTAL} in {:.2} s", c.load.answered, c.load.seconds)
    });
    row("latency p50 ms", &|c| format!("{:.1}", c.load.p50_ms));
    row("latency p99 ms", &|c| format!("{:.1}", c.load.p99_ms));
    row("seats after the load: confirmed / waitlisted", &|c| {
        format!("{} / {}", c.load.confirmed, c.load.waitlisted)
    });
    row(&format!("{RUSH} at once for 30: answered definitely"), &|c| {
        format!("{} / {RUSH}", c.rush.definite)
    });
    row("… confirmed / waitlisted children", &|c| {
        let each: Vec<_> = c.rush.seen.iter().map(|s| s.0.to_string()).collect();
        let confirmed = if c.rush.seen.len() > 1 {
            format!("{} (each instance: {})", c.rush.confirmed(), each.join(", "))
        } else {
            c.rush.confirmed().to_string()
        };
        format!("{confirmed} / {}", c.rush.waitlisted())
    });
    row("… seconds", &|c| format!("{:.2}", c.rush.seconds));
    row("… overbooked", &|c| {
        if c.rush.holds() { "no" } else { "**YES**" }.to_owned()
    });
    out
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let cluster = std::env::var("BENCH_POSTGRES_URL").ok().filter(|url| !url.is_empty());
        let server_bin = std::env::var("BENCH_SERVER_BIN").ok().filter(|bin| !bin.is_empty());
        let dirs = tempfile::tempdir().expect("temporary directory");
        let made = AtomicUsize::new(0);
        let new_dir = || {
            let dir = dirs.path().join(made.fetch_add(1, Ordering::Relaxed).to_string());
            std::fs::create_dir(&dir).expect("a scenario's folder");
            dir
        };

        // 1 and 2 on a server in this process, per engine, each scenario on a fresh database.
        let mut engines = vec![Engine::Sqlite];
        if cluster.is_some() {
            engines.push(Engine::Postgres);
        }
        let mut columns = Vec::new();
        for engine in engines {
            eprintln!("registrations: {} (server in this process)", engine.name());
            let address = start(engine, cluster.as_deref(), &new_dir()).await;
            let load = throughput(&client, &[address]).await;
            let address = start(engine, cluster.as_deref(), &new_dir()).await;
            let rush = rush(&client, &[address]).await;
            columns.push(Column {
                name: engine.name().to_owned(),
                load,
                rush,
            });
        }

        // The same on PostgreSQL against release binaries: one process, then two on one database.
        let mut instances = Vec::new();
        if let (Some(cluster), Some(bin)) = (cluster.as_deref(), server_bin.as_deref()) {
            for count in [1, 2] {
                eprintln!("registrations: PostgreSQL, {count} release process(es)");
                let run = |dir: std::path::PathBuf| {
                    let client = client.clone();
                    async move {
                        let url = fresh_database(Engine::Postgres, Some(cluster), &dir).await;
                        let mut processes = Vec::new();
                        for _ in 0..count {
                            processes.push(spawn_instance(&client, bin, &url, &dir).await);
                        }
                        let addresses: Vec<_> = processes.iter().map(|p| p.address.clone()).collect();
                        (processes, addresses)
                    }
                };
                let (processes, addresses) = run(new_dir()).await;
                let load = throughput(&client, &addresses).await;
                drop(processes);
                let (processes, addresses) = run(new_dir()).await;
                let rush = rush(&client, &addresses).await;
                drop(processes);
                instances.push(Column {
                    name: if count == 1 {
                        "one process".to_owned()
                    } else {
                        "two processes".to_owned()
                    },
                    load,
                    rush,
                });
            }
        }

        let mut report = format!(
            "# Registration under load ({date})\n\n\
             Machine: {cores} cores. Throughput: {TOTAL} registrations of 1–3 children sent by \
             {CONCURRENCY} concurrent clients (each waits for its answer before the next), latency \
             of each as its client saw it; then {RUSH} parents with one child each at once for the \
             event's 30 places. Every scenario on a fresh database (demo content seeded). SQLite in \
             WAL mode, every registration one `BEGIN IMMEDIATE` transaction with its outbox mail; \
             PostgreSQL (a throwaway local cluster, fsync off) locks the event row \
             (`FOR UPDATE`) in the registration's transaction.\n\n\
             ## Per engine (server in the bench's process, release build)\n\n{per_engine}",
            date = chrono::Utc::now().format("%Y-%m-%dT%H:%MZ"),
            cores = std::thread::available_parallelism().map_or(0, usize::from),
            per_engine = table(&columns),
        );
        if cluster.is_none() {
            report += "\nPostgreSQL not measured: `BENCH_POSTGRES_URL` was not set (`scripts/bench` sets it).\n";
        }
        if let [one, two] = &instances[..] {
            report += &format!(
                "\n## Two instances on PostgreSQL vs one (release binaries)\n\n\
                 The same scenarios against separate server processes on one PostgreSQL database \
                 (one `SECRET_KEY`): one process, then two with the clients split evenly between \
                 them (the same {CONCURRENCY} clients; the {RUSH} parents alternate). The clients, \
                 the servers and PostgreSQL share the machine's {cores} cores.\n\n{}\n\
                 **two processes / one: {:.2}× the registrations/s**; capacity across both: \
                 {}.\n",
                table(&instances),
                two.load.per_second / one.load.per_second,
                if two.rush.holds() {
                    "exactly 30 confirmed"
                } else {
                    "**OVERBOOKED**"
                },
                cores = std::thread::available_parallelism().map_or(0, usize::from),
            );
        }
        std::fs::create_dir_all("bench-results").expect("results folder");
        std::fs::write("bench-results/registrations.md", &report).expect("results written");
        println!("{report}");
        for column in columns.iter().chain(&instances) {
            assert!(
                column.rush.holds(),
                "{}: exactly 30 of 30 places confirmed, got {:?}",
                column.name,
                column.rush.seen
            );
            assert_eq!(
                column.rush.definite, RUSH,
                "{}: every request got a definite answer",
                column.name
            );
        }
    });
}
