//! Web Push on both backends, delivered to a push endpoint these tests run on loopback
//! (a real HTTP server reading what arrives) and decrypted with each device's own keys,
//! as its browser would.
//!
//! Each device gets each notification it may read, encrypted for it and signed with
//! this Townhall's VAPID key; an outsider's device gets nothing of a private channel;
//! groups turned off and quiet hours keep messages back; a device its push service
//! calls gone is forgotten; signing out ends the device's subscription; endpoints off
//! the browsers' push services are refused unless the operator allows local ones.

use app::domain::accounts::{self, session};
use app::domain::push::{self, sender};
use app::error::AppError;
use app::model::ChannelKind;
use app::store::Store;
use app::testing::{CompanyBuilder, TestDb, NOW};
use base64ct::{Base64UrlUnpadded, Encoding};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use web_push_native::p256::{elliptic_curve::sec1::ToEncodedPoint, SecretKey};

app::storage_stories!(
    each_device_gets_what_its_person_may_read_encrypted_for_it,
    settings_quiet_hours_and_gone_devices_hold_messages_back,
    only_push_services_are_accepted_and_sign_out_ends_a_device,
);

const SITE: &str = "https://townhall.saomai.vn";
const SECRET: &str = "Kế hoạch sáp nhập bí mật";
const MINUTE: i64 = 60_000;

/// What reached the endpoint: the path (which device), the headers, the body.
#[derive(Clone, Debug)]
struct Received {
    path: String,
    authorization: String,
    encoding: String,
    body: Vec<u8>,
}

/// A push service on loopback: answers 201 to every request, 410 under `/gone/`.
struct PushService {
    port: u16,
    received: Arc<Mutex<Vec<Received>>>,
}

impl PushService {
    async fn start() -> PushService {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let sink = received.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let sink = sink.clone();
                tokio::spawn(async move {
                    let mut stream = BufReader::new(stream);
                    // One connection may carry several requests (keep-alive).
                    loop {
                        let mut line = String::new();
                        if stream.read_line(&mut line).await.unwrap_or(0) == 0 {
                            return;
                        }
                        let path = line.split_whitespace().nth(1).unwrap_or("").to_owned();
                        let (mut length, mut authorization, mut encoding) =
                            (0, String::new(), String::new());
                        loop {
                            let mut header = String::new();
                            stream.read_line(&mut header).await.unwrap();
                            let header = header.trim_end();
                            if header.is_empty() {
                                break;
                            }
                            let (name, value) = header.split_once(':').unwrap();
                            let value = value.trim().to_owned();
                            match name.to_ascii_lowercase().as_str() {
                                "content-length" => length = value.parse().unwrap(),
                                "authorization" => authorization = value,
                                "content-encoding" => encoding = value,
                                _ => {}
                            }
                        }
                        let mut body = vec![0; length];
                        stream.read_exact(&mut body).await.unwrap();
                        let gone = path.starts_with("/gone/");
                        sink.lock().unwrap().push(Received {
                            path,
                            authorization,
                            encoding,
                            body,
                        });
                        let status = if gone { "410 Gone" } else { "201 Created" };
                        let answer = format!("HTTP/1.1 {status}\r\ncontent-length: 0\r\n\r\n");
                        stream.get_mut().write_all(answer.as_bytes()).await.unwrap();
                    }
                });
            }
        });
        PushService { port, received }
    }

    fn take(&self) -> Vec<Received> {
        std::mem::take(&mut *self.received.lock().unwrap())
    }
}

/// A browser's side of a subscription: its key pair and auth secret.
struct Device {
    secret: SecretKey,
    auth: [u8; 16],
    endpoint: String,
}

impl Device {
    fn new(service: &PushService, path: &str) -> Device {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).unwrap();
        let mut auth = [0u8; 16];
        getrandom::fill(&mut auth).unwrap();
        Device {
            secret: SecretKey::from_slice(&bytes).unwrap(),
            auth,
            endpoint: format!("http://127.0.0.1:{}{path}", service.port),
        }
    }

    fn p256dh(&self) -> String {
        Base64UrlUnpadded::encode_string(
            self.secret.public_key().to_encoded_point(false).as_bytes(),
        )
    }

    fn auth(&self) -> String {
        Base64UrlUnpadded::encode_string(&self.auth)
    }

    /// The message in `received`, decrypted as this device's browser would.
    fn open(&self, received: &Received) -> serde_json::Value {
        assert_eq!(received.encoding, "aes128gcm");
        let plain = web_push_native::decrypt(
            received.body.clone(),
            &self.secret,
            web_push_native::Auth::from_slice(&self.auth),
        )
        .expect("a message this device can decrypt");
        serde_json::from_slice(&plain).unwrap()
    }

    async fn subscribe(
        &self,
        store: &Store,
        who: &app::policy::Viewer,
        session_token: &str,
    ) -> Result<(), AppError> {
        push::subscribe(
            store,
            who,
            &session::token_hash(session_token),
            &self.endpoint,
            &self.p256dh(),
            &self.auth(),
            NOW,
        )
        .await
    }
}

struct Company {
    owner: app::policy::Viewer,
    an: app::policy::Viewer,
    binh: app::policy::Viewer,
}

/// An reads a private channel, Bình does not; Bình reads Townhall in Vietnamese.
async fn company(store: &Store) -> Company {
    let (company, owner) = CompanyBuilder::set_up(store, NOW).await;
    let an = company.person("an@saomai.vn", "Nguyễn Văn An").await;
    let binh = company.person("binh@saomai.vn", "Trần Thị Bình").await;
    store.set_locale(binh.user_id, "vi").await.unwrap();
    company
        .channel("ban-giam-doc", ChannelKind::Private)
        .by(&owner)
        .admin(&owner)
        .member(&an)
        .await;
    Company { owner, an, binh }
}

async fn send(store: &Store, at: i64) -> sender::Round {
    sender::send_due(store, &sender::client(), at)
        .await
        .unwrap()
}

async fn each_device_gets_what_its_person_may_read_encrypted_for_it(db: &TestDb) {
    let service = PushService::start().await;
    let store = &db.store.with_local_push();
    let c = company(store).await;
    let key = push::settings(store, &c.an, SITE, NOW)
        .await
        .unwrap()
        .public_key;
    // The same key for everyone, and on every later ask (made once, stored).
    assert_eq!(
        push::settings(store, &c.binh, SITE, NOW)
            .await
            .unwrap()
            .public_key,
        key
    );
    let at = CompanyBuilder::existing(store, NOW);
    let (phone, laptop) = (
        Device::new(&service, "/an/phone"),
        Device::new(&service, "/an/laptop"),
    );
    phone
        .subscribe(store, &c.an, &at.session(&c.an).await)
        .await
        .unwrap();
    laptop
        .subscribe(store, &c.an, &at.session(&c.an).await)
        .await
        .unwrap();
    let binh_phone = Device::new(&service, "/binh/phone");
    binh_phone
        .subscribe(store, &c.binh, &at.session(&c.binh).await)
        .await
        .unwrap();
    assert_eq!(
        push::settings(store, &c.an, SITE, NOW)
            .await
            .unwrap()
            .devices,
        2
    );

    // A private post mentions both (Bình may not read it: he is not notified at all),
    // and a public one mentions Bình.
    let later = CompanyBuilder::existing(store, NOW + MINUTE);
    later
        .post(
            &c.owner,
            "ban-giam-doc",
            "update",
            &format!("{SECRET}: @an @binh xem nhé"),
        )
        .await
        .unwrap();
    later
        .post(
            &c.an,
            "general",
            "update",
            "Chào mừng @binh đến với đội bán hàng!",
        )
        .await
        .unwrap();
    let round = send(store, NOW + MINUTE).await;
    assert_eq!(round.delivered, 3, "{round:?}");
    let received = service.take();
    assert_eq!(received.len(), 3);
    for message in &received {
        // Signed with our key: `vapid t=<JWT>, k=<our public key>`.
        assert!(
            message.authorization.starts_with("vapid t="),
            "{}",
            message.authorization
        );
        assert!(
            message.authorization.ends_with(&format!("k={key}")),
            "{}",
            message.authorization
        );
        // Encrypted: the words are not in the body as sent.
        assert!(!String::from_utf8_lossy(&message.body).contains("sáp nhập"));
    }
    for (device, path) in [(&phone, "/an/phone"), (&laptop, "/an/laptop")] {
        let mine: Vec<_> = received.iter().filter(|r| r.path == path).collect();
        assert_eq!(mine.len(), 1, "{path}");
        let message = device.open(mine[0]);
        assert!(
            message["title"].as_str().unwrap().contains("mentioned you"),
            "{message}"
        );
        assert!(
            message["title"]
                .as_str()
                .unwrap()
                .ends_with("#ban-giam-doc"),
            "{message}"
        );
        assert!(
            message["body"].as_str().unwrap().starts_with(SECRET),
            "{message}"
        );
        assert!(
            message["url"].as_str().unwrap().starts_with("/posts/"),
            "{message}"
        );
        // Another device's keys cannot read it.
        let other = if path == "/an/phone" { &laptop } else { &phone };
        assert!(web_push_native::decrypt(
            mine[0].body.clone(),
            &other.secret,
            web_push_native::Auth::from_slice(&other.auth)
        )
        .is_err());
    }
    let binh: Vec<_> = received
        .iter()
        .filter(|r| r.path == "/binh/phone")
        .collect();
    assert_eq!(binh.len(), 1);
    let message = binh_phone.open(binh[0]);
    // In Bình's language, and nothing of the private channel.
    assert!(
        message["title"].as_str().unwrap().contains("#general"),
        "{message}"
    );
    assert!(
        message["body"].as_str().unwrap().contains("Chào mừng"),
        "{message}"
    );
    assert!(!message.to_string().contains("sáp nhập"));
    assert!(!message.to_string().contains("ban-giam-doc"));
    // Nothing is left to send.
    assert_eq!(
        send(store, NOW + 2 * MINUTE).await,
        sender::Round::default()
    );
}

async fn settings_quiet_hours_and_gone_devices_hold_messages_back(db: &TestDb) {
    let service = PushService::start().await;
    let store = &db.store.with_local_push();
    let c = company(store).await;
    push::settings(store, &c.an, SITE, NOW).await.unwrap();
    let at = CompanyBuilder::existing(store, NOW);
    let phone = Device::new(&service, "/an/phone");
    phone
        .subscribe(store, &c.an, &at.session(&c.an).await)
        .await
        .unwrap();
    let owner = &c.owner;
    let mention = |minute: i64| async move {
        CompanyBuilder::existing(store, NOW + minute * MINUTE)
            .post(owner, "general", "update", &format!("@an lần {minute}"))
            .await
            .unwrap();
    };
    // Mentions turned off: kept back (the notification centre still has it).
    let groups = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
    push::set_settings(store, &c.an, &groups(&["replies", "announcements"]), "", "")
        .await
        .unwrap();
    mention(1).await;
    let round = send(store, NOW + MINUTE).await;
    assert_eq!((round.delivered, round.dropped), (0, 1), "{round:?}");
    // Quiet all day long (An has no time zone: UTC), then not.
    push::set_settings(store, &c.an, &groups(&["mentions"]), "00:00", "23:59")
        .await
        .unwrap();
    mention(2).await;
    let round = send(store, NOW + 2 * MINUTE).await;
    assert_eq!((round.delivered, round.dropped), (0, 1), "{round:?}");
    assert!(service.take().is_empty());
    // Bad settings are refused and change nothing.
    for (names, from, to) in [
        (groups(&["everything"]), "", ""),
        (groups(&["mentions"]), "25:00", "07:00"),
        (groups(&["mentions"]), "22:00", ""),
    ] {
        assert!(matches!(
            push::set_settings(store, &c.an, &names, from, to).await,
            Err(AppError::Invalid(_))
        ));
    }
    push::set_settings(store, &c.an, &groups(&["mentions"]), "", "")
        .await
        .unwrap();
    mention(3).await;
    let round = send(store, NOW + 3 * MINUTE).await;
    assert_eq!(round.delivered, 1, "{round:?}");
    let message = phone.open(&service.take()[0]);
    assert!(
        message["body"].as_str().unwrap().contains("lần 3"),
        "{message}"
    );
    // The test message.
    push::test(store, &c.an, NOW + 3 * MINUTE).await.unwrap();
    send(store, NOW + 3 * MINUTE).await;
    let message = phone.open(&service.take()[0]);
    assert_eq!(message["title"], "Townhall notifications work");
    // A device its push service calls gone is forgotten.
    let gone = Device::new(&service, "/gone/tablet");
    gone.subscribe(store, &c.an, &at.session(&c.an).await)
        .await
        .unwrap();
    mention(4).await;
    let round = send(store, NOW + 4 * MINUTE).await;
    assert_eq!((round.delivered, round.forgotten), (1, 1), "{round:?}");
    let left = store.push_devices(c.an.user_id).await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].endpoint, phone.endpoint);
}

async fn only_push_services_are_accepted_and_sign_out_ends_a_device(db: &TestDb) {
    let service = PushService::start().await;
    let c = company(&db.store).await;
    let at = CompanyBuilder::existing(&db.store, NOW);
    let token = at.session(&c.an).await;
    let phone = Device::new(&service, "/an/phone");
    // Without the operator's leave, an endpoint on this machine is refused.
    assert!(matches!(
        phone.subscribe(&db.store, &c.an, &token).await,
        Err(AppError::Invalid(_))
    ));
    let bad_key = push::subscribe(
        &db.store,
        &c.an,
        &session::token_hash(&token),
        "https://fcm.googleapis.com/fcm/send/abc",
        "not-a-key",
        &phone.auth(),
        NOW,
    )
    .await;
    assert!(matches!(bad_key, Err(AppError::Invalid(_))));
    assert!(db
        .store
        .push_devices(c.an.user_id)
        .await
        .unwrap()
        .is_empty());
    // A browser's push service is accepted.
    push::subscribe(
        &db.store,
        &c.an,
        &session::token_hash(&token),
        "https://fcm.googleapis.com/fcm/send/abc",
        &phone.p256dh(),
        &phone.auth(),
        NOW,
    )
    .await
    .unwrap();
    let store = &db.store.with_local_push();
    let other = at.session(&c.an).await;
    phone.subscribe(store, &c.an, &other).await.unwrap();
    assert_eq!(store.push_devices(c.an.user_id).await.unwrap().len(), 2);
    // Signing out on the phone ends its subscription, not the other one.
    accounts::end_session(store, &other).await.unwrap();
    let left = store.push_devices(c.an.user_id).await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].endpoint, "https://fcm.googleapis.com/fcm/send/abc");
    // Turning it off removes it; a test then has no device to go to.
    push::unsubscribe(store, &c.an, "https://fcm.googleapis.com/fcm/send/abc")
        .await
        .unwrap();
    assert!(matches!(
        push::test(store, &c.an, NOW).await,
        Err(AppError::NotFound)
    ));
}
