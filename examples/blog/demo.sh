#!/usr/bin/env bash
# README's main-job command: autogen end to end on a throwaway copy of this example.
# Needs Rust and the PostgreSQL server binaries (initdb, postgres); no database to configure:
# with no URL set, autogen starts an ephemeral cluster and applies the migration crate to it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

cargo build --quiet --manifest-path "$repo/Cargo.toml" --bin autogen
autogen="$repo/target/debug/autogen"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$here/entity" "$here/migration" "$here/autogen.toml" "$here/Cargo.toml" "$here/Cargo.lock" "$work/"
# One shared target dir: the migration crate's dependencies are compiled once (the first run
# takes a few minutes), then every run only relinks it.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target/e2e-example}"
unset BLOG_DATABASE_URL
cd "$work"
# Cargo tells path crates apart by their path inside their workspace, the same in every copy:
# a name of its own keeps this copy's migration binary apart from the tests' copies.
sed -i '0,/^name = "migration"$/s//name = "migration_demo"/' migration/Cargo.toml

step "autogen check   # the entities declare posts, comments, tags; the migrations create only users"
code=0
"$autogen" check || code=$?
[ "$code" -eq 1 ] || { echo "expected drift (exit 1), got exit $code" >&2; exit 1; }
echo "(exit 1: drift)"

step "autogen diff --format sql"
"$autogen" diff --format sql

step "autogen revision -m \"create blog tables\""
"$autogen" revision -m "create blog tables"

step "cat migration/src/m*_create_blog_tables.rs"
cat migration/src/m*_create_blog_tables.rs

step "diff -u migration/src/lib.rs   # the Migrator keeps its comments and marker"
diff -u "$here/migration/src/lib.rs" migration/src/lib.rs || true

step "autogen check   # the new migration is applied to a fresh ephemeral cluster"
"$autogen" check
echo "(exit 0: in sync)"
