#!/usr/bin/env bash
# Puts the `regulars` CLI where the .deb takes it from (tauri.conf.json:
# bundle > linux > deb > files maps /usr/bin/regulars to
# target/cli-staged/regulars). Run by the Tauri CLI as beforeBundleCommand,
# after it built the app and before it packs the bundle: the CLI is built in
# the same profile as the app (TAURI_ENV_DEBUG=true for `tauri build --debug`)
# and for the same target. Also runnable by hand: `bash scripts/stage-cli.sh
# [debug|release]`.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

profile="${1:-}"
if [ -z "$profile" ]; then
  if [ "${TAURI_ENV_DEBUG:-false}" = "true" ]; then profile=debug; else profile=release; fi
fi
case "$profile" in
  debug) profile_args=() ;;
  release) profile_args=(--release) ;;
  *)
    echo "usage: $0 [debug|release]" >&2
    exit 2
    ;;
esac

# Only a cross build names its target: `--target` with the host's own triple
# would build everything again into target/<triple>/.
target_args=()
target_dir="${CARGO_TARGET_DIR:-$REPO_ROOT/target}"
host="$(rustc -vV | sed -n 's/^host: //p')"
if [ -n "${TAURI_ENV_TARGET_TRIPLE:-}" ] && [ "$TAURI_ENV_TARGET_TRIPLE" != "$host" ]; then
  target_args=(--target "$TAURI_ENV_TARGET_TRIPLE")
  target_dir="$target_dir/$TAURI_ENV_TARGET_TRIPLE"
fi

# Built beside the desktop package, with the feature the Tauri CLI gives it,
# so cargo resolves the crates' features as for the app just built and reuses
# them: `-p regulars` alone resolves them differently and rebuilt some 40
# crates (14 minutes on a busy 2-core machine) for one link.
echo "==> cargo build --bin regulars (${profile}, the app's features)"
cargo build --locked -p regulars-desktop -p regulars --bin regulars --features tauri/custom-protocol \
  "${profile_args[@]}" "${target_args[@]}"

staged="$REPO_ROOT/target/cli-staged"
mkdir -p "$staged"
install -m 0755 "$target_dir/$profile/regulars" "$staged/regulars"
# The package must not carry a CLI that does not start.
"$staged/regulars" --version
