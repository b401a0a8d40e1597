# obby's tasks. `make ci` is what CI runs (.ci/run); `make test` runs the whole suite.

CARGO ?= cargo
BIN := target/release/obby
DEBUG_BIN := target/debug/obby

.PHONY: build run test fmt fmt-check clippy doc completions man generated check-generated \
        bench bench-track bench-watch bench-query bench-search bench-dbdiag bench-deps bench-serve \
        bench-import install ci pg-install

build:
	$(CARGO) build --release --locked

# The main job on an embedded default: a store in this checkout (.obby/ is git-ignored), the
# tree recorded, the newest versions listed.
run: build
	@test -d .obby || $(BIN) init
	$(BIN) track
	$(BIN) log --limit 10

test: pg-install
	$(CARGO) test --locked --all-targets
	$(CARGO) test --locked --doc

# PostgreSQL binaries for the db-diag tests, which start a throw-away cluster themselves.
pg-install:
	@scripts/pg-test.sh install || echo "warning: PostgreSQL is not installable here; the db-diag PostgreSQL tests will SKIP"

fmt:
	$(CARGO) fmt --all

fmt-check:
	$(CARGO) fmt --all -- --check

clippy:
	$(CARGO) clippy --locked --all-targets -- -D warnings

doc:
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --locked --no-deps

completions:
	$(CARGO) run --locked --quiet -- generate completions completions

man:
	$(CARGO) run --locked --quiet -- generate man man

generated: completions man

# Regenerates completions and man pages into a temp dir and fails when the checked-in ones drift.
check-generated:
	@tmp=$$(mktemp -d) && \
	$(CARGO) run --locked --quiet -- generate completions $$tmp/completions && \
	$(CARGO) run --locked --quiet -- generate man $$tmp/man && \
	diff -r completions $$tmp/completions && diff -r man $$tmp/man && \
	rm -rf $$tmp && echo "completions and man pages are up to date"

bench: bench-track bench-query bench-search bench-dbdiag bench-deps bench-watch bench-serve bench-import

bench-track: build
	benches/track.sh

bench-watch: build
	benches/watch.sh

bench-query: build
	benches/query.sh

bench-search: build
	benches/search.sh

bench-dbdiag: build
	benches/dbdiag.sh

bench-deps: build
	benches/deps.sh

bench-serve: build
	benches/serve.sh

bench-import: build
	benches/import.sh

install:
	$(CARGO) install --locked --path .

ci: fmt-check clippy test doc check-generated
