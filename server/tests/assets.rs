//! The site's hashed files (wasm, js, css) go out as `townhall precompress` made them,
//! at brotli 11 or gzip, and are never compressed per request; pages still are.

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

    // A page is still compressed as it is sent.
    let (status, head, _) = site.get_with("/sign-in", "Accept-Encoding: br\r\n").await;
    assert_eq!(status, 200);
    assert!(head.contains("content-encoding: br"), "{head}");
}
