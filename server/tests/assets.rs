//! The site's hashed files (wasm, js, css) go out as `townhall precompress` made them,
//! at brotli 11 or gzip, and are never compressed per request; pages still are, and
//! their cards carry each form once.

mod common;

use app::testing::TestDb;
use common::in_process::InProcess;

#[tokio::test]
async fn hashed_files_go_out_precompressed_and_are_never_compressed_per_request() {
    let db = TestDb::sqlite().await;
    let site = InProcess::start(&db.store, "assets").await;
    let pkg = site.site.join("pkg");
    // Compressible, and large enough that an on-the-fly encoder would take it.
    let script = "export function island() { return 42; }\n".repeat(400);
    std::fs::write(pkg.join("townhall.a1.js"), &script).unwrap();
    std::fs::write(
        pkg.join("townhall.b2.css"),
        "body { color: red; }\n".repeat(400),
    )
    .unwrap();
    let packed = server::precompress::site(&site.site).unwrap();
    assert_eq!(packed.len(), 2, "both files compressed");
    // Made after `precompress` ran: there is no copy to send.
    std::fs::write(pkg.join("townhall.c3.js"), &script).unwrap();

    let brotli = std::fs::read(pkg.join("townhall.a1.js.br")).unwrap();
    let (status, head, body) = site
        .get_with("/pkg/townhall.a1.js", "Accept-Encoding: gzip, br\r\n")
        .await;
    assert_eq!(status, 200);
    assert!(head.contains("content-encoding: br"), "{head}");
    assert!(head.contains("immutable"), "{head}");
    assert_eq!(
        body,
        String::from_utf8_lossy(&brotli),
        "the brotli copy itself"
    );

    // Chrome offers zstd as well, which no copy is made in: it still gets the brotli
    // copy, not zstd made on the fly.
    let (status, head, body) = site
        .get_with(
            "/pkg/townhall.a1.js",
            "Accept-Encoding: gzip, deflate, br, zstd\r\n",
        )
        .await;
    assert_eq!(status, 200);
    assert!(head.contains("content-encoding: br"), "{head}");
    assert_eq!(body, String::from_utf8_lossy(&brotli));

    let (status, head, _) = site
        .get_with("/pkg/townhall.b2.css", "Accept-Encoding: gzip\r\n")
        .await;
    assert_eq!(status, 200);
    assert!(head.contains("content-encoding: gzip"), "{head}");

    let (status, head, body) = site
        .get_with("/pkg/townhall.c3.js", "Accept-Encoding: gzip, br\r\n")
        .await;
    assert_eq!(status, 200);
    assert!(
        !head.contains("content-encoding"),
        "compressed per request: {head}"
    );
    assert_eq!(body, script);

    // A page is still compressed as it is sent: with zstd for a browser that offers it
    // (the cheapest to make), brotli for one that does not.
    let (status, head, _) = site.get_with("/sign-in", "Accept-Encoding: br\r\n").await;
    assert_eq!(status, 200);
    assert!(head.contains("content-encoding: br"), "{head}");
    let (status, head, _) = site
        .get_with("/sign-in", "Accept-Encoding: gzip, deflate, br, zstd\r\n")
        .await;
    assert_eq!(status, 200);
    assert!(head.contains("content-encoding: zstd"), "{head}");
}

/// The live stream, routed apart from the pages so that the compression layer does not
/// wrap it, still passes every other layer: the session reaches it (another person's
/// post arrives), its answer carries the security headers and the request's id, and it
/// is not encoded for a browser that accepts brotli. (That last holds under the
/// compression layer too, which never encodes an event stream: what leaving the layer
/// saves, its wrapper's room for an encoder kept for each open tab, shows in the bench's
/// memory per idle stream, not here.)
#[tokio::test]
async fn the_live_stream_keeps_its_session_and_headers_outside_compression() {
    use app::testing::CompanyBuilder;
    let db = TestDb::sqlite().await;
    let now = app::store::now_ms();
    let (company, owner) = CompanyBuilder::set_up(&db.store, now).await;
    let member = company.person("member@saomai.vn", "Member").await;
    company
        .post(&owner, "general", "update", "Live without an encoder")
        .await
        .unwrap();
    let site = InProcess::start(&db.store, "live-layers").await;
    let headers = format!(
        "{}Accept: text/event-stream\r\nAccept-Encoding: br, gzip\r\n",
        company.cookie(&member).await
    );
    let (status, head, body) = site
        .stream_until(
            common::in_process::get_request("/live?after=0", &headers),
            "\"kind\":\"post\"",
        )
        .await;
    assert_eq!(status, 200, "{head}");
    assert!(head.contains("text/event-stream"), "{head}");
    assert!(head.contains("x-content-type-options: nosniff"), "{head}");
    assert!(head.contains("x-request-id"), "{head}");
    assert!(!head.contains("content-encoding"), "compressed: {head}");
    assert!(body.contains("\"kind\":\"post\""), "{body}");

    // Without a session the stream is refused, as before.
    let (status, _, _) = site
        .stream_until(
            common::in_process::get_request("/live?after=0", "Accept: text/event-stream\r\n"),
            "",
        )
        .await;
    assert_eq!(status, 401);
}

/// A page's weight is mostly its cards' forms, which the server renders, compresses and
/// sends on every page view, and the phone parses. Each card's reactions are one form
/// whose buttons carry their emoji (not one form per emoji), and the template a file
/// picker copies for each upload is on the page once (not in every comment box). The
/// plain form still works as a browser without script sends it: the pressed button's
/// name and value with the form's fields.
#[test]
fn a_cards_reactions_are_one_form_and_the_upload_template_is_on_the_page_once() {
    common::in_process::on_a_server_stack(cards_carry_each_form_once);
}

async fn cards_carry_each_form_once() {
    use app::testing::CompanyBuilder;
    let db = TestDb::sqlite().await;
    let now = app::store::now_ms();
    let (company, owner) = CompanyBuilder::set_up(&db.store, now).await;
    let member = company.person("member@saomai.vn", "Member").await;
    let first = company
        .post(&owner, "general", "update", "First card")
        .await
        .unwrap();
    company
        .post(&owner, "general", "update", "Second card")
        .await
        .unwrap();
    company
        .comment(&owner, first, None, "A comment with a reply box")
        .await
        .unwrap();
    let site = InProcess::start(&db.store, "card-forms").await;
    let cookie = company.cookie(&member).await;
    let home = |cookie: String| {
        let site = &site;
        async move {
            let (status, _, page) = site.get_with("/", &cookie).await;
            assert_eq!(status, 200);
            page
        }
    };
    let page = home(cookie.clone()).await;
    let cards = page.matches("<article").count();
    assert_eq!(cards, 2, "{page}");
    assert_eq!(
        page.matches("action=\"/api/posts/react\"").count(),
        cards,
        "one reaction form per card"
    );
    // Every emoji of the set is a button of that form, given or in the picker.
    assert_eq!(
        page.matches("name=\"emoji\"").count(),
        cards * app::model::REACTIONS.len()
    );
    assert!(!page.contains("<input type=\"hidden\" name=\"emoji\""));
    // Four file pickers (the composer, two comment boxes, a reply box), one template.
    assert_eq!(page.matches("data-attach=\"\"").count(), 4, "{page}");
    assert_eq!(page.matches("data-attach-template").count(), 1);

    // The browser without script sends the form's fields and the pressed button.
    let body = format!("post={first}&back=%2F&emoji=%F0%9F%8E%89");
    let (status, head, _) = site
        .exchange(format!(
            "POST /api/posts/react HTTP/1.1\r\nHost: 127.0.0.1:3000\r\n\
             Origin: http://127.0.0.1:3000\r\nAccept: text/html\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
             {cookie}\r\n{body}",
            body.len()
        ))
        .await;
    assert_eq!(status, 302, "{head}");
    assert!(head.contains("location: /\r\n"), "{head}");
    let page = home(cookie).await;
    let card = page
        .split("<article")
        .find(|card| card.contains("First card"))
        .unwrap();
    assert!(
        card.contains("name=\"emoji\" value=\"🎉\" aria-pressed=\"true\""),
        "{card}"
    );
}
