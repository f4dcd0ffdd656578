# Shared by scripts/run, scripts/test and bench/: install what is missing,
# build, and manage a local redis-server. Source it; do not run it.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JOBS="${JOBS:-2}"

# Build and runtime dependencies, by Debian 12 package name. Boost is pinned
# to 1.81 through the versioned packages (the unversioned ones are 1.74).
PACKAGES=(
    cmake g++ make pkg-config
    libboost1.81-dev libboost-json1.81-dev libboost-test1.81-dev
    libhiredis-dev libssl-dev libmimalloc-dev redis-server redis-tools curl
    clang libclang-rt-14-dev
    python3 python3-yaml
)

say() { printf '==> %s\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs the packages not yet installed; quiet and a no-op when all are.
ensure_packages() {
    local missing=() p
    for p in "${PACKAGES[@]}" "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
            missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq >/dev/null
    as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# build_tree DIR BUILD_TYPE [cmake args...]: configure once, build with -j$JOBS.
build_tree() {
    local dir="$1" type="$2"
    shift 2
    cmake -S "$ROOT" -B "$dir" -DCMAKE_BUILD_TYPE="$type" "$@" >/dev/null
    cmake --build "$dir" -j "$JOBS" -- --no-print-directory >/dev/null ||
        cmake --build "$dir" -j 1  # again, verbosely enough to show the error
}

# redis_ping URL-or-socket: true when a redis answers PING.
redis_ping_socket() {
    redis-cli -s "$1" ping 2>/dev/null | grep -q PONG
}

# Node.js and the pinned tools of tools/contract (Redocly CLI, Ajv): node and
# npm from Debian unless some node >= 18.17 is already there (an image may
# ship its own build, which brings npm with it); then `npm ci` from the
# committed lock file, again only when the lock file changed.
ensure_node_tools() {
    local dir="$ROOT/tools/contract"
    if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number);
                  process.exit(a > 18 || (a === 18 && b >= 17) ? 0 : 1)' 2>/dev/null ||
        ! command -v npm >/dev/null; then
        ensure_packages nodejs npm
    fi
    local stamp="$dir/node_modules/.package-lock.json"
    if [ ! -f "$stamp" ] || ! cmp -s "$dir/package-lock.json" "$dir/node_modules/.lock-installed"; then
        say "installing the contract tools (npm ci in tools/contract)"
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
        cp "$dir/package-lock.json" "$dir/node_modules/.lock-installed"
    fi
}

# free_port: a TCP port on 127.0.0.1 that was free a moment ago.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
