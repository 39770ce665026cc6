#!/usr/bin/env bash
# Regenerates the committed screenshots in docs/screenshots/ by driving the
# real app through the end-to-end journey (a normal test run writes its
# screenshots to test-output/screenshots/ instead). Builds the app first
# unless --no-build is given.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
cd "$REPO_ROOT"

if [ "${1-}" != "--no-build" ]; then
  install_system_packages
  check_toolchains
  install_node_dependencies
  install_tauri_driver
  npx tauri build --debug --no-bundle
fi

env -u DISPLAY -u WAYLAND_DISPLAY REGULARS_SCREENSHOTS=docs node --test --test-reporter=spec tests/e2e/
echo "screenshots written to docs/screenshots/:"
ls -1 docs/screenshots/
