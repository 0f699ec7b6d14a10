#!/usr/bin/env bash
# Installs what is missing, builds SpikeLab (Release, all cores) and opens the workbench on the
# default project: the GeNN MNIST tutorial's network on Fashion-MNIST from Debian's package.
# Arguments go to the workbench (e.g. another project file).
set -euo pipefail
source "$(dirname "$0")/common.sh"
spikelab_install_missing
spikelab_build "$SPIKELAB_ROOT/build"
exec "$SPIKELAB_ROOT/build/app/spikelab" "$@"
