#!/usr/bin/env bash
# One command that installs everything needed and runs every test: Rust
# format, lints and tests; the UI's unit tests and type check; then the real
# app (built with the embedded front end) driven end to end under Xvfb.
# Runs every step, prints a summary, and exits non-zero if any step failed.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
cd "$REPO_ROOT"

install_system_packages
check_toolchains
install_node_dependencies
install_tauri_driver

# On CI's fresh clone incremental caches only cost disk (CI once ran out of
# it while linking); at a desk they speed up the next run.
if [ -n "${CI:-}" ]; then
  export CARGO_INCREMENTAL=0
fi

disk_report() {
  echo "disk: $(df -h --output=avail "$REPO_ROOT" | tail -1 | tr -d ' ') free"
}
disk_report

FAILED=()
PASSED=()

step() {
  local name="$1"
  shift
  echo
  echo "==> $name"
  local started=$SECONDS
  if "$@"; then
    PASSED+=("$name ($((SECONDS - started))s)")
  else
    echo "!!! $name failed" >&2
    FAILED+=("$name")
  fi
}

# `cargo test` regenerates ui/src/lib/bindings from the core's types (ts-rs);
# a difference from the committed files means the UI's contract drifted.
bindings_are_current() {
  local changes
  changes="$(git status --porcelain -- ui/src/lib/bindings)"
  if [ -n "$changes" ]; then
    echo "ui/src/lib/bindings differs from the Rust types; run cargo test and commit:" >&2
    echo "$changes" >&2
    return 1
  fi
}

build_app() {
  # A plain `cargo build` would point the app at the dev server; the Tauri
  # CLI builds ui/ first and embeds ui/dist.
  npx tauri build --debug --no-bundle
}

run_e2e() {
  if [[ " ${FAILED[*]-} " == *" build the app "* ]]; then
    echo "skipped: the app did not build" >&2
    return 1
  fi
  # The harness starts its own Xvfb when DISPLAY is unset.
  env -u DISPLAY -u WAYLAND_DISPLAY node --test --test-reporter=spec tests/e2e/
}

step "cargo fmt" cargo fmt --all -- --check
step "cargo clippy" cargo clippy --workspace --all-targets --locked -- -D warnings
step "cargo test" cargo test --workspace --locked --no-fail-fast
step "TypeScript bindings match the Rust types" bindings_are_current
step "ui unit tests" npm --prefix ui test
step "ui type check" npm --prefix ui run check
step "build the app" build_app
step "end-to-end tests" run_e2e

echo
echo "==> summary"
disk_report
for name in "${PASSED[@]}"; do echo "ok   $name"; done
for name in "${FAILED[@]+"${FAILED[@]}"}"; do echo "FAIL $name"; done
echo "steps: ${#PASSED[@]} passed, ${#FAILED[@]} failed"
if [ "${#FAILED[@]}" -gt 0 ]; then
  echo "${#FAILED[@]} step(s) failed" >&2
  exit 1
fi
echo "all ${#PASSED[@]} steps passed"
