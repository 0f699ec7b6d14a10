#!/usr/bin/env bash
# Installs what is missing, builds everything (Release) and runs every test; then builds the
# engine, the CLI and their tests with AddressSanitizer + UndefinedBehaviorSanitizer and the
# CUDA backend on the emulated device and runs them again; then builds them without CUDA, as
# a machine without nvcc does, and runs the tests that differ there; then builds the ui tests
# of the simulation thread with ThreadSanitizer and runs them (a report fails the run); last,
# builds the libFuzzer harnesses (fuzz/) and runs each for about 15 seconds on its seeds: a
# finding fails the run.
set -euo pipefail
source "$(dirname "$0")/common.sh"
spikelab_install_missing

export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$SPIKELAB_ROOT/build/.xdg-runtime}"
export XDG_CACHE_HOME="${XDG_CACHE_HOME:-$SPIKELAB_ROOT/build/.xdg-cache}"
mkdir -p "$XDG_RUNTIME_DIR" "$XDG_CACHE_HOME" && chmod 700 "$XDG_RUNTIME_DIR"

echo "== Release build and tests"
spikelab_build "$SPIKELAB_ROOT/build"
ctest --test-dir "$SPIKELAB_ROOT/build" --output-on-failure --parallel "$(nproc)"

echo "== AddressSanitizer + UndefinedBehaviorSanitizer build of the engine, the CLI and their tests,"
echo "   with the CUDA backend's kernels on the emulated device"
spikelab_build "$SPIKELAB_ROOT/build-sanitize" -DSPIKELAB_SANITIZE=ON -DSPIKELAB_CUDA=OFF -DSPIKELAB_CUDA_EMULATION=ON \
    -DSPIKELAB_BUILD_BENCH=OFF -DSPIKELAB_ENGINE_ONLY=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo -- engine_tests cli_tests
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir "$SPIKELAB_ROOT/build-sanitize" --output-on-failure --parallel "$(nproc)"

echo "== Build without CUDA (as on a machine without nvcc) and its backend selection tests"
spikelab_build "$SPIKELAB_ROOT/build-nocuda" -DSPIKELAB_CUDA=OFF -DSPIKELAB_BUILD_BENCH=OFF -DSPIKELAB_ENGINE_ONLY=ON \
    -- engine_tests cli_tests
ctest --test-dir "$SPIKELAB_ROOT/build-nocuda" --output-on-failure --parallel "$(nproc)" -R 'Cuda|_cuda'

echo "== ThreadSanitizer build of the simulation thread's ui tests (the controller, runs that fail"
echo "   mid-way in the whole window)"
spikelab_tsan_build
spikelab_tsan_run

echo "== Fuzzing: each harness for 15 s on its seeds (scripts/fuzz.sh runs long campaigns)"
spikelab_fuzz_build
fuzz_failed=()
for name in "${SPIKELAB_FUZZ_HARNESSES[@]}"; do
    spikelab_fuzz_run "$name" 15 || fuzz_failed+=("$name")
done
if [ ${#fuzz_failed[@]} -gt 0 ]; then
    echo "spikelab: the fuzz harnesses found problems: ${fuzz_failed[*]}" >&2
    exit 1
fi
