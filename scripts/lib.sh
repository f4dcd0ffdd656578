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
