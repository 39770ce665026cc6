#!/usr/bin/env bash
# Measures the app's memory against the floor, a bare Tauri 2 window on the
# same WebKitGTK (docs/benchmarks.md, "Memory"):
#
#   bash scripts/measure-memory.sh [debug|release]   (default: release)
#
# Builds the app (embedded front end, as shipped), the `regulars` CLI (it
# fills the database with the demo shop) and a bare window in
# /tmp/regulars-bare-window: the tauri crate at this repository's Cargo.lock
# version with the same profile settings, an empty index.html and a window
# of the app's size. Then scripts/measure-memory.mjs starts each under Xvfb
# through tauri-driver (as tests/e2e does) and sums the proportional set size
# (Pss in /proc/PID/smaps_rollup) of the program and all its descendants
# (WebKit's web and network processes). MEASURE_RUNS (default 3) runs of
# each; the median is reported. SKIP_BUILD=1 measures what is built.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
cd "$REPO_ROOT"

profile="${1:-release}"
case "$profile" in
  debug) profile_args=(--debug) cargo_args=() ;;
  release) profile_args=() cargo_args=(--release) ;;
  *)
    echo "usage: $0 [debug|release]" >&2
    exit 2
    ;;
esac
target_dir="${CARGO_TARGET_DIR:-$REPO_ROOT/target}"

install_tauri_driver

bare="${BARE_WINDOW_DIR:-/tmp/regulars-bare-window}"
make_bare_window() {
  local tauri_version tauri_build_version
  tauri_version="$(awk '/^name = "tauri"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)"
  tauri_build_version="$(awk '/^name = "tauri-build"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)"
  rm -rf "$bare/src" "$bare/dist"
  mkdir -p "$bare/src" "$bare/dist" "$bare/icons"
  cp icons/icon.png icons/32x32.png icons/128x128.png "$bare/icons/"
  # The same versions of every shared crate: start from this lock file.
  cp Cargo.lock "$bare/Cargo.lock"
  cat >"$bare/Cargo.toml" <<EOF
# A bare Tauri 2 window: the memory floor of any Tauri app on this WebKitGTK.
[package]
name = "regulars-bare-window"
version = "0.1.0"
edition = "2021"

[build-dependencies]
tauri-build = "=$tauri_build_version"

[dependencies]
tauri = "=$tauri_version"

# As the app's own (the root Cargo.toml).
[profile.dev]
debug = "line-tables-only"

[profile.dev.package."*"]
opt-level = 1
debug = false
EOF
  cat >"$bare/build.rs" <<'EOF'
fn main() {
    tauri_build::build();
}
EOF
  cat >"$bare/src/main.rs" <<'EOF'
fn main() {
    tauri::Builder::default().run(tauri::generate_context!()).expect("the bare window");
}
EOF
  cat >"$bare/dist/index.html" <<'EOF'
<!doctype html>
<html><head><meta charset="utf-8"><title>bare</title></head><body></body></html>
EOF
  cat >"$bare/tauri.conf.json" <<'EOF'
{
  "productName": "bare-window",
  "version": "0.1.0",
  "identifier": "app.regulars.bare-window",
  "build": { "frontendDist": "dist" },
  "app": {
    "windows": [{ "label": "main", "title": "bare", "width": 1280, "height": 800 }],
    "security": { "csp": null }
  },
  "bundle": { "active": false, "icon": ["icons/32x32.png", "icons/128x128.png", "icons/icon.png"] }
}
EOF
}

if [ -z "${SKIP_BUILD:-}" ]; then
  install_node_dependencies
  echo "==> the app ($profile)"
  npx tauri build "${profile_args[@]}" --no-bundle
  echo "==> the regulars CLI ($profile)"
  bash scripts/stage-cli.sh "$profile"
  echo "==> a bare Tauri window in $bare ($profile)"
  make_bare_window
  # The shared target folder reuses the crates both builds have in common.
  (cd "$bare" && CARGO_TARGET_DIR="$target_dir" cargo build "${cargo_args[@]}" --features tauri/custom-protocol)
fi

export MEASURE_APP="$target_dir/$profile/regulars-desktop"
export MEASURE_BARE="$target_dir/$profile/regulars-bare-window"
export MEASURE_CLI="$REPO_ROOT/target/cli-staged/regulars"
export REGULARS_APP_BINARY="$MEASURE_APP"
export MEASURE_PROFILE="$profile"
env -u DISPLAY -u WAYLAND_DISPLAY node scripts/measure-memory.mjs
