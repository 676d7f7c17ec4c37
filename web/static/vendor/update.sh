#!/usr/bin/env bash
# Vendors the map libraries of the web interface from npm into this folder.
#
# The files are committed: serving Maillage never needs npm or a CDN. To
# update, change the versions in package.json, run
#   npm install --package-lock-only --no-audit --no-fund
# to refresh package-lock.json, then run this script and commit the result.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp package.json package-lock.json "$work/"
npm ci --prefix "$work" --no-audit --no-fund --ignore-scripts
m="$work/node_modules"

rm -rf leaflet markercluster
mkdir -p leaflet/images markercluster
cp "$m/leaflet/dist/leaflet.js" "$m/leaflet/dist/leaflet.css" leaflet/
cp "$m/leaflet/dist/images/"*.png leaflet/images/
cp "$m/leaflet/LICENSE" leaflet/LICENSE
cp "$m/leaflet.markercluster/dist/leaflet.markercluster.js" \
   "$m/leaflet.markercluster/dist/MarkerCluster.css" \
   "$m/leaflet.markercluster/dist/MarkerCluster.Default.css" markercluster/
cp "$m/leaflet.markercluster/MIT-LICENCE.txt" markercluster/LICENSE
for pkg in leaflet leaflet.markercluster; do
  node -e "const p=require('$m/$pkg/package.json'); console.log(p.name+' '+p.version+' ('+p.license+')')"
done > VERSIONS
chmod 644 leaflet/* leaflet/images/* markercluster/* 2>/dev/null || true
cat VERSIONS
