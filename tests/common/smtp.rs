//! A local SMTP sink: accepts every mail and keeps it for the test to read.
use base64::Engine;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[derive(Clone, Default)]
pub struct SmtpSink {
    pub messages: Arc<Mutex<Vec<String>>>,
    pub url: String,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        SmtpSink::start_on("127.0.0.1:0").await
    }

    /// A sink on `address` (one that refused mail until now, say).
    pub async fn start_on(address: &str) -> SmtpSink {
        let listener = TcpListener::bind(address).await.expect("bind");
        let url = format!("smtp://{}", listener.local_addr().expect("address"));
        let sink = SmtpSink {
            messages: Arc::default(),
            url,
        };
        let messages = sink.messages.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let messages = messages.clone();
                // As mail servers do: replies are not held back for the client's delayed ACK
                // (40 ms a command otherwise).
                let _ = stream.set_nodelay(true);
                tokio::spawn(async move {
                    let (read, mut write) = stream.into_split();
                    let mut lines = BufReader::new(read).lines();
                    let _ = write.write_all(b"220 sink ESMTP\r\n").await;
                    let mut data: Option<String> = None;
                    while let Ok(Some(line)) = lines.next_line().await {
                        if let Some(body) = data.as_mut() {
                            if line == "." {
                                messages.lock().expect("lock").push(std::mem::take(body));
                                data = None;
                                let _ = write.write_all(b"250 queued\r\n").await;
                            } else {
                                body.push_str(line.strip_prefix('.').unwrap_or(&line));
                                body.push('\n');
                            }
                            continue;
                        }
                        let command = line.to_ascii_uppercase();
                        let reply: &[u8] = if command.starts_with("EHLO") || command.starts_with("HELO") {
                            b"250-sink\r\n250 8BITMIME\r\n"
                        } else if command.starts_with("DATA") {
                            data = Some(String::new());
                            b"354 go ahead\r\n"
                        } else if command.starts_with("QUIT") {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            break;
                        } else {
                            b"250 OK\r\n"
                        };
                        let _ = write.write_all(reply).await;
                    }
                });
            }
        });
        sink
    }

    /// Waits (up to 10 s) for a mail whose decoded text contains `needle`; returns that text.
    pub async fn wait_for(&self, needle: &str) -> String {
        for _ in 0..100 {
            let found = self
                .messages
                .lock()
                .expect("lock")
                .iter()
                .map(|m| decode(m))
                .find(|m| m.contains(needle));
            if let Some(found) = found {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no mail containing {needle:?} arrived");
    }
}

/// Headers as they are, plus the base64 body decoded.
fn decode(message: &str) -> String {
    let Some((headers, body)) = message.split_once("\n\n") else {
        return message.to_owned();
    };
    if !headers
        .to_ascii_lowercase()
        .contains("content-transfer-encoding: base64")
    {
        return message.to_owned();
    }
    let compact: String = body.split_whitespace().collect();
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(compact)
        .unwrap_or_default();
    format!("{headers}\n\n{}", String::from_utf8_lossy(&decoded))
}
