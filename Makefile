# Trellis: `make run` serves the demo, `make test` runs every test, `make release` builds for
# production. Each installs what is missing.
SHELL := /bin/bash
.DEFAULT_GOAL := run

CARGO_LEPTOS_VERSION := 0.3.8
# wasm-opt for release builds (npm's binaryen; .ci/install-deps says why not Debian's)
BINARYEN_VERSION := 132.0.0
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/ {getline; gsub(/"/, "", $$3); print $$3}' Cargo.lock)
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
TRELLIS := $(TARGET_DIR)/debug/trellis
TEST_DATA := .trellis/test
export PATH := $(HOME)/.local/bin:$(HOME)/.cargo/bin:$(PATH)

.PHONY: run data-key dev test release bench soak bench-commissions bench-conversions bench-redirects bench-deals bench-dashboards bench-creatives bench-payouts bench-tiers deps deps-build deps-release deps-test build fmt lint

## run: build, migrate, seed the demo (once) and serve it
run: deps-build build data-key
	@$(TRELLIS) seed-demo
	@echo "Serving Trellis at $${TRELLIS_BASE_URL:-http://$${TRELLIS_ADDR:-127.0.0.1:3000}} (Ctrl-C stops it)"
	@exec $(TRELLIS) serve

## data-key: a development key for encrypted payout details, unless one is configured
data-key:
	@dir="$${TRELLIS_DATA_DIR:-.trellis}"; \
	if [ -z "$$TRELLIS_DATA_KEY$$TRELLIS_DATA_KEY_FILE" ] && [ ! -s "$$dir/data.key" ]; then \
		mkdir -p "$$dir" && (umask 077 && $(TRELLIS) new-data-key > "$$dir/data.key") && \
		echo "Created a development data key in $$dir/data.key (keep it: it opens the payout details)"; \
	fi

## dev: rebuild and restart on every change
## cargo-leptos 0.3.8 puts content hashes in file names on full builds only, not on watch's
## rebuilds, so watch uses plain names (served no-cache) and no hash.txt.
dev: deps-build
	@rm -f "$(TARGET_DIR)/debug/hash.txt"
	LEPTOS_HASH_FILES=false cargo leptos watch

## test: unit, property, database, HTTP and browser tests, and the release build's page weight
test: deps-test
	@.ci/test-all "$(TRELLIS)" "$(TEST_DATA)" "$(TARGET_DIR)/release/trellis"

## release: the optimized build to deploy: $(TARGET_DIR)/release/trellis with hash.txt beside it
## (the content-hashed file names the pages load) and target/site with .br and .gz copies of
## every file. The Dockerfile runs exactly this.
release: deps-release
	cargo leptos build --release --precompress

## bench: commission, redirect and conversion benchmarks plus a 100-cycle SIGKILL run; writes docs/benchmarks.md
bench: deps-build
	@bench/run "$(TARGET_DIR)/release/trellis"

## soak: SOAK_MINUTES (20) of mixed load through two release-build instances on one database, then
## a check that every acknowledged write is stored; writes the Soak section of docs/benchmarks.md
soak: deps-build
	@bench/soak "$(TARGET_DIR)/release/trellis"

## bench-commissions: only the commission benchmarks (a few minutes); rewrites their section of docs/benchmarks.md
bench-commissions: deps-build
	@bench/run "$(TARGET_DIR)/release/trellis" commissions

## bench-conversions: only the conversion ingest runs (B4 spread, hot partner empty and full); prints them, writes nothing
bench-conversions: deps-build
	@bench/run "$(TARGET_DIR)/release/trellis" conversions

## bench-payouts: only the payout run over 10,000 partners and 1,000,000 entries; rewrites its section of docs/benchmarks.md
bench-payouts: deps-build
	@bench/run "$(TARGET_DIR)/release/trellis" payouts

## bench-tiers: only the tier evaluation over 10,000 partners and 10 million clicks of rollups; rewrites its section of docs/benchmarks.md
bench-tiers: deps-build
	@bench/run "$(TARGET_DIR)/release/trellis" tiers

## bench-creatives: only the gallery with 500 creatives, the cached image's 304 and the creative redirect; rewrites their section of docs/benchmarks.md
bench-creatives: deps-build
	@bench/run "$(TARGET_DIR)/release/trellis" creatives

## bench-redirects: only B1 and B2 (the durable redirect) at 64, 128 and 256 connections; prints them, writes nothing
bench-redirects: deps-build
	@bench/run "$(TARGET_DIR)/release/trellis" redirects

## bench-deals: only the deal registration and pipeline report benchmarks; rewrites their section of docs/benchmarks.md
bench-deals: deps-build
	@bench/run "$(TARGET_DIR)/release/trellis" deals

## bench-dashboards: only the dashboards over 10 million clicks; rewrites their section of docs/benchmarks.md
bench-dashboards: deps-build
	@bench/run "$(TARGET_DIR)/release/trellis" dashboards

build:
	cargo leptos build

## fmt: format Rust code, and the view! markup with leptosfmt when it is installed
fmt:
	@command -v leptosfmt >/dev/null && leptosfmt --quiet --max-width 120 app/src || echo "leptosfmt not installed (cargo install leptosfmt): view! markup left as is"
	cargo fmt --all

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p app --lib --no-default-features --features hydrate --target wasm32-unknown-unknown -- -D warnings

deps: deps-build deps-test

## Tools to build: the wasm target, cargo-leptos and the wasm-bindgen CLI that matches Cargo.lock,
## and PostgreSQL's server programs (for the private database).
deps-build:
	@.ci/install-deps build "$(CARGO_LEPTOS_VERSION)" "$(WASM_BINDGEN_VERSION)" "$(BINARYEN_VERSION)"

## Tools to build for release: the above without PostgreSQL, plus wasm-opt (binaryen, from npm).
deps-release:
	@.ci/install-deps release "$(CARGO_LEPTOS_VERSION)" "$(WASM_BINDGEN_VERSION)" "$(BINARYEN_VERSION)"

## Tools to test as well (the tests include the release build): Chromium, an SMTP server (aiosmtpd) and Playwright.
deps-test:
	@.ci/install-deps test "$(CARGO_LEPTOS_VERSION)" "$(WASM_BINDGEN_VERSION)" "$(BINARYEN_VERSION)"
