//! Live updates across instances: two `townhall serve` processes on one PostgreSQL
//! database, a live client on one, posts written through the other.

mod common;

use app::model::ChannelKind;
use app::testing::{cookie_header, CompanyBuilder, TestDb};
use common::{fake_site, free_addr, post, spawn_serve, wait_until_healthy};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// An open `GET /live` response, read as it arrives.
struct LiveClient {
    stream: TcpStream,
    received: String,
}

impl LiveClient {
    fn open(addr: SocketAddr, token: &str, last_event_id: Option<i64>) -> LiveClient {
        let mut stream = TcpStream::connect(addr).unwrap();
        let resume = last_event_id.map_or(String::new(), |id| format!("Last-Event-ID: {id}\r\n"));
        write!(
            stream,
            "GET /live HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\
             Cookie: townhall_session={token}\r\n{resume}\r\n"
        )
        .unwrap();
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        LiveClient {
            stream,
            received: String::new(),
        }
    }

    /// Reads until `wanted` has arrived (or fails after ten seconds).
    fn wait_for(&mut self, wanted: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut buf = [0u8; 4096];
        while !self.received.contains(wanted) {
            assert!(
                Instant::now() < deadline,
                "{wanted:?} never arrived; got {:?}",
                self.received
            );
            match self.stream.read(&mut buf) {
                Ok(0) => panic!("the stream closed; got {:?}", self.received),
                Ok(n) => self.received.push_str(&String::from_utf8_lossy(&buf[..n])),
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => panic!("reading the stream: {e}"),
            }
        }
    }
}

/// Posts through the server function as a script would; returns the new post's id.
fn write_post(addr: SocketAddr, token: &str, channel: &str, body: &str) -> i64 {
    let form = format!("channel={channel}&kind=update&body={body}");
    let (status, _, answer) = post(addr, "/api/posts/create", &form, &cookie_header(token));
    assert_eq!(status, 200, "{answer}");
    let id = answer
        .split("\"id\":")
        .nth(1)
        .and_then(|rest| rest.split([',', '}']).next())
        .and_then(|id| id.trim().parse().ok());
    id.unwrap_or_else(|| panic!("no id in {answer}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_posted_through_one_instance_reaches_a_client_of_the_other() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let now = app::store::now_ms();
    let (company, owner) = CompanyBuilder::set_up(&db.store, now).await;
    let binh = company.person("binh@saomai.vn", "Trần Bình").await;
    company
        .channel("board", ChannelKind::Private)
        .admin(&owner)
        .await;
    let owner_token = company.session(&owner).await;
    let binh_token = company.session(&binh).await;

    let site = fake_site("live");
    let (first, second) = (free_addr(), free_addr());
    let mut one = spawn_serve(first, &db.url, &site);
    let mut two = spawn_serve(second, &db.url, &site);
    wait_until_healthy(first, &mut one);
    wait_until_healthy(second, &mut two);

    // Bình listens on the second instance; the owner writes through the first.
    let mut client = LiveClient::open(second, &binh_token, None);
    client.wait_for("text/event-stream");
    let secret = write_post(first, &owner_token, "board", "Board+only");
    let open = write_post(first, &owner_token, "general", "Hello+%40binh");
    client.wait_for(&format!("\"kind\":\"post\",\"post\":{open}"));
    client.wait_for(&format!("\"kind\":\"notification\",\"post\":{open}"));
    assert!(
        !client.received.contains(&format!("\"post\":{secret}")),
        "nothing about a private channel Bình is not in: {}",
        client.received
    );

    // A client that lost the network resumes after the last event it got, on either
    // instance, and misses nothing that happened meanwhile.
    let last_seen: i64 = client
        .received
        .lines()
        .filter_map(|l| l.strip_prefix("id: "))
        .filter_map(|id| id.trim().parse().ok())
        .max()
        .expect("events carry ids");
    drop(client);
    let later = write_post(second, &owner_token, "general", "While+you+were+away");
    let mut resumed = LiveClient::open(first, &binh_token, Some(last_seen));
    resumed.wait_for(&format!("\"kind\":\"post\",\"post\":{later}"));
    assert!(
        !resumed.received.contains(&format!("\"post\":{open}")),
        "events up to the one named are not sent again: {}",
        resumed.received
    );

    // Without a session there is no stream.
    let (status, _, _) = common::get(first, "/live");
    assert_eq!(status, 401);

    for mut server in [one, two] {
        let _ = server.kill();
        let _ = server.wait();
    }
    db.finish().await;
}
