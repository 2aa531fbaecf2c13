# Townhall — the two commands are `make run` and `make test`; see README.md.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := run

# wasm-opt comes from npm (end2end/node_modules); cargo-installed tools from ~/.cargo/bin.
export PATH := $(CURDIR)/end2end/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CARGO_TARGET_DIR ?= $(CURDIR)/target
SITE := $(CURDIR)/target/site
BIN := $(CARGO_TARGET_DIR)/release/townhall
# The browser tests and the smoke benchmark run the server exactly as `cargo test -p server`
# built it (debug profile, every artifact shared with test-rust), serving the release site
# (wasm, js, css: what the browser runs). A release server would compile every dependency a
# second time, optimised: ~12 of CI's minutes on a cold cache, ~5 on a warm one, for nothing
# a browser can tell apart. `make build`, `make run` and `make bench` stay release.
TEST_BIN := $(CARGO_TARGET_DIR)/debug/townhall
DATABASE_URL ?= sqlite:data/townhall.db
ADDR ?= 127.0.0.1:3000
# Tests that need PostgreSQL use it here and fail when it is missing, unless
# TOWNHALL_SKIP_POSTGRES=1 (never under CI=true) lets them run on SQLite only.
export TOWNHALL_TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/postgres
# The benchmark's server listens here, its ceiling on the next port.
BENCH_ADDR ?= 127.0.0.1:3500
# The phone benchmark's server (Chromium on an emulated 4G phone), and its cold loads.
PHONE_ADDR ?= 127.0.0.1:3600
PHONE_RUNS ?= 5
PHONE_DB ?= target/bench/million.db
# Ten thousand live streams need as many open files on each side.
BENCH_FILES := { ulimit -n "$$(ulimit -Hn)" 2>/dev/null || true; } &&
# Server crates that must never reach the browser build.
SERVER_ONLY_CRATES := sqlx|sqlx-core|tokio|mio|argon2|password-hash|leptos_axum|axum|hyper|tower-http|chrono-tz

.PHONY: run build site test-bin bench-smoke setup test test-rust test-storage check-wasm test-e2e bench bench-quick bench-phone fuzz fmt clean image test-image check-deploy

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
	$(BIN) precompress --site-root "$(SITE)"

## site: the compiled site alone (release wasm, js, css, assets), as `build` makes it
site: setup
	cargo leptos build --release --frontend-only
	cp "$(CARGO_TARGET_DIR)/release/hash.txt" "$(SITE)/hash.txt"

## check-deploy: the deployment configurations in docs/deploy are valid (offline)
check-deploy: setup
	.ci/check-deploy

## image: the release artefacts: a static (musl) binary with its site as a tarball, and an
## image FROM scratch built by buildah, podman or docker (target/image; docs/deploy)
image: setup
	.ci/image

## test-image: build the image, then check its contents and that its binary serves from them
test-image: image
	TOWNHALL_IMAGE="$(CURDIR)/target/image/townhall-image.tar" cargo test -p server --test operate image -- --nocapture

## test-bin: the server binary as the server tests build it (nothing to do after test-rust)
test-bin:
	cargo test -p server --no-run

## test: everything CI runs (the quick benchmark only as a smoke run: it must finish; no time is asserted)
test: setup fmt check-deploy test-rust check-wasm test-e2e bench-smoke

fmt:
	cargo fmt --all -- --check

## test-rust: unit tests and the storage suite on SQLite and PostgreSQL, per package
test-rust:
	cargo test -p app --features test-support
	# One test at a time: each test runs its own tokio runtime, and Leptos renders pages
	# through one process-wide executor; in parallel, a page render in the in-process
	# authorisation tests went unanswered about one run in eight (none in ten serial runs).
	cargo test -p server -- --test-threads=1
	cargo clippy -p app --features ssr -p server --all-targets -- -D warnings
	cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

## check-wasm: the browser build must not contain server crates
check-wasm:
	@found=$$(cargo tree -p frontend --target wasm32-unknown-unknown -e normal,build --prefix none --format '{p}' \
	  | awk '{print $$1}' | sort -u | grep -xE '$(SERVER_ONLY_CRATES)' || true); \
	if [ -n "$$found" ]; then echo "server crates in the wasm build: $$found"; exit 1; fi; \
	echo "wasm dependency graph is free of server crates"
	@# An island that reaches the full texts compiles every page's words into the wasm
	@# (docs/architecture.md, "Islands carry almost no words").
	@if grep -rnE 'use_texts|i18n::Texts|\.texts\(\)' app/src/islands; then \
	  echo "islands must use use_island_texts(), not the full texts"; exit 1; fi

## test-e2e: the service worker's rules in Node, then Playwright in Debian's Chromium
## against the release site, on each database
test-e2e: site test-bin
	cd end2end && node --test unit/
	.ci/setup --browser
	@backends=sqlite; \
	if pg_isready -q -d "$$TOWNHALL_TEST_POSTGRES_URL" 2>/dev/null; then backends="sqlite postgres"; \
	elif [ "$${CI:-}" != true ] && [ "$${TOWNHALL_SKIP_POSTGRES:-}" = 1 ]; then \
	  echo "skipped: PostgreSQL (TOWNHALL_SKIP_POSTGRES=1); browser tests run on SQLite only"; \
	else echo "PostgreSQL is not reachable at $$TOWNHALL_TEST_POSTGRES_URL" \
	  "(set TOWNHALL_SKIP_POSTGRES=1 to run on SQLite only; never under CI=true)"; exit 1; fi; \
	$(TEST_BIN) precompress --site-root "$(SITE)"; \
	cd end2end && TOWNHALL_E2E_BACKENDS="$$backends" TOWNHALL_BIN="$(TEST_BIN)" TOWNHALL_SITE_ROOT="$(SITE)" npx playwright test

## bench: the full benchmark of BENCHMARKS.md: a 1,000-person company with a million posts
## (loaded afresh, a few minutes), 10 s per scenario, 100,000 mixed pages (any 5xx fails),
## live fan-out to 1,000 and 10,000 streams; then the phone benchmark on the same company
bench: build
	mkdir -p target/bench && rm -f target/bench/million.db*
	$(BIN) seed --posts 1000000 --users 1000 --departments 20 --channels 200 --seed 42 \
	  --database-url sqlite:target/bench/million.db
	$(BENCH_FILES) $(BIN) bench --database-url sqlite:target/bench/million.db --site-root "$(SITE)" \
	  --addr $(BENCH_ADDR) --mixed-pages 100000 --report target/bench/results.md
	$(PHONE_BENCH)

## bench-phone: Home on an emulated 4G phone (Chromium, CDP throttling: 150 ms, 9 Mbit/s,
## 4× CPU): LCP and the time until the composer suggests @mentions, PHONE_RUNS cold loads,
## against PHONE_DB (made by `make bench`; `PHONE_DB=target/bench/quick.db` after bench-quick)
bench-phone: build
	@test -f "$(PHONE_DB)" || { echo "no $(PHONE_DB): run make bench (or bench-quick and PHONE_DB=target/bench/quick.db)"; exit 1; }
	$(PHONE_BENCH)
PHONE_BENCH = .ci/setup --browser && \
	end2end/bench/phone.sh $(BIN) "$(SITE)" sqlite:$(PHONE_DB) $(PHONE_ADDR) target/bench/phone.md $(PHONE_RUNS)

## bench-quick: the same measurements on a small company with short runs (well under two minutes)
## (20,000 mixed pages here, 1,000 in the smoke run: any 5xx fails either)
QUICK_BENCH = mkdir -p target/bench && rm -f target/bench/quick.db* && \
	$(1) seed --posts 20000 --users 300 --departments 10 --channels 40 --seed 42 \
	  --database-url sqlite:target/bench/quick.db && \
	$(BENCH_FILES) $(1) bench --database-url sqlite:target/bench/quick.db --site-root "$(SITE)" \
	  --addr $(BENCH_ADDR) --seconds 1 --streams 1000 --mixed-pages $(3) \
	  --open-loop-scale $(4) --open-loop-seconds $(5) --report $(2)
bench-quick: build
	$(call QUICK_BENCH,$(BIN),target/bench/quick.md,20000,30,10)

## bench-smoke: the quick benchmark on the test build, for `make test`: it must run to its
## end (every scenario, no errors); its figures say nothing about a release
bench-smoke: site test-bin
	$(TEST_BIN) precompress --site-root "$(SITE)"
	$(call QUICK_BENCH,$(TEST_BIN),target/bench/smoke.md,1000,3,3)

## fuzz: coverage-guided fuzzing of the parsers (cargo-fuzz, libFuzzer), FUZZ_SECONDS per target,
## growing then minimising the corpus in fuzz/corpus/<target>; not part of `make test`. See docs/fuzzing.md.
FUZZ_SECONDS ?= 60
# Targets with the longest input each gets, in bytes.
FUZZ_TARGETS ?= markdown:4096 references:8192 list:4096 fold:1024 cursor:64
FUZZ_SANITIZER ?= address
# libFuzzer's instrumentation flags are nightly-only; the stable toolchain allows them under
# RUSTC_BOOTSTRAP. Its own target directory: the instrumented build shares nothing with the others.
FUZZ := RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=$${FUZZ_TARGET_DIR:-$(CURDIR)/target/fuzz} cargo fuzz
FUZZ_FLAGS := --debug-assertions --sanitizer $(FUZZ_SANITIZER) --codegen-units 16
fuzz:
	@cargo fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz --locked
	$(FUZZ) build $(FUZZ_FLAGS)
	@for entry in $(FUZZ_TARGETS); do target=$${entry%%:*}; len=$${entry##*:}; \
	  echo "fuzz: $$target for $(FUZZ_SECONDS) s, inputs up to $$len bytes"; \
	  $(FUZZ) run $(FUZZ_FLAGS) $$target -- -max_total_time=$(FUZZ_SECONDS) -max_len=$$len \
	    -timeout=5 -rss_limit_mb=2048 -print_final_stats=1; \
	  $(FUZZ) cmin $(FUZZ_FLAGS) $$target -- -max_len=$$len -timeout=5 -rss_limit_mb=2048 -use_counters=0; \
	done

clean:
	cargo clean
	rm -rf target/site end2end/test-results end2end/playwright-report
