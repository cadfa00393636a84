//! Server entry: `ngo-portal` serves until SIGINT/SIGTERM (configuration from the environment);
//! `ngo-portal admin …` manages accounts, `ngo-portal import …` imports (see `server::cli`).
#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    use clap::Parser;
    use ngo_portal::server::cli::{Cli, run};
    use ngo_portal::server::{Config, Server};

    let cli = Cli::parse();
    ngo_portal::server::init_tracing();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            tracing::error!(%error, "invalid configuration");
            return std::process::ExitCode::FAILURE;
        }
    };
    if let Some(command) = cli.command {
        return match run(command, &config).await {
            Ok(done) => {
                println!("{done}");
                std::process::ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("error: {error}");
                std::process::ExitCode::FAILURE
            }
        };
    }
    match Server::start(config).await {
        Ok(server) => {
            tracing::info!(address = %server.address(), "NGO portal is listening");
            server.run_until_shutdown().await;
            std::process::ExitCode::SUCCESS
        }
        Err(error) => {
            tracing::error!(%error, "could not start");
            std::process::ExitCode::FAILURE
        }
    }
}

#[cfg(not(feature = "ssr"))]
fn main() {
    // The browser bundle starts from `ngo_portal::hydrate`; this binary needs the `ssr` feature.
}
