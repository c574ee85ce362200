#!/bin/sh
# Take out what install.sh put in ~/.local/share and ~/.local/bin. Your cohorts stay: they
# live in cohortdesk's data folder (Help > About shows where); delete that by hand if wanted.
set -eu

APP_ID=org.cohortdesk.CohortDesk
data="${XDG_DATA_HOME:-$HOME/.local/share}"
link="$HOME/.local/bin/cohortdesk"

rm -f "$data/applications/$APP_ID.desktop" "$data/metainfo/$APP_ID.metainfo.xml"
for icon in "$data"/icons/hicolor/*/apps/"$APP_ID".*; do
    [ -e "$icon" ] && rm -f "$icon"
done
# Only the link install.sh made: never a cohortdesk installed some other way.
if [ -L "$link" ] && [ "$(basename "$(readlink "$link")")" = cohortdesk ]; then
    rm -f "$link"
fi

if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$data/applications" || true
fi
if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -d "$data/icons/hicolor" ]; then
    gtk-update-icon-cache -q -f -t "$data/icons/hicolor" || true
fi

echo "cohortdesk is out of your application menu. Your data stays where it was."
