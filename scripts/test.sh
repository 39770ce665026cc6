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
  # CLI builds ui/ first and embeds ui/dist. The same debug build is packed
  # into the .deb (with the CLI, scripts/stage-cli.sh) that check_package
  # reads: one build for the end-to-end tests and the package.
  rm -rf "$DEB_DIR"
  npx tauri build --debug --bundles deb
}

# The .deb as a shop installs it: what it depends on and recommends, and
# that it carries the app and a `regulars` CLI that starts.
DEB_DIR="${CARGO_TARGET_DIR:-$REPO_ROOT/target}/debug/bundle/deb"
check_package() {
  if [[ " ${FAILED[*]-} " == *" build the app "* ]]; then
    echo "skipped: the app did not build" >&2
    return 1
  fi
  local debs=("$DEB_DIR"/*.deb)
  if [ ! -f "${debs[0]}" ] || [ "${#debs[@]}" -ne 1 ]; then
    echo "expected one .deb in $DEB_DIR, found: ${debs[*]}" >&2
    return 1
  fi
  local deb="${debs[0]}" ok=0
  echo "$(basename "$deb"): $(du -h "$deb" | cut -f1)"
  dpkg-deb -f "$deb" Package Version Depends Recommends
  # Receipts and the Chinese UI need the CJK font; printing needs CUPS's lp.
  dpkg-deb -f "$deb" Depends | tr ',' '\n' | grep -qx ' *fonts-noto-cjk *' ||
    { echo "Depends lacks fonts-noto-cjk" >&2; ok=1; }
  dpkg-deb -f "$deb" Recommends | tr ',' '\n' | grep -qx ' *cups-client *' ||
    { echo "Recommends lacks cups-client" >&2; ok=1; }
  local packed
  packed="$(dpkg-deb -c "$deb" | awk '$1 ~ /^-/ { sub(/^\.\//, "", $6); print $1, $6 }')"
  for file in usr/bin/regulars usr/bin/regulars-desktop; do
    grep -qxF -- "-rwxr-xr-x $file" <<<"$packed" || { echo "the package lacks the program $file" >&2; ok=1; }
  done
  grep -q ' usr/share/applications/.*\.desktop$' <<<"$packed" || { echo "the package lacks a menu entry" >&2; ok=1; }
  # The CLI as packed: it starts and names its version, and works on a database.
  local unpacked
  unpacked="$(mktemp -d)"
  dpkg-deb -x "$deb" "$unpacked"
  "$unpacked/usr/bin/regulars" --version | grep -qx "regulars $(dpkg-deb -f "$deb" Version)" ||
    { echo "the packed regulars CLI does not report the package's version" >&2; ok=1; }
  REGULARS_DB="$unpacked/check.db" "$unpacked/usr/bin/regulars" init --name "Package check" >/dev/null &&
    REGULARS_DB="$unpacked/check.db" "$unpacked/usr/bin/regulars" audit ||
    { echo "the packed regulars CLI cannot open a database" >&2; ok=1; }
  rm -rf "$unpacked"
  return "$ok"
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
step "the .deb package" check_package
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
