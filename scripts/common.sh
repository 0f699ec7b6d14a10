# Shared by start.sh and test.sh: install missing Debian packages, configure and build.
# desktop-file-utils, appstream and dpkg-dev (dpkg-shlibdeps) are for the install check and the
# Debian package (tests/install/check_install.sh).
# Sourced, not run.

SPIKELAB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SPIKELAB_PACKAGES=(
    cmake g++ make pkg-config
    nlohmann-json3-dev zlib1g-dev libeigen3-dev libgtest-dev
    libzip-dev libcurl4-openssl-dev libssl-dev
    qt6-base-dev qt6-charts-dev libqt6opengl6-dev qt6-svg-dev
    dataset-fashion-mnist
    xvfb xauth
    desktop-file-utils appstream dpkg-dev
)

spikelab_install_missing() {
    local missing=()
    for pkg in "${SPIKELAB_PACKAGES[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$pkg")
        fi
    done
    if [ ${#missing[@]} -eq 0 ]; then
        return 0
    fi
    echo "spikelab: installing missing Debian packages: ${missing[*]}"
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null; then
            sudo="sudo"
        else
            echo "spikelab: need root (or sudo) to install: ${missing[*]}" >&2
            return 1
        fi
    fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# spikelab_build BUILD_DIR [cmake options...] [-- targets...]
spikelab_build() {
    local dir="$1"
    shift
    local options=() targets=()
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do options+=("$1"); shift; done
    [ "${1:-}" = "--" ] && shift
    targets=("$@")
    cmake -S "$SPIKELAB_ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=Release "${options[@]}" >/dev/null
    if [ ${#targets[@]} -gt 0 ]; then
        cmake --build "$dir" --parallel "$(nproc)" --target "${targets[@]}"
    else
        cmake --build "$dir" --parallel "$(nproc)"
    fi
}
