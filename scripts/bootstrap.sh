# Shared set-up for scripts/serve and scripts/test. Sourced, not run.
# Installs uv into .tools/, then the locked dependencies into .venv/, then builds the
# dashboard and widget if their build output is missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
UV_VERSION="0.13.8"
export UV_PYTHON_DOWNLOADS=never UV_LINK_MODE=copy

find_python() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  echo "Parley needs Python 3.11 or newer." >&2; return 1
}

ensure_uv() {
  if [ ! -x .tools/bin/uv ] || [ "$(.tools/bin/uv --version | cut -d' ' -f2)" != "$UV_VERSION" ]; then
    echo "==> installing uv $UV_VERSION into .tools/"
    "$(find_python)" -m venv .tools
    .tools/bin/python -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
  fi
}

# $@: extra arguments for `uv sync` (e.g. --no-dev).
sync_python() {
  ensure_uv
  echo "==> installing Python dependencies (uv.lock) into .venv/"
  # Bytecode is compiled at install: with no .pyc files (or PYTHONDONTWRITEBYTECODE set) every
  # start would compile ~14k modules from source again, doubling start-up time.
  .tools/bin/uv sync --frozen --extra piper --python "$(find_python)" --quiet --compile-bytecode "$@"
  .venv/bin/python -m compileall -q src >/dev/null
}

build_frontend() {
  for app in web widget; do
    if [ -f "$app/package.json" ] && [ ! -f "$app/dist/.built" ] && [ ! -f "$app/out/.built" ]; then
      command -v npm >/dev/null || { echo "Node.js 20 + npm are needed to build $app/." >&2; return 1; }
      echo "==> building $app/"
      (cd "$app" && npm ci --no-audit --no-fund --loglevel=error && npm run build)
    fi
  done
}

# Browser tests drive Debian's Chromium (Playwright's own browser download can't be used here).
ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then return 0; fi
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing Chromium (Debian package) for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
      || echo "Chromium could not be installed: browser tests will be skipped." >&2
  else
    echo "No /usr/bin/chromium and no root to install it: browser tests will be skipped." >&2
  fi
}

# The cross-browser smoke test drives Debian's firefox-esr through puppeteer-core (no browser download).
ensure_firefox() {
  if [ -x /usr/bin/firefox-esr ]; then return 0; fi
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing firefox-esr (Debian package) for the cross-browser widget test"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq firefox-esr >/dev/null \
      || echo "firefox-esr could not be installed: the Firefox widget test will be skipped." >&2
  else
    echo "No /usr/bin/firefox-esr and no root to install it: the Firefox widget test will be skipped." >&2
  fi
}
