//! Settings as an operator gives them: a configuration file beside flags and variables
//! (a flag beats its variable, which beats the file), refused before anything starts
//! when wrong, passwords kept out of logs and reports, and `townhall doctor` saying what
//! to fix.

use crate::common::*;
use app::testing::TestDb;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

/// `townhall` with none of the caller's settings leaking in.
fn townhall_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(BIN);
    command.args(args).current_dir(dir);
    for var in [
        "TOWNHALL_DATABASE_URL",
        "TOWNHALL_CONFIG",
        "TOWNHALL_LOG",
        "TOWNHALL_ADDR",
        "TOWNHALL_FILES",
    ] {
        command.env_remove(var);
    }
    command
        .envs(env.iter().copied())
        .output()
        .expect("run townhall")
}

fn spawn_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Child {
    let mut command = Command::new(BIN);
    command.args(args).current_dir(dir);
    for var in ["TOWNHALL_DATABASE_URL", "TOWNHALL_CONFIG", "TOWNHALL_LOG"] {
        command.env_remove(var);
    }
    command
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start townhall serve")
}

/// Stops a server and gives back what it logged.
fn logged(mut server: Child) -> String {
    let _ = server.kill();
    text(&server.wait_with_output().unwrap().stderr)
}

#[test]
fn a_configuration_file_gives_settings_that_variables_and_flags_override() {
    let dir = temp_dir("config-file");
    let site = fake_site("config-file");
    let addr = free_addr();
    let file = dir.join("townhall.toml");
    std::fs::write(
        &file,
        format!(
            r#"# One small company's settings.
database-url = "sqlite:{db}"
addr = "{addr}"
site_root = "{site}"   # underscores work as well as dashes
log-format = "json"
trusted-proxies = ["10.0.0.0/8", "127.0.0.1/32"]
backup-keep = 14
"#,
            db = dir.join("from-file.db").display(),
            site = site.display()
        ),
    )
    .unwrap();
    let file_arg = file.to_str().unwrap();

    // TOWNHALL_CONFIG names the file.
    let out = townhall_in(&dir, &["migrate"], &[("TOWNHALL_CONFIG", file_arg)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(dir.join("from-file.db").is_file());
    // A variable beats the file; a flag beats both.
    let from_env = format!("sqlite:{}", dir.join("from-env.db").display());
    let out = townhall_in(
        &dir,
        &["migrate", "--config", file_arg],
        &[("TOWNHALL_DATABASE_URL", &from_env)],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(dir.join("from-env.db").is_file());
    let from_flag = format!("sqlite:{}", dir.join("from-flag.db").display());
    let out = townhall_in(
        &dir,
        &[
            "--config",
            file_arg,
            "migrate",
            "--database-url",
            &from_flag,
        ],
        &[("TOWNHALL_DATABASE_URL", &from_env)],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(dir.join("from-flag.db").is_file());
    assert!(
        !dir.join("data").exists(),
        "the default database was not used"
    );

    // `serve` takes its address, site, database and log format from the file.
    let mut server = spawn_in(&dir, &["serve", "--config", file_arg], &[]);
    wait_until_healthy(addr, &mut server);
    assert_eq!(get(addr, "/readyz").0, 200);
    let log = logged(server);
    let first = log.lines().next().unwrap_or_default();
    assert!(
        first.starts_with('{'),
        "JSON lines from the file's log-format: {log}"
    );
    assert!(log.contains("settings from"), "{log}");
    assert!(log.contains("townhall.toml"), "{log}");
}

#[test]
fn a_wrong_configuration_file_stops_everything_with_its_name_and_key() {
    let dir = temp_dir("config-wrong");
    let cases = [
        (
            "databse-url = \"sqlite:x.db\"\n",
            vec!["bad.toml: unknown setting `databse-url`", "database-url"],
        ),
        (
            "addr = \"nowhere\"\n",
            vec![
                "bad.toml: `addr`: invalid value 'nowhere'",
                "socket address",
            ],
        ),
        (
            "backup-keep = 0\n",
            vec!["`backup-keep`: invalid value '0'"],
        ),
        (
            "log = \"info,sqlx=loud\"\n",
            vec!["`log`", "not a log filter"],
        ),
        ("addr = \n", vec!["bad.toml is not valid TOML"]),
        (
            "log-format = { json = true }\n",
            vec!["`log-format`: expected a string, a number, true/false or a list"],
        ),
    ];
    for (content, said) in cases {
        std::fs::write(dir.join("bad.toml"), content).unwrap();
        let out = townhall_in(&dir, &["serve", "--config", "bad.toml"], &[]);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{content}: {err}");
        for words in said {
            assert!(err.contains(words), "{content}: {err}");
        }
        assert!(!err.contains("panicked"), "{err}");
        assert!(!dir.join("data").exists(), "{content}: nothing was created");
    }
    let out = townhall_in(&dir, &["migrate", "--config", "missing.toml"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot read the configuration file missing.toml"));
}

#[test]
fn serve_refuses_settings_it_cannot_run_with_before_touching_anything() {
    let dir = temp_dir("settings-refused");
    let site = fake_site("settings-refused");
    let addr = free_addr().to_string();
    let url = format!("sqlite:{}", dir.join("never.db").display());
    let missing = dir.join("no-such-folder");
    let out = townhall_in(
        &dir,
        &[
            "serve",
            "--addr",
            &addr,
            "--metrics-addr",
            &addr,
            "--database-url",
            &url,
            "--site-root",
            site.to_str().unwrap(),
            "--backup-to",
            missing.to_str().unwrap(),
            "--files",
            "ftp://files.example",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.starts_with("townhall: cannot start with these settings"),
        "{err}"
    );
    for problem in [
        "metrics need one of their own",
        "no such folder",
        "unsupported file storage \"ftp://files.example\"",
    ] {
        assert!(err.contains(problem), "{err}");
    }
    assert!(!dir.join("never.db").exists());
    assert!(!missing.exists());
}

/// `url` with `password` given for its user (PostgreSQL's trust authentication here
/// ignores it; a leak would show it all the same).
fn with_password(url: &str, password: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap();
    let (user, host) = rest.split_once('@').unwrap();
    assert!(!user.contains(':'), "{url} has a password already");
    format!("{scheme}://{user}:{password}@{host}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passwords_stay_out_of_logs_errors_and_reports() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    const SECRET: &str = "hunter2-secret";
    let url = with_password(&db.url, SECRET);
    let dir = temp_dir("secrets");
    let site = fake_site("secrets");
    let addr = free_addr();
    let mut server = spawn_in(
        &dir,
        &[
            "serve",
            "--addr",
            &addr.to_string(),
            "--database-url",
            &url,
            "--site-root",
            site.to_str().unwrap(),
            "--files",
            dir.join("files").to_str().unwrap(),
        ],
        // Everything, sqlx's own lines included.
        &[("TOWNHALL_LOG", "debug")],
    );
    wait_until_healthy(addr, &mut server);
    assert_eq!(get(addr, "/readyz").0, 200);
    let log = logged(server);
    assert!(log.lines().count() > 5, "{log}");
    assert!(!log.contains(SECRET), "{log}");

    // A mistyped scheme: the error shows the URL, not its password.
    let typo = url.replacen("postgres", "postgre", 1);
    let out = townhall_in(&dir, &["migrate", "--database-url", &typo], &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("unsupported database URL"), "{err}");
    assert!(err.contains(":***@"), "{err}");
    assert!(!err.contains(SECRET), "{err}");

    // The doctor's report names the database without its password, and a settings
    // file that holds it readable by everyone is a warning.
    let file = dir.join("townhall.toml");
    std::fs::write(&file, format!("database-url = \"{url}\"\n")).unwrap();
    std::fs::set_permissions(&file, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    let out = townhall_in(
        &dir,
        &[
            "doctor",
            "--config",
            file.to_str().unwrap(),
            "--site-root",
            site.to_str().unwrap(),
            "--files",
            dir.join("files").to_str().unwrap(),
        ],
        &[],
    );
    let report = text(&out.stdout);
    assert!(!report.contains(SECRET), "{report}");
    assert!(line(&report, "database").starts_with("ok"), "{report}");
    assert!(line(&report, "database").contains(":***@"), "{report}");
    let settings = line(&report, "settings");
    assert!(settings.starts_with("warn"), "{report}");
    assert!(
        settings.contains("everyone on this machine may read it"),
        "{report}"
    );
    assert!(
        report.contains(&format!("chmod 600 {}", file.display())),
        "{report}"
    );
    db.finish().await;
}

/// The report's line about `topic`.
fn line<'a>(report: &'a str, topic: &str) -> &'a str {
    report
        .lines()
        .find(|l| l.split_whitespace().nth(1) == Some(topic))
        .unwrap_or_else(|| panic!("no {topic} line in:\n{report}"))
}

/// A compiled site as `make site` leaves it: hashed files, precompressed.
fn built_site(dir: &Path) -> PathBuf {
    let site = dir.join("site");
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::write(site.join("hash.txt"), "js: a1\nwasm: b2\ncss: c3\n").unwrap();
    for name in ["townhall.a1.js", "townhall_bg.b2.wasm", "townhall.c3.css"] {
        for suffix in ["", ".br", ".gz"] {
            std::fs::write(site.join("pkg").join(format!("{name}{suffix}")), name).unwrap();
        }
    }
    site
}

async fn execute(url: &str, sql: &str) {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
    sqlx::query(sql).execute(&mut conn).await.unwrap();
    conn.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_says_what_to_fix_and_changes_nothing() {
    let dir = temp_dir("doctor");
    let site = built_site(&dir);
    let database = dir.join("th.db");
    let url = format!("sqlite:{}", database.display());
    let doctor = |extra: &[&str]| {
        let mut args = vec![
            "doctor",
            "--database-url",
            &url,
            "--site-root",
            site.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let out = townhall_in(&dir, &args, &[]);
        (out.status.code(), text(&out.stdout))
    };

    // No database yet: said, with the command that makes one, and none is made.
    let (code, report) = doctor(&[]);
    assert_eq!(code, Some(1), "{report}");
    let said = line(&report, "database");
    assert!(
        said.starts_with("FAIL") && said.contains("there is no database"),
        "{report}"
    );
    assert!(report.contains("`townhall migrate` creates it"), "{report}");
    assert!(!database.exists());

    // A seeded company: every check passes.
    let out = townhall_in(&dir, &["seed", "--demo", "--database-url", &url], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let (code, report) = doctor(&[]);
    assert_eq!(code, Some(0), "{report}");
    for topic in ["settings", "database", "clock", "site", "files"] {
        assert!(line(&report, topic).starts_with("ok"), "{topic}:\n{report}");
    }
    assert!(
        line(&report, "database").contains("its schema is this build's"),
        "{report}"
    );
    assert!(line(&report, "files").contains("takes writes"), "{report}");
    assert!(line(&report, "disk").contains(" free of "), "{report}");
    let probes: Vec<_> = std::fs::read_dir(dir.join("th-files"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(probes.is_empty(), "the probe was removed: {probes:?}");

    // The newest post is from the future: the clock was set back.
    const TWO_DAYS: i64 = 2 * 86_400_000;
    let newest = "(SELECT id FROM posts ORDER BY created_at DESC LIMIT 1)";
    execute(
        &url,
        &format!("UPDATE posts SET created_at = created_at + {TWO_DAYS} WHERE id = {newest}"),
    )
    .await;
    let (code, report) = doctor(&[]);
    assert_eq!(code, Some(1), "{report}");
    assert!(line(&report, "clock").starts_with("FAIL"), "{report}");
    assert!(
        line(&report, "clock").contains("the clock was set back"),
        "{report}"
    );
    execute(
        &url,
        &format!("UPDATE posts SET created_at = created_at - {TWO_DAYS} WHERE id = {newest}"),
    )
    .await;
    assert_eq!(doctor(&[]).0, Some(0));

    // A site copied in part.
    std::fs::remove_file(site.join("pkg/townhall_bg.b2.wasm")).unwrap();
    let (code, report) = doctor(&[]);
    assert_eq!(code, Some(1), "{report}");
    assert!(
        line(&report, "site").contains("lacks the files its hash.txt names: pkg/*.b2.wasm"),
        "{report}"
    );
    std::fs::write(site.join("pkg/townhall_bg.b2.wasm"), "wasm").unwrap();

    // A backup folder that does not exist: a setting `serve` would refuse.
    let (code, report) = doctor(&["--backup-to", "/no/such/backups"]);
    assert_eq!(code, Some(1), "{report}");
    assert!(
        line(&report, "settings").contains("no such folder"),
        "{report}"
    );

    // A database a newer Townhall migrated, then one a migration behind.
    execute(
        &url,
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (99990101000000, 'from the future', TRUE, X'00', 1)",
    )
    .await;
    let (code, report) = doctor(&[]);
    assert_eq!(code, Some(1), "{report}");
    assert!(
        line(&report, "database").contains("migrated by a newer Townhall (1 migrations"),
        "{report}"
    );
    execute(
        &url,
        "DELETE FROM _sqlx_migrations WHERE version = 99990101000000",
    )
    .await;
    execute(
        &url,
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)",
    )
    .await;
    let (code, report) = doctor(&[]);
    assert_eq!(code, Some(1), "{report}");
    assert!(
        line(&report, "database").contains("1 of this build's migrations are not applied"),
        "{report}"
    );
    assert!(report.contains("run `townhall migrate`"), "{report}");
    assert!(
        report.ends_with("to fix before Townhall can serve well.\n"),
        "{report}"
    );
}
