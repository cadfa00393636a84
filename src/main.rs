//! Server entry: configuration from the environment, then serve until SIGINT/SIGTERM.
#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    use ngo_portal::server::{Config, Server};

    ngo_portal::server::init_tracing();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            tracing::error!(%error, "invalid configuration");
            return std::process::ExitCode::FAILURE;
        }
    };
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
