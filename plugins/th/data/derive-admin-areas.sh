#!/usr/bin/env bash
# Regenerates plugins/th/data/admin-areas.txt, the provinces (changwat) and districts (amphoe /
# khet) of Thailand that the Thai ID card plugin snaps address reads to, from the npm package
# `thai-address-database` (ISC licence; Thai postal address data): one line per province,
# `province|district|district|...`, sorted; and plugins/th/data/sub-districts.txt, the
# sub-districts (tambon / khwaeng) of each district, `province|district|sub|sub|...`, sorted.
# Needs npm and node.
#
#   plugins/th/data/derive-admin-areas.sh
set -euo pipefail
out="$(cd "$(dirname "$0")" && pwd)/admin-areas.txt"
sub_out="$(dirname "$out")/sub-districts.txt"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent thai-address-database@0.0.30 > /dev/null
tar xzf thai-address-database-0.0.30.tgz
node -e '
const db = require(process.argv[1]);
const all = db.searchAddressByProvince(".", 1e6);
const byProvince = new Map();
for (const e of all) {
  if (!byProvince.has(e.province)) byProvince.set(e.province, new Set());
  byProvince.get(e.province).add(e.amphoe);
}
const lines = [...byProvince.keys()].sort().map(p => [p, ...[...byProvince.get(p)].sort()].join("|"));
process.stdout.write(lines.join("\n") + "\n");
' "$work/package" > "$out"
echo "wrote $(wc -l < "$out") provinces to $out" >&2
# The sub-districts (tambon / khwaeng) of each district: `province|district|sub|sub|...`.
node -e '
const db = require(process.argv[1]);
const all = db.searchAddressByProvince(".", 1e6);
const byDistrict = new Map();
for (const e of all) {
  const key = e.province + "|" + e.amphoe;
  if (!byDistrict.has(key)) byDistrict.set(key, new Set());
  byDistrict.get(key).add(e.district);
}
const lines = [...byDistrict.keys()].sort().map(k => [k, ...[...byDistrict.get(k)].sort()].join("|"));
process.stdout.write(lines.join("\n") + "\n");
' "$work/package" > "$sub_out"
echo "wrote $(wc -l < "$sub_out") districts to $sub_out" >&2
