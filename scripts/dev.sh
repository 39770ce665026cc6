#!/usr/bin/env bash
# One command for a fresh Debian/Ubuntu machine: installs what is missing and
# starts the app in development mode (Vite with hot reload + the Tauri shell)
# on the default database (REGULARS_DB overrides it).
set -euo pipefail
source "$(dirname "$0")/setup.sh"
cd "$REPO_ROOT"

install_system_packages
check_toolchains
install_node_dependencies

echo "==> npx tauri dev (database: ${REGULARS_DB:-the default location})"
exec npx tauri dev "$@"
