#!/usr/bin/env bash
# The install tree, as a desktop sees it: `cmake --install` into a temporary prefix, then
# every file the desktop and the workbench look for is there, the .desktop file and the
# AppStream metadata pass freedesktop.org's and AppStream's own validators, and the installed
# workbench, run from the prefix, opens the installed default project (not the source tree's).
# With --deb it also makes the Debian package with cpack and checks what it declares.
#
#   check_install.sh BUILD_DIR SOURCE_DIR APP_ID [--deb]
set -euo pipefail
build="$1" source="$2" id="$3" deb="${4:-}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix"
fail() { echo "install check: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" >/dev/null

expect=(bin/spikelab bin/spikelab-cli
        "share/applications/$id.desktop" "share/metainfo/$id.metainfo.xml"
        "share/icons/hicolor/scalable/apps/$id.svg"
        share/doc/spikelab/README.md share/doc/spikelab/docs/workbench.png)
for size in 48 128 256; do expect+=("share/icons/hicolor/${size}x$size/apps/$id.png"); done
# Every example project of the source tree, with its weight files.
while IFS= read -r file; do expect+=("share/spikelab/projects/${file#"$source/projects/"}"); done \
    < <(find "$source/projects" -type f)
for file in "${expect[@]}"; do
    [ -f "$prefix/$file" ] || fail "$file is not installed"
done
[ -x "$prefix/bin/spikelab" ] || fail "bin/spikelab is not executable"

desktop-file-validate "$prefix/share/applications/$id.desktop" || fail "desktop-file-validate refuses $id.desktop"
# --no-net: CI has no network; warnings fail as errors do.
appstreamcli validate --no-net "$prefix/share/metainfo/$id.metainfo.xml" >"$work/appstream.log" 2>&1 \
    || { cat "$work/appstream.log" >&2; fail "appstreamcli validate refuses $id.metainfo.xml"; }
grep -qx "Icon=$id" "$prefix/share/applications/$id.desktop" || fail "the .desktop file names another icon"
exec_binary="$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$prefix/share/applications/$id.desktop")"
[ -x "$prefix/bin/$exec_binary" ] || fail "the .desktop file runs '$exec_binary', which is not installed"

# The installed workbench, run from elsewhere, opens the default project from the prefix.
mkdir -p "$work/home" "$work/runtime" && chmod 700 "$work/runtime"
out="$(cd "$work" && HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_RUNTIME_DIR="$work/runtime" \
       QT_QPA_PLATFORM=offscreen "$prefix/bin/spikelab" --screenshot "$work/shot.png" --steps 5)" \
    || fail "the installed spikelab failed: $out"
opened="$prefix/share/spikelab/projects/fashion-mnist-if/fashion-mnist-if.json"
[[ "$out" == *"steps of $opened" ]] || fail "the installed spikelab opened something else: $out"
[ -s "$work/shot.png" ] || fail "the installed spikelab wrote no screenshot"
"$prefix/bin/spikelab-cli" validate "$opened" >/dev/null || fail "spikelab-cli refuses the installed project"

if [ "$deb" = "--deb" ]; then
    (cd "$work" && cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work/deb" >/dev/null)
    package="$(ls "$work"/deb/spikelab_*.deb)"
    depends="$(dpkg-deb -f "$package" Depends)"
    for needed in libqt6widgets6 libqt6svg6 qt6-qpa-plugins; do
        [[ "$depends" == *"$needed"* ]] || fail "the package does not depend on $needed: $depends"
    done
    contents="$(dpkg-deb -c "$package")"
    for file in "./usr/bin/spikelab" "./usr/share/applications/$id.desktop" \
                "./usr/share/spikelab/projects/fashion-mnist-if/fashion-mnist-if.json"; do
        [[ "$contents" == *" $file"* ]] || fail "the package lacks $file"
    done
fi
echo "install check: ok ($prefix)"
