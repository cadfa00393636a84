//! The NGO directory and site search at scale, against the real server (in this process,
//! port 0, fresh SQLite) with 100,000 generated NGOs:
//!  1. time to generate the 14,427 demo records (and 100,000);
//!  2. directory search through its JSON endpoint: p50/p95 over visitors' queries, cold (a
//!     search is never cached), as browsers ask (Accept-Encoding);
//!  3. the filtered listing with every filter's counts: p50/p95 over region × field;
//!  4. the site search (posts, events and NGOs) over the same queries;
//!  5. the header's NGO count per page view: the store's COUNT against the in-memory count,
//!     side by side.
//!
//! Results are written to `bench-results/directory.md`. Run: `scripts/bench`.
use ngo_portal::server::{Config, Server};
use std::time::{Duration, Instant};

const NGOS: usize = 100_000;
/// Words visitors type: Cyrillic, Latin transliteration, a town, a one-letter start, a typo.
const QUERIES: &[&str] = &[
    "читалище",
    "sdruzhenie varna",
    "деца",
    "зелени родопи",
    "plovdiv",
    "фондация за",
    "младежки",
    "ч",
    "център за подкрепа",
    "ruse",
    "просвета 1926",
    "работилнца",
];
const ROUNDS: usize = 10;

async fn start(dir: &std::path::Path) -> (String, String) {
    let database_url = format!("sqlite://{}/bench.db", dir.display());
    let config = Config {
        address: "127.0.0.1:0".parse().expect("address"),
        database_url: database_url.clone(),
        public_url: "https://portal.test".into(),
        public_dir: "public".into(),
        pkg_dir: dir.join("none"),
        seed_demo_content: true,
        seed_extra: None,
        demo_ngos: NGOS,
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
    (address, database_url)
}

/// The `p`th percentile of `times`, in milliseconds.
fn percentile(times: &mut [Duration], p: f64) -> f64 {
    times.sort();
    let index = ((times.len() as f64 - 1.0) * p).round() as usize;
    times[index].as_secs_f64() * 1000.0
}

async fn timed_gets(client: &reqwest::Client, urls: &[String]) -> Vec<Duration> {
    let mut times = Vec::with_capacity(urls.len());
    for url in urls {
        let started = Instant::now();
        let response = client
            .get(url)
            .header("accept-encoding", "br, gzip")
            .send()
            .await
            .expect("request");
        assert!(response.status().is_success(), "{url}: {}", response.status());
        response.bytes().await.expect("body");
        times.push(started.elapsed());
    }
    times
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => (b as char).to_string(),
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        // 1. Generation.
        let generate = |count: usize| {
            (0..3)
                .map(|_| {
                    let started = Instant::now();
                    let ngos = ngo_portal::server::seed::generate_ngos(count, &[]);
                    assert_eq!(ngos.len(), count);
                    started.elapsed()
                })
                .min()
                .unwrap_or_default()
        };
        let demo_generation = generate(ngo_portal::server::seed::DEMO_NGO_COUNT);
        let large_generation = generate(NGOS);

        let dir = tempfile::tempdir().expect("temporary directory");
        let started = Instant::now();
        let (address, database_url) = start(dir.path()).await;
        let startup = started.elapsed();
        let client = reqwest::Client::new();

        // 2. Directory search, cold: every query once per round.
        let search_urls: Vec<String> = (0..ROUNDS)
            .flat_map(|_| QUERIES.iter())
            .map(|q| format!("{address}/api/ngos/list?lang=bg&q={}", encode(q)))
            .collect();
        let mut search = timed_gets(&client, &search_urls).await;

        // 3. Filtered listing with counts: every region × three fields, each once.
        let regions: Vec<&str> = ngo_portal::domain::REGIONS.iter().map(|r| r.code).collect();
        let listing_urls: Vec<String> = regions
            .iter()
            .flat_map(|region| {
                ["children-youth", "culture", "environment"]
                    .map(|field| format!("{address}/api/ngos/list?lang=bg&region={region}&field={field}"))
            })
            .collect();
        let mut listing = timed_gets(&client, &listing_urls).await;

        // 4. The site search.
        let site_urls: Vec<String> = (0..ROUNDS)
            .flat_map(|_| QUERIES.iter())
            .map(|q| format!("{address}/api/search?lang=bg&q={}", encode(q)))
            .collect();
        let mut site = timed_gets(&client, &site_urls).await;

        // 5. The header's count: a COUNT over the table per view, against the kept count.
        let store = ngo_portal::server::store::connect(&database_url).await.expect("store");
        const VIEWS: u32 = 2_000;
        let started = Instant::now();
        for _ in 0..VIEWS {
            store.ngo_count().await.expect("count");
        }
        let counted = started.elapsed() / VIEWS;
        let kept = ngo_portal::server::ngo_count::NgoCount::default();
        let started = Instant::now();
        for _ in 0..VIEWS {
            kept.get(store.as_ref(), 0).await.expect("count");
        }
        let remembered = started.elapsed() / VIEWS;

        // Each query's median (the requests went round the queries in order).
        let per_query: Vec<String> = QUERIES
            .iter()
            .enumerate()
            .map(|(at, q)| {
                let mut own: Vec<Duration> = search.iter().skip(at).step_by(QUERIES.len()).copied().collect();
                let mut site_own: Vec<Duration> = site.iter().skip(at).step_by(QUERIES.len()).copied().collect();
                format!(
                    "| „{q}“ | {:.1} ms | {:.1} ms |",
                    percentile(&mut own, 0.5),
                    percentile(&mut site_own, 0.5)
                )
            })
            .collect();
        let (search_p50, search_p95) = (percentile(&mut search, 0.5), percentile(&mut search, 0.95));
        let (listing_p50, listing_p95) = (percentile(&mut listing, 0.5), percentile(&mut listing, 0.95));
        let (site_p50, site_p95) = (percentile(&mut site, 0.5), percentile(&mut site, 0.95));
        let report = format!(
            "# The directory and site search at scale ({date})\n\n\
             Machine: {cores} cores; server in the same process (release build), SQLite in WAL mode, \
             {NGOS} generated NGOs plus the demo posts and events; requests one at a time over HTTP with \
             `Accept-Encoding: br, gzip`, none answered from a cache (a search is never kept).\n\n\
             ## Generating the demo directory\n\n\
             | records | time (best of 3) |\n| --- | --- |\n\
             | 14,427 (the demo) | {demo:.0} ms |\n| {NGOS} | {large:.0} ms |\n\n\
             Server start with {NGOS} NGOs (migrations, demo content, the directory stored and indexed): {startup:.1} s.\n\n\
             ## Requests\n\n\
             | request | n | p50 | p95 | target |\n| --- | --- | --- | --- | --- |\n\
             | directory search (`/api/ngos/list?q=`) | {search_n} | {search_p50:.1} ms | {search_p95:.1} ms | p95 < 10 ms |\n\
             | filtered listing with counts (`region` × `field`) | {listing_n} | {listing_p50:.1} ms | {listing_p95:.1} ms | |\n\
             | site search (`/api/search?q=`) | {site_n} | {site_p50:.1} ms | {site_p95:.1} ms | |\n\n\
             Queries: {queries}.\n\n\
             | query | directory search, median | site search, median |\n| --- | --- | --- |\n{per_query}\n\n\
             ## The header's NGO count per page view\n\n\
             | how | per view | ratio |\n| --- | --- | --- |\n\
             | `SELECT COUNT(*)` over {NGOS} NGOs | {counted:.1} µs | {ratio:.0}× |\n\
             | kept in memory, read again after a write (`NgoCount`) | {remembered:.2} µs | 1× |\n",
            date = chrono::Utc::now().format("%Y-%m-%dT%H:%MZ"),
            cores = std::thread::available_parallelism().map_or(0, usize::from),
            demo = demo_generation.as_secs_f64() * 1000.0,
            large = large_generation.as_secs_f64() * 1000.0,
            startup = startup.as_secs_f64(),
            search_n = search.len(),
            listing_n = listing.len(),
            site_n = site.len(),
            queries = QUERIES.iter().map(|q| format!("„{q}“")).collect::<Vec<_>>().join(", "),
            per_query = per_query.join("\n"),
            counted = counted.as_secs_f64() * 1e6,
            remembered = remembered.as_secs_f64() * 1e6,
            ratio = counted.as_secs_f64() / remembered.as_secs_f64().max(1e-9),
        );
        std::fs::create_dir_all("bench-results").expect("results folder");
        std::fs::write("bench-results/directory.md", &report).expect("results written");
        println!("{report}");
    });
}
