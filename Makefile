# Townhall — the two commands are `make run` and `make test`; see README.md.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := run

# wasm-opt comes from npm (end2end/node_modules); cargo-installed tools from ~/.cargo/bin.
export PATH := $(CURDIR)/end2end/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CARGO_TARGET_DIR ?= $(CURDIR)/target
SITE := $(CURDIR)/target/site
BIN := $(CARGO_TARGET_DIR)/release/townhall
DATABASE_URL ?= sqlite:data/townhall.db
ADDR ?= 127.0.0.1:3000
# Tests that need PostgreSQL use it here; under CI=true they fail when it is missing.
export TOWNHALL_TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/postgres
# Server crates that must never reach the browser build.
SERVER_ONLY_CRATES := sqlx|sqlx-core|tokio|mio|argon2|password-hash|leptos_axum|axum|hyper|tower-http|chrono-tz

.PHONY: run build setup test test-rust test-storage check-wasm test-e2e fmt clean

## run: build a release and serve it on SQLite with the demo company
run: build
	$(BIN) seed --demo --database-url "$(DATABASE_URL)"
	@echo "Townhall: open http://$(ADDR)"
	$(BIN) serve --addr "$(ADDR)" --database-url "$(DATABASE_URL)" --site-root "$(SITE)"

setup:
	.ci/setup

## build: the release binary and the compiled site (wasm, js, css, assets)
build: setup
	cargo leptos build --release
	cp "$(CARGO_TARGET_DIR)/release/hash.txt" "$(SITE)/hash.txt"

## test: everything CI runs
test: setup fmt test-rust check-wasm test-e2e

fmt:
	cargo fmt --all -- --check

## test-rust: unit tests and the storage suite on SQLite and PostgreSQL, per package
test-rust:
	cargo test -p app --features test-support
	cargo test -p server
	cargo clippy -p app --features ssr -p server --all-targets -- -D warnings
	cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

## check-wasm: the browser build must not contain server crates
check-wasm:
	@found=$$(cargo tree -p frontend --target wasm32-unknown-unknown -e normal,build --prefix none --format '{p}' \
	  | awk '{print $$1}' | sort -u | grep -xE '$(SERVER_ONLY_CRATES)' || true); \
	if [ -n "$$found" ]; then echo "server crates in the wasm build: $$found"; exit 1; fi; \
	echo "wasm dependency graph is free of server crates"

## test-e2e: Playwright in Debian's Chromium against a release build, on each database
test-e2e: build
	.ci/setup --browser
	@backends=sqlite; \
	if pg_isready -q -d "$$TOWNHALL_TEST_POSTGRES_URL" 2>/dev/null; then backends="sqlite postgres"; \
	elif [ "$${CI:-}" = true ]; then echo "PostgreSQL is not reachable at $$TOWNHALL_TEST_POSTGRES_URL"; exit 1; \
	else echo "warning: no PostgreSQL; browser tests run on SQLite only"; fi; \
	cd end2end && TOWNHALL_E2E_BACKENDS="$$backends" TOWNHALL_BIN="$(BIN)" TOWNHALL_SITE_ROOT="$(SITE)" npx playwright test

clean:
	cargo clean
	rm -rf target/site end2end/test-results end2end/playwright-report
