#!/usr/bin/env bash
# Reproduce static/vendor/: the Leaflet and Leaflet.markercluster files the map loads, taken from the
# npm registry (npm pack, no install) so that the map works with no CDN. Versions match what folium
# 0.20.0 references in Map.default_js/default_css and FastMarkerCluster.default_js/default_css.
# Usage: scripts/vendor_assets.sh   (needs npm; run from anywhere)
set -euo pipefail

LEAFLET_VERSION=1.9.3
MARKERCLUSTER_VERSION=1.1.0

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack --silent "leaflet@${LEAFLET_VERSION}" "leaflet.markercluster@${MARKERCLUSTER_VERSION}" >/dev/null
mkdir leaflet markercluster
tar xzf "leaflet-${LEAFLET_VERSION}.tgz" -C leaflet --strip-components=1
tar xzf "leaflet.markercluster-${MARKERCLUSTER_VERSION}.tgz" -C markercluster --strip-components=1

rm -rf "$dest/leaflet" "$dest/markercluster"
mkdir -p "$dest/leaflet/images" "$dest/markercluster"
cp leaflet/dist/leaflet.js leaflet/dist/leaflet.css leaflet/LICENSE "$dest/leaflet/"
cp leaflet/dist/images/*.png "$dest/leaflet/images/"
cp markercluster/dist/leaflet.markercluster.js markercluster/dist/MarkerCluster.css \
   markercluster/dist/MarkerCluster.Default.css "$dest/markercluster/"
cp markercluster/MIT-LICENCE.txt "$dest/markercluster/LICENSE"

cd "$dest"
find leaflet markercluster -type f | LC_ALL=C sort | xargs sha256sum > SHA256SUMS
echo "static/vendor updated: leaflet ${LEAFLET_VERSION}, leaflet.markercluster ${MARKERCLUSTER_VERSION}"
