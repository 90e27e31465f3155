#!/usr/bin/env bash
# Builds the Teams app package (manifest.json + color.png + outline.png in one zip) for upload to Teams.
#   infra/teams/package.sh <bot app id> <bot host name> [output.zip]
# e.g. infra/teams/package.sh 6a1f3c2e-… empowerbot-prod.azurewebsites.net
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bot_id=${1:-}; host=${2:-}; out=${3:-$here/build/empowerbot-teams.zip}
if ! [[ "$bot_id" =~ ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$ ]]; then
  echo "usage: $0 <bot app id (a GUID)> <bot host name> [output.zip]" >&2; exit 2
fi
if ! [[ "$host" =~ ^[A-Za-z0-9.-]+$ ]]; then
  echo "the host is a bare name like empowerbot.azurewebsites.net (no https://, no path)" >&2; exit 2
fi
command -v zip >/dev/null || { echo "zip is needed (apt-get install zip)" >&2; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
sed -e "s/{{BOT_ID}}/$bot_id/g" -e "s/{{HOST}}/$host/g" "$here/manifest.json" > "$work/manifest.json"
cp "$here/color.png" "$here/outline.png" "$work/"
mkdir -p "$(dirname "$out")"; out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out"); rm -f "$out"
(cd "$work" && zip -q -X "$out.tmp" manifest.json color.png outline.png) && mv "$out.tmp" "$out"
echo "$out"
