#!/usr/bin/env bash
# Installs what is missing, builds SpikeLab (Release, all cores) and runs the default
# project: the GeNN MNIST tutorial's network on Fashion-MNIST from Debian's package.
set -euo pipefail
source "$(dirname "$0")/common.sh"
spikelab_install_missing
spikelab_build "$SPIKELAB_ROOT/build"
exec "$SPIKELAB_ROOT/build/app/spikelab-cli" run \
    "$SPIKELAB_ROOT/projects/fashion-mnist-if/fashion-mnist-if.json" "$@"
