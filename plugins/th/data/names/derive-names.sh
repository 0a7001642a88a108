#!/usr/bin/env bash
# Regenerates plugins/th/data/names/given-names.txt and family-names.txt, the Thai given names
# and surnames the Thai plugin snaps a name read with a letter slip to (`src/lexicon.rs`), from
# the PyPI wheel `pythainlp==5.4.0` (pinned by sha256 below). The lists are the "Thai Male and
# Female Names Corpus" by Korkeat Wannapat (https://github.com/korkeatw/thai-names-corpus),
# CC BY-SA 4.0, as PyThaiNLP ships them (`pythainlp/corpus/corpus_license.md`); see NOTICE.md.
# Given names: the male and female lists merged; one name per line, sorted, duplicates and
# surnames of several words (`ณ อยุธยา`) dropped. Needs python3 with pip.
#
#   plugins/th/data/names/derive-names.sh
set -euo pipefail
out="$(cd "$(dirname "$0")" && pwd)"
wheel=pythainlp-5.4.0-py3-none-any.whl
sha256=9239753df877202da1a50dd2842d9569eff764034f31f20222b3df4def5df193
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-deps --only-binary :all: pythainlp==5.4.0 -d "$work"
echo "$sha256  $work/$wheel" | sha256sum --check --quiet
python3 - "$work/$wheel" "$out" <<'PY'
import sys, zipfile
wheel, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    def names(member):
        text = z.read("pythainlp/corpus/" + member).decode("utf-8")
        return {line.strip() for line in text.splitlines() if line.strip() and " " not in line.strip()}
    given = names("person_names_male_th.txt") | names("person_names_female_th.txt")
    family = names("family_names_th.txt")
for file, words in (("given-names.txt", given), ("family-names.txt", family)):
    with open(f"{out}/{file}", "w", encoding="utf-8") as f:
        f.write("\n".join(sorted(words)) + "\n")
    print(f"wrote {len(words)} names to {out}/{file}", file=sys.stderr)
PY
