//! The two migration folders must build the same schema.
//!
//! `migrations/sqlite` and `migrations/postgres` are written twice by hand; this test
//! migrates a database of each kind and compares what the catalogs say: tables,
//! columns (order, kind, nullability, default), primary keys, unique constraints,
//! indexes (name, unique, keys with their direction, partial predicate), foreign keys
//! (columns, target, actions) and CHECK constraints. Each difference is one line naming
//! the table, the column or constraint, and both sides.
//!
//! What is the same schema written in each dialect is normalised, not reported:
//! - Types become kinds: SQLite's declared type by its affinity rules, PostgreSQL's
//!   `bigint` → integer, `text`/`varchar` → text, `real`/`double precision` → float,
//!   `bytea` → bytes. PostgreSQL's `integer` and `smallint` stay apart (int32, int16):
//!   SQLite's INTEGER holds 64 bits, so on PostgreSQL they would overflow first.
//! - An SQLite `INTEGER PRIMARY KEY` is the rowid: never NULL, and filled in when an
//!   insert leaves it out. So it counts as NOT NULL, and only a PostgreSQL identity
//!   (or sequence) without a rowid on SQLite is reported; a rowid without an identity
//!   is not, since every INTEGER PRIMARY KEY is one.
//! - Key columns of a `WITHOUT ROWID` table are NOT NULL whatever they declare (in a
//!   rowid table SQLite lets a composite key column hold NULL, so that is reported).
//! - Unique constraints are compared by their columns: SQLite names them
//!   `sqlite_autoindex_…`, PostgreSQL `…_key`. Primary key indexes are the primary key.
//! - Expressions (defaults, index keys, predicates, CHECKs) are compared lower-cased,
//!   without casts (`'member'::text`), parentheses, quotes or spaces, and with
//!   PostgreSQL's `= ANY (ARRAY[…])` read as `IN (…)`.
//! - `WITHOUT ROWID` itself is storage, not schema.
//!
//! Not compared: sqlx's `_sqlx_migrations` and SQLite's own `sqlite_*` tables, index
//! collations and storage parameters, and the full-text index each backend keeps its own
//! way over `search_entries` (see `migrations/*/0017_search.sql`): SQLite's FTS5 table
//! `search_fts` and its shadow tables, PostgreSQL's `tsv` column and its GIN index.

use app::testing::TestDb;
use sqlx::{AnyConnection, Connection, Executor, Row};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Default)]
struct Schema {
    tables: BTreeMap<String, Table>,
}

#[derive(Debug, Default)]
struct Table {
    columns: Vec<Column>,
    primary_key: Vec<String>,
    /// Index name → `UNIQUE (a, b DESC) WHERE …`.
    indexes: BTreeMap<String, String>,
    /// `(a, b)` of each unique constraint.
    unique: BTreeSet<String>,
    /// `(a) → table` → `(id) ON DELETE … ON UPDATE …`.
    foreign_keys: BTreeMap<String, String>,
    /// Normalised CHECK expressions.
    checks: BTreeSet<String>,
}

#[derive(Debug)]
struct Column {
    name: String,
    kind: String,
    not_null: bool,
    default: Option<String>,
    /// Filled in by the database when an insert leaves it out.
    generated: bool,
}

impl Column {
    fn describe(&self) -> String {
        let mut text = self.kind.clone();
        text.push_str(if self.not_null { " NOT NULL" } else { " NULL" });
        if let Some(default) = &self.default {
            text.push_str(&format!(" DEFAULT {default}"));
        }
        text
    }
}

/// Lower case, no casts, parentheses, quotes or white space; `= ANY (ARRAY[…])` as `IN`.
fn normalise(expression: &str) -> String {
    let chars: Vec<char> = expression.to_lowercase().chars().collect();
    let mut out = String::new();
    let (mut i, mut in_string) = (0, false);
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c == '\'' {
            in_string = !in_string;
            out.push(c);
        } else if in_string {
            out.push(c);
        } else if c == ':' && chars.get(i) == Some(&':') {
            // A cast: `::text`, `::bigint`, `::text[]`.
            i += 1;
            while chars
                .get(i)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_')
            {
                i += 1;
            }
            if chars.get(i) == Some(&'[') && chars.get(i + 1) == Some(&']') {
                i += 2;
            }
        } else if !c.is_whitespace() && !matches!(c, '(' | ')' | '"') {
            out.push(c);
        }
    }
    if let Some(at) = out.find("=anyarray[") {
        out = format!("{}in{}", &out[..at], &out[at + "=anyarray[".len()..]);
        if let Some(close) = out.rfind(']') {
            out.remove(close);
        }
    }
    out
}

/// SQL without its comments, every white space character a plain space (byte offsets
/// of what is left do not move under ASCII upper-casing).
fn plain(sql: &str) -> String {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = String::new();
    let (mut i, mut in_string) = (0, false);
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            in_string = !in_string;
        } else if !in_string && c == '-' && chars.get(i + 1) == Some(&'-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            out.push(' ');
            continue;
        } else if !in_string && c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                i += 1;
            }
            i += 2;
            out.push(' ');
            continue;
        }
        out.push(if c.is_whitespace() && !in_string {
            ' '
        } else {
            c
        });
        i += 1;
    }
    out
}

/// The kind of an SQLite column by the affinity rules (sqlite.org/datatype3.html, 3.1),
/// with BOOLEAN kept apart to meet PostgreSQL's.
fn sqlite_kind(declared: &str) -> String {
    let t = declared.to_uppercase();
    let kind = if t.contains("INT") {
        "integer"
    } else if ["CHAR", "CLOB", "TEXT"].iter().any(|k| t.contains(k)) {
        "text"
    } else if t.contains("BLOB") || t.is_empty() {
        "bytes"
    } else if ["REAL", "FLOA", "DOUB"].iter().any(|k| t.contains(k)) {
        "float"
    } else if t.contains("BOOL") {
        "boolean"
    } else {
        "numeric"
    };
    kind.to_owned()
}

fn postgres_kind(data_type: &str) -> String {
    match data_type {
        "bigint" => "integer",
        "integer" => "int32",
        "smallint" => "int16",
        "text" | "character varying" | "character" => "text",
        "real" | "double precision" => "float",
        "bytea" => "bytes",
        "boolean" => "boolean",
        "numeric" => "numeric",
        other => other,
    }
    .to_owned()
}

/// SQL text quoted as a string literal.
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The parts of `sql` between the first `(` at or after `from` and its `)`, split at
/// top-level commas, and the text after that `)`.
fn parenthesised(sql: &str, from: usize) -> Option<(Vec<String>, &str)> {
    let open = from + sql[from..].find('(')?;
    let (mut depth, mut in_string, mut start) = (0, false, open + 1);
    let mut parts = Vec::new();
    for (i, c) in sql.char_indices().skip_while(|(i, _)| *i < open) {
        match c {
            '\'' => in_string = !in_string,
            _ if in_string => {}
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    parts.push(sql[start..i].trim().to_owned());
                    return Some((parts, &sql[i + 1..]));
                }
            }
            ',' if depth == 1 => {
                parts.push(sql[start..i].trim().to_owned());
                start = i + 1;
            }
            _ => {}
        }
    }
    None
}

/// Every `CHECK (…)` in a CREATE TABLE statement, normalised.
fn sqlite_checks(sql: &str) -> BTreeSet<String> {
    let sql = plain(sql);
    let upper = sql.to_ascii_uppercase();
    let mut checks = BTreeSet::new();
    let mut in_string = false;
    for (i, c) in upper.char_indices() {
        if c == '\'' {
            in_string = !in_string;
        }
        let word_start = i == 0 || !upper[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_');
        if !in_string && word_start && upper[i..].starts_with("CHECK") {
            let after = &upper[i + 5..];
            if after.trim_start().starts_with('(') {
                if let Some((parts, _)) = parenthesised(&sql, i + 5) {
                    checks.insert(normalise(&parts.join(",")));
                }
            }
        }
    }
    checks
}

fn foreign_key_action(code: &str) -> &'static str {
    match code {
        "c" => "CASCADE",
        "n" => "SET NULL",
        "d" => "SET DEFAULT",
        "r" => "RESTRICT",
        _ => "NO ACTION",
    }
}

struct Reference {
    target: String,
    from: Vec<String>,
    to: Vec<String>,
    on_update: String,
    on_delete: String,
}

/// An index as PostgreSQL's catalog describes it, key by key.
struct IndexRows {
    origin: String,
    unique: bool,
    predicate: Option<String>,
    keys: Vec<(String, bool)>,
}

/// `schema` without either backend's own full-text index (see the module's notes).
fn without_full_text(mut schema: Schema) -> Schema {
    schema
        .tables
        .retain(|name, _| name != "search_fts" && !name.starts_with("search_fts_"));
    if let Some(entries) = schema.tables.get_mut("search_entries") {
        entries.columns.retain(|c| c.name != "tsv");
        entries.indexes.remove("search_entries_tsv");
    }
    schema
}

async fn read_sqlite(url: &str) -> Schema {
    let mut conn = AnyConnection::connect(url).await.unwrap();
    let mut schema = Schema::default();
    let tables = sqlx::query(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> '_sqlx_migrations'",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    for row in tables {
        let (name, sql): (String, String) = (row.get(0), row.get(1));
        let without_rowid = plain(&sql).to_ascii_uppercase().contains("WITHOUT ROWID");
        let mut table = Table {
            checks: sqlite_checks(&sql),
            ..Table::default()
        };
        let columns = sqlx::query(&format!(
            "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info({}) ORDER BY cid",
            literal(&name)
        ))
        .fetch_all(&mut conn)
        .await
        .unwrap();
        let mut key: Vec<(i64, String)> = Vec::new();
        for c in &columns {
            let pk: i64 = c.get(4);
            if pk > 0 {
                key.push((pk, c.get(0)));
            }
        }
        key.sort();
        for c in &columns {
            let declared: String = c.get(1);
            let in_key = c.get::<i64, _>(4) > 0;
            let rowid = !without_rowid
                && key.len() == 1
                && in_key
                && declared.eq_ignore_ascii_case("INTEGER");
            table.columns.push(Column {
                name: c.get(0),
                kind: sqlite_kind(&declared),
                not_null: c.get::<i64, _>(2) == 1 || rowid || (without_rowid && in_key),
                default: c.get::<Option<String>, _>(3).map(|d| normalise(&d)),
                generated: rowid,
            });
        }
        table.primary_key = key.into_iter().map(|(_, column)| column).collect();

        let indexes = sqlx::query(&format!(
            "SELECT name, \"unique\", origin FROM pragma_index_list({})",
            literal(&name)
        ))
        .fetch_all(&mut conn)
        .await
        .unwrap();
        for index in indexes {
            let (index_name, unique, origin): (String, i64, String) =
                (index.get(0), index.get(1), index.get(2));
            // No row for a WITHOUT ROWID table's key, no text for a constraint's index.
            let sql: Option<String> = sqlx::query(&format!(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = {}",
                literal(&index_name)
            ))
            .fetch_optional(&mut conn)
            .await
            .unwrap()
            .and_then(|row| row.get::<Option<String>, _>(0))
            .map(|sql| plain(&sql));
            // The key list and what follows it, from `CREATE INDEX … ON table (…) WHERE …`.
            let written = sql.as_deref().and_then(|sql| {
                let on = sql.to_ascii_uppercase().find(" ON ")?;
                parenthesised(sql, on)
            });
            let keys = sqlx::query(&format!(
                "SELECT seqno, name, \"desc\" FROM pragma_index_xinfo({}) WHERE key = 1 ORDER BY seqno",
                literal(&index_name)
            ))
            .fetch_all(&mut conn)
            .await
            .unwrap();
            let keys: Vec<(String, bool)> = keys
                .iter()
                .map(|k| {
                    let seqno: i64 = k.get(0);
                    // An expression has no column name: take it from the statement.
                    let column = k.get::<Option<String>, _>(1).unwrap_or_else(|| {
                        let part = written
                            .as_ref()
                            .and_then(|(parts, _)| parts.get(seqno as usize))
                            .cloned()
                            .unwrap_or_default();
                        let upper = part.to_ascii_uppercase();
                        let end = [" ASC", " DESC", " COLLATE "]
                            .iter()
                            .filter_map(|w| upper.rfind(w))
                            .min()
                            .unwrap_or(part.len());
                        part[..end].to_owned()
                    });
                    (column, k.get::<i64, _>(2) == 1)
                })
                .collect();
            let predicate = written.as_ref().and_then(|(_, rest)| {
                let at = rest.to_ascii_uppercase().find("WHERE")?;
                Some(rest[at + 5..].trim().trim_end_matches(';').to_owned())
            });
            record_index(
                &mut table,
                &index_name,
                &origin,
                unique == 1,
                &keys,
                predicate,
            );
        }

        let keys = sqlx::query(&format!(
            "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete \
             FROM pragma_foreign_key_list({}) ORDER BY id, seq",
            literal(&name)
        ))
        .fetch_all(&mut conn)
        .await
        .unwrap();
        // One row per column of each foreign key, by its id.
        let mut by_id: BTreeMap<i64, Reference> = BTreeMap::new();
        for k in keys {
            let reference = by_id.entry(k.get(0)).or_insert_with(|| Reference {
                target: k.get(1),
                from: Vec::new(),
                to: Vec::new(),
                on_update: k.get(4),
                on_delete: k.get(5),
            });
            reference.from.push(k.get(2));
            // `REFERENCES t` without columns names t's primary key: resolved below.
            reference
                .to
                .push(k.get::<Option<String>, _>(3).unwrap_or_default());
        }
        for r in by_id.into_values() {
            table.foreign_keys.insert(
                format!("({}) → {}", r.from.join(", "), r.target),
                format!(
                    "({}) ON DELETE {} ON UPDATE {}",
                    r.to.join(", "),
                    r.on_delete,
                    r.on_update
                ),
            );
        }
        schema.tables.insert(name, table);
    }
    resolve_implicit_references(&mut schema);
    conn.close().await.unwrap();
    without_full_text(schema)
}

/// SQLite reports `REFERENCES t` (no columns) with empty target columns: they are t's
/// primary key.
fn resolve_implicit_references(schema: &mut Schema) {
    let keys: BTreeMap<String, String> = schema
        .tables
        .iter()
        .map(|(name, t)| (name.clone(), t.primary_key.join(", ")))
        .collect();
    for table in schema.tables.values_mut() {
        for (key, value) in table.foreign_keys.iter_mut() {
            if value.starts_with("() ") {
                let target = key.rsplit(" → ").next().unwrap_or_default();
                *value = format!(
                    "({}){}",
                    keys.get(target).cloned().unwrap_or_default(),
                    &value[2..]
                );
            }
        }
    }
}

/// Files an index under the primary key (skipped: compared by columns), the unique
/// constraints (by columns) or the named indexes.
fn record_index(
    table: &mut Table,
    name: &str,
    origin: &str,
    unique: bool,
    keys: &[(String, bool)],
    predicate: Option<String>,
) {
    let columns = keys
        .iter()
        .map(|(column, desc)| {
            let column = normalise(column);
            if *desc {
                format!("{column} DESC")
            } else {
                column
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    match origin {
        "pk" => {}
        "u" => {
            table.unique.insert(format!("({columns})"));
        }
        _ => {
            let mut text = format!("{}({columns})", if unique { "UNIQUE " } else { "" });
            if let Some(predicate) = predicate {
                text.push_str(&format!(" WHERE {}", normalise(&predicate)));
            }
            table.indexes.insert(name.to_owned(), text);
        }
    }
}

async fn read_postgres(url: &str) -> Schema {
    let mut conn = AnyConnection::connect(url).await.unwrap();
    let mut schema = Schema::default();
    let tables = sqlx::query(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' \
         AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    for row in tables {
        schema.tables.insert(row.get(0), Table::default());
    }

    let columns = sqlx::query(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text, \
                column_default::text, is_identity::text \
         FROM information_schema.columns WHERE table_schema = 'public' \
         ORDER BY table_name, ordinal_position",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    for c in columns {
        let Some(table) = schema.tables.get_mut(&c.get::<String, _>(0)) else {
            continue;
        };
        let default: Option<String> = c.get(4);
        let sequence = default
            .as_deref()
            .is_some_and(|d| d.starts_with("nextval("));
        table.columns.push(Column {
            name: c.get(1),
            kind: postgres_kind(&c.get::<String, _>(2)),
            not_null: c.get::<String, _>(3) == "NO",
            default: default.filter(|_| !sequence).map(|d| normalise(&d)),
            generated: sequence || c.get::<String, _>(5) == "YES",
        });
    }

    // One row per key column of each index.
    let keys = sqlx::query(
        "SELECT t.relname::text, i.relname::text, \
                CASE WHEN x.indisunique THEN 1 ELSE 0 END::bigint, \
                CASE WHEN x.indisprimary THEN 'pk' \
                     WHEN EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid \
                                  AND c.conrelid = x.indrelid AND c.contype = 'u') THEN 'u' \
                     ELSE 'c' END, \
                pg_get_expr(x.indpred, x.indrelid), \
                pg_get_indexdef(x.indexrelid, k.n, true), \
                CASE WHEN (x.indoption[k.n - 1] & 1) <> 0 THEN 1 ELSE 0 END::bigint \
         FROM pg_index x \
         JOIN pg_class i ON i.oid = x.indexrelid \
         JOIN pg_class t ON t.oid = x.indrelid \
         JOIN pg_namespace s ON s.oid = t.relnamespace \
         CROSS JOIN LATERAL generate_series(1, x.indnkeyatts::int) AS k(n) \
         WHERE s.nspname = 'public' \
         ORDER BY t.relname, i.relname, k.n",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let mut indexes: BTreeMap<(String, String), IndexRows> = BTreeMap::new();
    for k in keys {
        let index = indexes
            .entry((k.get(0), k.get(1)))
            .or_insert_with(|| IndexRows {
                origin: k.get(3),
                unique: k.get::<i64, _>(2) == 1,
                predicate: k.get(4),
                keys: Vec::new(),
            });
        index.keys.push((k.get(5), k.get::<i64, _>(6) == 1));
    }
    for ((table_name, name), index) in indexes {
        let Some(table) = schema.tables.get_mut(&table_name) else {
            continue;
        };
        if index.origin == "pk" {
            table.primary_key = index
                .keys
                .iter()
                .map(|(column, _)| column.trim_matches('"').to_owned())
                .collect();
        }
        record_index(
            table,
            &name,
            &index.origin,
            index.unique,
            &index.keys,
            index.predicate,
        );
    }

    let constraints = sqlx::query(
        "SELECT t.relname::text, c.contype::text, \
                COALESCE(r.relname::text, ''), \
                COALESCE((SELECT string_agg(a.attname::text, ', ' ORDER BY k.i) \
                          FROM unnest(c.conkey) WITH ORDINALITY AS k(n, i) \
                          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n), ''), \
                COALESCE((SELECT string_agg(a.attname::text, ', ' ORDER BY k.i) \
                          FROM unnest(c.confkey) WITH ORDINALITY AS k(n, i) \
                          JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n), ''), \
                c.confdeltype::text, c.confupdtype::text, pg_get_constraintdef(c.oid) \
         FROM pg_constraint c \
         JOIN pg_class t ON t.oid = c.conrelid \
         JOIN pg_namespace s ON s.oid = t.relnamespace \
         LEFT JOIN pg_class r ON r.oid = c.confrelid \
         WHERE s.nspname = 'public' AND c.contype IN ('f', 'c')",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    for c in constraints {
        let Some(table) = schema.tables.get_mut(&c.get::<String, _>(0)) else {
            continue;
        };
        let (kind, target, from, to): (String, String, String, String) =
            (c.get(1), c.get(2), c.get(3), c.get(4));
        if kind == "f" {
            table.foreign_keys.insert(
                format!("({from}) → {target}"),
                format!(
                    "({to}) ON DELETE {} ON UPDATE {}",
                    foreign_key_action(&c.get::<String, _>(5)),
                    foreign_key_action(&c.get::<String, _>(6))
                ),
            );
        } else {
            let definition: String = c.get(7);
            let expression = definition.trim_start_matches("CHECK").trim();
            table.checks.insert(normalise(expression));
        }
    }
    conn.close().await.unwrap();
    without_full_text(schema)
}

/// Every difference between the two schemas, one line each, naming what differs.
fn differences(sqlite: &Schema, postgres: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    let names: BTreeSet<&String> = sqlite.tables.keys().chain(postgres.tables.keys()).collect();
    for name in names {
        match (sqlite.tables.get(name), postgres.tables.get(name)) {
            (Some(_), None) => out.push(format!("table {name}: only on SQLite")),
            (None, Some(_)) => out.push(format!("table {name}: only on PostgreSQL")),
            (Some(s), Some(p)) => compare_tables(name, s, p, &mut out),
            (None, None) => {}
        }
    }
    out
}

fn compare_tables(name: &str, s: &Table, p: &Table, out: &mut Vec<String>) {
    let find = |t: &'_ Table, c: &str| t.columns.iter().position(|x| x.name == c);
    for c in &s.columns {
        let Some(at) = find(p, &c.name) else {
            out.push(format!(
                "{name}.{}: column only on SQLite ({})",
                c.name,
                c.describe()
            ));
            continue;
        };
        let pc = &p.columns[at];
        let column = format!("{name}.{}", c.name);
        if c.kind != pc.kind {
            out.push(format!(
                "{column}: type {} on SQLite, {} on PostgreSQL",
                c.kind, pc.kind
            ));
        }
        if c.not_null != pc.not_null {
            let side = if c.not_null { "SQLite" } else { "PostgreSQL" };
            out.push(format!("{column}: NOT NULL only on {side}"));
        }
        if c.default != pc.default {
            out.push(format!(
                "{column}: default {} on SQLite, {} on PostgreSQL",
                c.default.as_deref().unwrap_or("none"),
                pc.default.as_deref().unwrap_or("none")
            ));
        }
        if pc.generated && !c.generated {
            out.push(format!(
                "{column}: generated when left out on PostgreSQL only (not SQLite's rowid)"
            ));
        }
    }
    for c in &p.columns {
        if find(s, &c.name).is_none() {
            out.push(format!(
                "{name}.{}: column only on PostgreSQL ({})",
                c.name,
                c.describe()
            ));
        }
    }
    let order = |a: &Table, b: &Table| -> Vec<String> {
        a.columns
            .iter()
            .filter(|c| find(b, &c.name).is_some())
            .map(|c| c.name.clone())
            .collect()
    };
    let (so, po) = (order(s, p), order(p, s));
    if so != po {
        out.push(format!(
            "{name}: column order ({}) on SQLite, ({}) on PostgreSQL",
            so.join(", "),
            po.join(", ")
        ));
    }
    if s.primary_key != p.primary_key {
        out.push(format!(
            "{name}: primary key ({}) on SQLite, ({}) on PostgreSQL",
            s.primary_key.join(", "),
            p.primary_key.join(", ")
        ));
    }
    compare_maps(name, "index", &s.indexes, &p.indexes, out);
    let set = |s: &BTreeSet<String>| -> BTreeMap<String, String> {
        s.iter().map(|k| (k.clone(), String::new())).collect()
    };
    compare_maps(name, "unique", &set(&s.unique), &set(&p.unique), out);
    compare_maps(name, "foreign key", &s.foreign_keys, &p.foreign_keys, out);
    compare_maps(name, "check", &set(&s.checks), &set(&p.checks), out);
}

fn compare_maps(
    table: &str,
    what: &str,
    s: &BTreeMap<String, String>,
    p: &BTreeMap<String, String>,
    out: &mut Vec<String>,
) {
    let with = |v: &str| {
        if v.is_empty() {
            String::new()
        } else {
            format!(" {v}")
        }
    };
    for (key, value) in s {
        match p.get(key) {
            None => out.push(format!(
                "{table}: {what} {key}{} only on SQLite",
                with(value)
            )),
            Some(other) if other != value => out.push(format!(
                "{table}: {what} {key} is{} on SQLite,{} on PostgreSQL",
                with(value),
                with(other)
            )),
            Some(_) => {}
        }
    }
    for (key, value) in p {
        if !s.contains_key(key) {
            out.push(format!(
                "{table}: {what} {key}{} only on PostgreSQL",
                with(value)
            ));
        }
    }
}

/// Both migrated schemas, each read from its own catalog.
async fn both() -> Option<(TestDb, TestDb)> {
    let sqlite = TestDb::sqlite().await;
    let Some(postgres) = TestDb::postgres().await else {
        sqlite.finish().await;
        return None;
    };
    Some((sqlite, postgres))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_and_postgres_migrations_build_the_same_schema() {
    let Some((sqlite, postgres)) = both().await else {
        return;
    };
    let (s, p) = (
        read_sqlite(&sqlite.url).await,
        read_postgres(&postgres.url).await,
    );
    sqlite.finish().await;
    postgres.finish().await;
    // The readers see the schema at all (an empty reading would compare equal).
    for schema in [&s, &p] {
        let posts = &schema.tables["posts"];
        assert!(schema.tables.len() > 20, "{:?}", schema.tables.keys());
        assert!(
            posts.columns.len() > 10 && posts.indexes.len() > 3,
            "{posts:?}"
        );
        assert!(
            !posts.foreign_keys.is_empty() && !posts.checks.is_empty(),
            "{posts:?}"
        );
        assert!(!schema.tables["users"].unique.is_empty());
    }
    let found = differences(&s, &p);
    assert!(
        found.is_empty(),
        "migrations/sqlite and migrations/postgres differ:\n{}",
        found.join("\n")
    );
}

/// The comparison can fail, and says what differs: a change made on one side only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_on_one_side_is_named() {
    let Some((sqlite, postgres)) = both().await else {
        return;
    };
    let mut conn = AnyConnection::connect(&sqlite.url).await.unwrap();
    conn.execute("ALTER TABLE posts ADD COLUMN x INTEGER")
        .await
        .unwrap();
    conn.close().await.unwrap();
    let mut conn = AnyConnection::connect(&postgres.url).await.unwrap();
    for change in [
        "ALTER TABLE users ALTER COLUMN location DROP NOT NULL",
        "ALTER TABLE sessions ALTER COLUMN expires_at TYPE integer",
        "ALTER TABLE pins DROP CONSTRAINT pins_pinned_by_fkey",
        "CREATE INDEX posts_body ON posts (body)",
        "DROP INDEX posts_recent",
        "CREATE INDEX posts_recent ON posts (created_at, id DESC)",
    ] {
        conn.execute(change).await.unwrap();
    }
    conn.close().await.unwrap();
    let found = differences(
        &read_sqlite(&sqlite.url).await,
        &read_postgres(&postgres.url).await,
    );
    sqlite.finish().await;
    postgres.finish().await;
    assert_eq!(
        found,
        [
            "pins: foreign key (pinned_by) → users (id) ON DELETE SET NULL ON UPDATE NO ACTION \
             only on SQLite",
            "posts.x: column only on SQLite (integer NULL)",
            "posts: index posts_recent is (created_at DESC, id DESC) on SQLite, \
             (created_at, id DESC) on PostgreSQL",
            "posts: index posts_body (body) only on PostgreSQL",
            "sessions.expires_at: type integer on SQLite, int32 on PostgreSQL",
            "users.location: NOT NULL only on SQLite",
        ]
    );
}

#[test]
fn dialects_of_one_expression_read_alike() {
    assert_eq!(normalise("'member'::text"), normalise("'member'"));
    assert_eq!(
        normalise("((published_at IS NULL) AND (failure IS NULL))"),
        normalise("published_at IS NULL AND failure IS NULL")
    );
    assert_eq!(
        normalise("((role = ANY (ARRAY['owner'::text, 'guest'::text])))"),
        normalise("(role IN ('owner', 'guest'))")
    );
    assert_ne!(normalise("'a b'"), normalise("'ab'"));
    assert_eq!(sqlite_kind("INTEGER"), postgres_kind("bigint"));
    assert_ne!(sqlite_kind("INTEGER"), postgres_kind("integer"));
    assert_eq!(sqlite_kind("BLOB"), postgres_kind("bytea"));
    assert_eq!(
        sqlite_checks(
            "CREATE TABLE t (id INTEGER CHECK (id = 1), k TEXT, CHECK (k IN ('a', 'b')))"
        ),
        ["id=1", "kin'a','b'"].map(str::to_owned).into()
    );
}
