#!/usr/bin/env bash
# Installs what building and testing Regulars needs on Debian/Ubuntu:
# system packages (only the missing ones), the Rust components, and the
# npm dependencies of the root (Tauri CLI) and of ui/. Sourced by dev.sh
# and test.sh; safe to run again.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

APT_PACKAGES=(
  # Tauri 2 on Linux
  libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev
  libssl-dev pkg-config build-essential file curl
  # Running the real app headless, and driving it
  xvfb xauth webkit2gtk-driver
  # Chinese text in the app and in receipts; PDF checks; icons and screenshots
  fonts-noto-cjk poppler-utils imagemagick
)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "error: need root (or sudo) to run: $*" >&2
    return 1
  fi
}

install_system_packages() {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "warning: not a Debian/Ubuntu system; install the Tauri 2 prerequisites yourself" >&2
    return 0
  fi
  local missing=()
  for package in "${APT_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q '^install ok installed$'; then
      missing+=("$package")
    fi
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "==> apt-get install ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
}

check_toolchains() {
  local tool
  for tool in cargo node npm; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "error: $tool is not installed (Rust via rustup, Node.js 20.19+ with npm)" >&2
      return 1
    fi
  done
  if command -v rustup >/dev/null 2>&1; then
    local installed
    installed="$(rustup component list --installed 2>/dev/null || true)"
    for component in rustfmt clippy; do
      if ! grep -q "^${component}" <<<"$installed"; then
        echo "==> rustup component add $component"
        rustup component add "$component"
      fi
    done
  fi
}

# npm ci, skipped when node_modules already matches the lock file.
npm_ci_if_needed() {
  local dir="$1"
  if [ -f "$dir/node_modules/.package-lock.json" ] && [ "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]; then
    return 0
  fi
  echo "==> npm ci in ${dir#"$REPO_ROOT"}/"
  (cd "$dir" && npm ci --no-audit --no-fund)
}

install_node_dependencies() {
  npm_ci_if_needed "$REPO_ROOT"
  npm_ci_if_needed "$REPO_ROOT/ui"
}

install_tauri_driver() {
  export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
  if ! command -v tauri-driver >/dev/null 2>&1; then
    echo "==> cargo install tauri-driver --locked"
    cargo install tauri-driver --locked
  fi
}
