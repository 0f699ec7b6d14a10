#!/usr/bin/env bash
# A fuzzing campaign. Builds the libFuzzer harnesses of fuzz/ (clang, ASan, UBSan) in build-fuzz/
# and runs them one after another under -rss_limit_mb=2048 and -timeout=10:
#   scripts/fuzz.sh HOURS                      each harness for an equal share of HOURS (a
#                                              decimal, e.g. 0.5)
#   scripts/fuzz.sh --runs N [HARNESS ...]     each named harness (default: all) until it has
#                                              run N inputs, e.g. --runs 10000000 project lang
# Crashing inputs go to build-fuzz/findings/; per harness it prints the inputs run, the time and
# the coverage (cov: edges, ft: features). The corpora in build-fuzz/corpus/ carry over to the
# next campaign. Exits non-zero when any harness found something; the others still run.
set -euo pipefail
source "$(dirname "$0")/common.sh"

usage() {
    echo "usage: scripts/fuzz.sh HOURS                   (e.g. 8, or 0.25 for a quarter of an hour)" >&2
    echo "       scripts/fuzz.sh --runs N [HARNESS ...]  (harnesses: ${SPIKELAB_FUZZ_HARNESSES[*]})" >&2
    exit 2
}
seconds="" runs="" harnesses=("${SPIKELAB_FUZZ_HARNESSES[@]}")
if [ $# -ge 2 ] && [ "$1" = "--runs" ]; then
    [[ "$2" =~ ^[1-9][0-9]*$ ]] || { echo "scripts/fuzz.sh: --runs wants a positive whole number, not '$2'" >&2; usage; }
    runs="$2"
    shift 2
    if [ $# -gt 0 ]; then
        for name in "$@"; do
            [[ " ${SPIKELAB_FUZZ_HARNESSES[*]} " == *" $name "* ]] \
                || { echo "scripts/fuzz.sh: no harness '$name'" >&2; usage; }
        done
        harnesses=("$@")
    fi
elif [ $# -eq 1 ] && [[ "$1" =~ ^[0-9]*\.?[0-9]+$ ]]; then
    seconds=$(awk -v h="$1" -v n="${#harnesses[@]}" 'BEGIN { s = int(h * 3600 / n); print (s < 1 ? 1 : s) }')
else
    usage
fi

spikelab_install_missing
spikelab_fuzz_build
if [ -n "$runs" ]; then
    echo "== Fuzzing ${#harnesses[@]} harnesses for $runs inputs each"
else
    echo "== Fuzzing ${#harnesses[@]} harnesses for ${seconds} s each"
fi
failed=()
for name in "${harnesses[@]}"; do
    spikelab_fuzz_run "$name" "${seconds:-0}" "$runs" || failed+=("$name")
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "spikelab: findings in: ${failed[*]} (inputs in $SPIKELAB_FUZZ_DIR/findings/)" >&2
    exit 1
fi
