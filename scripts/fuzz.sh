#!/usr/bin/env bash
# A fuzzing campaign: scripts/fuzz.sh HOURS builds the libFuzzer harnesses of fuzz/ (clang,
# ASan, UBSan) in build-fuzz/ and runs them one after another, each for an equal share of HOURS
# (a decimal, e.g. 0.5), under -rss_limit_mb=2048 and -timeout=10. Crashing inputs go to
# build-fuzz/findings/; per harness it prints the inputs run and the coverage (cov: edges,
# ft: features). The corpora in build-fuzz/corpus/ carry over to the next campaign.
# Exits non-zero when any harness found something; the others still run.
set -euo pipefail
source "$(dirname "$0")/common.sh"

if [ $# -ne 1 ] || ! [[ "$1" =~ ^[0-9]*\.?[0-9]+$ ]]; then
    echo "usage: scripts/fuzz.sh HOURS   (e.g. 8, or 0.25 for a quarter of an hour)" >&2
    exit 2
fi
seconds=$(awk -v h="$1" -v n="${#SPIKELAB_FUZZ_HARNESSES[@]}" 'BEGIN { s = int(h * 3600 / n); print (s < 1 ? 1 : s) }')

spikelab_install_missing
spikelab_fuzz_build
echo "== Fuzzing ${#SPIKELAB_FUZZ_HARNESSES[@]} harnesses for ${seconds} s each"
failed=()
for name in "${SPIKELAB_FUZZ_HARNESSES[@]}"; do
    spikelab_fuzz_run "$name" "$seconds" || failed+=("$name")
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "spikelab: findings in: ${failed[*]} (inputs in $SPIKELAB_FUZZ_DIR/findings/)" >&2
    exit 1
fi
