# Shared by start.sh, test.sh and fuzz.sh: install missing Debian packages, configure and build,
# and build and run the libFuzzer harnesses of fuzz/. desktop-file-utils, appstream and dpkg-dev
# (dpkg-shlibdeps) are for the install check and the Debian package
# (tests/install/check_install.sh). Sourced, not run.

SPIKELAB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SPIKELAB_PACKAGES=(
    cmake g++ make pkg-config
    nlohmann-json3-dev zlib1g-dev libeigen3-dev libgtest-dev
    libzip-dev libcurl4-openssl-dev libssl-dev
    qt6-base-dev qt6-charts-dev libqt6opengl6-dev qt6-svg-dev
    clang libclang-rt-14-dev libomp-dev
    dataset-fashion-mnist
    xvfb xauth
    desktop-file-utils appstream dpkg-dev
    ccache
)

# Compilations are cached (ccache) so that a rebuild, a second build folder or a fresh clone on
# the same machine recompiles only what changed. Paths are made relative to the checkout, so
# two clones share the cache.
if command -v ccache >/dev/null; then
    export CMAKE_C_COMPILER_LAUNCHER="${CMAKE_C_COMPILER_LAUNCHER:-ccache}"
    export CMAKE_CXX_COMPILER_LAUNCHER="${CMAKE_CXX_COMPILER_LAUNCHER:-ccache}"
    export CMAKE_CUDA_COMPILER_LAUNCHER="${CMAKE_CUDA_COMPILER_LAUNCHER:-ccache}"
    export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$SPIKELAB_ROOT}"
    export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-true}"
    # Fixed here: test.sh points XDG_CACHE_HOME into the build folder, where ccache would
    # otherwise keep a cache that every fresh clone starts without.
    export CCACHE_DIR="${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ccache}"
fi

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

# ---- ThreadSanitizer (README "Tests") -------------------------------------------------------

SPIKELAB_TSAN_DIR="$SPIKELAB_ROOT/build-tsan"
# The ui tests whose threads TSan watches, each with the test functions to run ("" = all): the
# simulation thread (commands, frames, shutdown, a run that fails mid-way, a model swapped in
# while it runs, in the whole window) and the sweep and training dialogs' job threads (a job
# started, posting its points, cancelled, and joined when the dialog closes). The dialogs'
# comparisons with the command-line tool are left out: they fork a process that already has
# threads, which TSan does not support; so is a whole training epoch, which under TSan outlasts
# the test's time limit.
SPIKELAB_TSAN_TESTS=(
    "simulation_controller:"
    "survival:"
    "model_editing:"
    "sweep_dialog:cancelStopsEarly closingMidSweepCancelsAndJoins exportsHoldThePlotAndTheNumbers"
    "train_dialog:cancelAndCloseLeaveTheFilesUntouched"
)

# Builds the tests above with -fsanitize=thread (engine and ui too) into build-tsan/, without
# CUDA. -O1 keeps TSan's stack traces exact and the build short.
spikelab_tsan_build() {
    local targets=() entry
    for entry in "${SPIKELAB_TSAN_TESTS[@]}"; do targets+=("ui_test_${entry%%:*}"); done
    spikelab_build "$SPIKELAB_TSAN_DIR" -DSPIKELAB_TSAN=ON -DSPIKELAB_CUDA=OFF -DSPIKELAB_BUILD_BENCH=OFF \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g" -- "${targets[@]}"
}

# Runs them offscreen; any TSan report fails the test (halt_on_error) and so the run. Reports
# from inside uninstrumented system libraries are suppressed by tests/tsan.supp. OpenMP runs
# one thread (OMP_THREAD_LIMIT): libgomp's barriers are invisible to TSan, so every parallel
# region would be reported; the engine's OpenMP and Eigen threads start and end within one call
# and are tested by comparing 1 thread with N (tests/engine/).
spikelab_tsan_run() {
    local entry name functions failed=()
    for entry in "${SPIKELAB_TSAN_TESTS[@]}"; do
        name="${entry%%:*}" functions="${entry#*:}"
        # shellcheck disable=SC2086 # the function names are words
        if ! QT_QPA_PLATFORM=offscreen OMP_THREAD_LIMIT=1 \
            TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$SPIKELAB_ROOT/tests/tsan.supp" \
            "$SPIKELAB_TSAN_DIR/tests/ui_test_$name" $functions >"$SPIKELAB_TSAN_DIR/ui_test_$name.log" 2>&1; then
            failed+=("$name")
            echo "spikelab: ui_test_$name failed under ThreadSanitizer:" >&2
            grep -m 1 -A 30 -E 'WARNING: ThreadSanitizer|^FAIL!' "$SPIKELAB_TSAN_DIR/ui_test_$name.log" >&2 ||
                tail -n 30 "$SPIKELAB_TSAN_DIR/ui_test_$name.log" >&2
        else
            grep -h '^Totals' "$SPIKELAB_TSAN_DIR/ui_test_$name.log" | sed "s/^/ui_test_$name: /"
        fi
    done
    [ ${#failed[@]} -eq 0 ]
}

# ---- fuzzing (fuzz/, README "Fuzzing") -------------------------------------------------------

SPIKELAB_FUZZ_DIR="$SPIKELAB_ROOT/build-fuzz"
SPIKELAB_FUZZ_HARNESSES=(project npy idx nmnist_bin nmnist_zip blocklist lang)

# Builds every harness with clang, libFuzzer, ASan and UBSan into build-fuzz/. -O1 with line
# tables only, as libFuzzer's documentation suggests: stack traces keep file and line while the
# build stays short (about 3 CPU minutes for the whole engine), which counts in CI. Without
# -march=native, so that a corpus or a finding replays on any x86-64 machine alike.
spikelab_fuzz_build() {
    CC=clang CXX=clang++ spikelab_build "$SPIKELAB_FUZZ_DIR" -DSPIKELAB_FUZZ=ON -DSPIKELAB_ENGINE_ONLY=ON \
        -DSPIKELAB_CUDA=OFF -DSPIKELAB_BUILD_BENCH=OFF -DSPIKELAB_BUILD_TESTS=OFF \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only" \
        -DSPIKELAB_NATIVE=OFF -- fuzz_all
}

# Collects the seeds of harness $1 into build-fuzz/seeds/$1 (rebuilt each time): the checked-in
# ones, the shipped projects, and a few files of the shared data sets when ../shared/data exists.
# The real data is read from there, never copied into the repository.
spikelab_fuzz_seeds() {
    local name="$1" seeds="$SPIKELAB_FUZZ_DIR/seeds/$1" shared="$SPIKELAB_ROOT/../shared/data"
    rm -rf "$seeds" && mkdir -p "$seeds"
    cp "$SPIKELAB_ROOT/fuzz/corpus/$name/"* "$seeds/" 2>/dev/null || true
    case "$name" in
    project) cp "$SPIKELAB_ROOT"/projects/*/*.json "$seeds/" ;;
    lang) cp "$SPIKELAB_ROOT"/engine/models/*.json "$SPIKELAB_ROOT"/engine/models/*/*.json "$seeds/" ;;  # the built-in declarations
    npy) cp "$SPIKELAB_ROOT"/projects/*/*.npy "$seeds/" 2>/dev/null || true ;;
    idx)
        if [ -f "$shared/mnist/t10k-images-idx3-ubyte.gz" ]; then
            cp "$shared/mnist/t10k-labels-idx1-ubyte.gz" "$seeds/" 2>/dev/null || true
            # Two real images: the header with the count changed to 2, then 2 x 784 bytes.
            { printf '\x00\x00\x08\x03\x00\x00\x00\x02\x00\x00\x00\x1c\x00\x00\x00\x1c'
              (set +o pipefail; gzip -dc "$shared/mnist/t10k-images-idx3-ubyte.gz" | tail -c +17 | head -c 1568)
            } > "$seeds/t10k-images-first2-idx3-ubyte"
            gzip -nc "$seeds/t10k-images-first2-idx3-ubyte" > "$seeds/t10k-images-first2-idx3-ubyte.gz"
        fi ;;
    nmnist_bin)
        if [ -d "$shared/nmnist/Test" ]; then
            find "$shared/nmnist/Test" -name '*.bin' | sort | head -n 3 | while read -r f; do
                cp "$f" "$seeds/$(basename "$(dirname "$f")")-$(basename "$f")"
            done
        fi ;;
    blocklist)
        [ -f "$shared/nmnist/NMNIST_pixels_blocklist.txt" ] && cp "$shared/nmnist/NMNIST_pixels_blocklist.txt" "$seeds/"
        ;;
    esac
}

# spikelab_fuzz_run HARNESS SECONDS [RUNS]: runs one harness on its corpus (build-fuzz/corpus/
# HARNESS, which keeps what it learns between runs) and its seeds for SECONDS, or, when RUNS is
# given, until it has run RUNS inputs (SECONDS is then ignored), writing crashing inputs to
# build-fuzz/findings/; prints the inputs run, the time and the coverage. Returns non-zero on a
# finding.
spikelab_fuzz_run() {
    local name="$1" seconds="$2" runs_wanted="${3:-}" dict=() limit
    if [ -n "$runs_wanted" ]; then limit="-runs=$runs_wanted"; else limit="-max_total_time=$seconds"; fi
    local corpus="$SPIKELAB_FUZZ_DIR/corpus/$name" findings="$SPIKELAB_FUZZ_DIR/findings"
    local log="$SPIKELAB_FUZZ_DIR/logs/$name.log"
    mkdir -p "$corpus" "$findings" "$(dirname "$log")"
    spikelab_fuzz_seeds "$name"
    [ -f "$SPIKELAB_ROOT/fuzz/$name.dict" ] && dict=(-dict="$SPIKELAB_ROOT/fuzz/$name.dict")
    # The harnesses that read a file write each input to their scratch folder under TMPDIR:
    # in memory (/dev/shm) they run some ten times faster than on a busy disk.
    local tmp="${TMPDIR:-/tmp}"
    [ -d /dev/shm ] && [ -w /dev/shm ] && tmp=/dev/shm
    local status=0 started=$SECONDS
    # Leaks are findings too (detect_leaks).
    TMPDIR="$tmp" ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=0" UBSAN_OPTIONS="print_stacktrace=1" \
        "$SPIKELAB_FUZZ_DIR/fuzz/fuzz_$name" "${dict[@]}" "$limit" \
        -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 -artifact_prefix="$findings/$name-" \
        "$corpus" "$SPIKELAB_FUZZ_DIR/seeds/$name" >"$log" 2>&1 || status=$?
    local runs cov ft
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 || true)
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -n 1 || true)
    printf '%-12s %12s inputs in %6s s  %-11s %-11s corpus %s files\n' "$name" "${runs:-?}" \
        "$((SECONDS - started))" "${cov:-cov: ?}" "${ft:-ft: ?}" "$(find "$corpus" -type f | wc -l)"
    if [ "$status" -ne 0 ]; then
        echo "spikelab: fuzz_$name found a problem (exit $status); the input is in $findings/, the" \
             "report in $log:" >&2
        grep -m 1 -A 12 -E '^==[0-9]+==|runtime error|terminate called|Deadly signal|ERROR: libFuzzer' "$log" >&2 || tail -n 30 "$log" >&2
        return 1
    fi
}
