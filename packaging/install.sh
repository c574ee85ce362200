#!/bin/sh
# Put cohortdesk in the desktop's application menu, for this user only: the desktop entry,
# the AppStream metainfo and the icons go into ~/.local/share (or $XDG_DATA_HOME), the entry
# starting the cohortdesk in this folder, and ~/.local/bin/cohortdesk for the command line.
# Run it again after moving this folder; ./uninstall.sh takes it all out again.
set -eu

APP_ID=org.cohortdesk.CohortDesk
here=$(cd "$(dirname "$0")" && pwd -P)
exe="$here/cohortdesk"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
bin="$HOME/.local/bin"

if [ ! -x "$exe" ] || [ ! -f "$here/share/applications/$APP_ID.desktop" ]; then
    echo "install.sh: run it from the unpacked cohortdesk folder ($exe is missing)" >&2
    exit 1
fi

# The desktop entry's Exec is quoted (the path may hold spaces); inside the quotes \ " ` $ are
# escaped, then every \ once more for the string itself, and % is doubled (Desktop Entry spec).
quoted=$(printf '%s' "$exe" | sed -e 's/[\\"`$]/\\&/g' -e 's/\\/\\\\/g' -e 's/%/%%/g')
tryexec=$(printf '%s' "$exe" | sed -e 's/\\/\\\\/g')

mkdir -p "$data/applications" "$data/metainfo" "$bin"
sed -e "s|^Exec=.*|Exec=\"$(printf '%s' "$quoted" | sed 's/[|&\\]/\\&/g')\"|" \
    -e "s|^TryExec=.*|TryExec=$(printf '%s' "$tryexec" | sed 's/[|&\\]/\\&/g')|" \
    "$here/share/applications/$APP_ID.desktop" > "$data/applications/$APP_ID.desktop.tmp"
mv "$data/applications/$APP_ID.desktop.tmp" "$data/applications/$APP_ID.desktop"
cp "$here/share/metainfo/$APP_ID.metainfo.xml" "$data/metainfo/"
for icon in "$here"/share/icons/hicolor/*/apps/"$APP_ID".*; do
    size=$(basename "$(dirname "$(dirname "$icon")")")
    mkdir -p "$data/icons/hicolor/$size/apps"
    cp "$icon" "$data/icons/hicolor/$size/apps/"
done
ln -sfn "$exe" "$bin/cohortdesk"

if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$data/applications" || true
fi
if command -v gtk-update-icon-cache >/dev/null 2>&1; then
    gtk-update-icon-cache -q -f -t "$data/icons/hicolor" || true
fi

echo "cohortdesk is in your application menu (it starts $exe)."
case ":$PATH:" in
    *":$bin:"*) echo "On the command line: cohortdesk --help" ;;
    *) echo "On the command line: $bin/cohortdesk --help (add $bin to PATH to type just cohortdesk)" ;;
esac
