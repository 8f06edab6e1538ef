#!/usr/bin/env bash
# Runs the Salesforce export's files through xmllint against the schema of
# the Salesforce Metadata WSDL vendored in tests/crm/salesforce/ (see the
# header of metadata-66.0.xsd for its source and commit).
#
#   bash benches/consumers/salesforce.sh [PROC_FILE...]
#
# Without arguments it exports every process that passes `check` among the
# examples and the test fixtures. Each is exported with
# `procdef export FILE --to salesforce -o DIR`, and every file of DIR is
# validated with `xmllint --noout --schema`. First it makes sure xmllint can
# fail here: the element order of the jq recipe docs/crm.md once gave must
# be rejected. Needs xmllint (Debian: apt-get install libxml2-utils).
# Exits non-zero if any file fails.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
schema=tests/crm/salesforce/metadata-files.xsd
command -v xmllint >/dev/null || { echo "xmllint is missing (apt-get install libxml2-utils)" >&2; exit 2; }

cargo build --quiet
bin="${CARGO_TARGET_DIR:-target}/debug/procdef"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The order the old recipe wrote: won and probability swapped round.
cat >"$work/recipe.standardValueSet" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<StandardValueSet xmlns="http://soap.sforce.com/2006/04/metadata">
    <sorted>false</sorted>
    <standardValue>
        <fullName>Offer</fullName>
        <default>false</default>
        <label>Offer</label>
        <closed>false</closed>
        <won>false</won>
        <probability>50</probability>
        <forecastCategory>BestCase</forecastCategory>
    </standardValue>
</StandardValueSet>
XML
if xmllint --noout --schema "$schema" "$work/recipe.standardValueSet" 2>"$work/recipe.err"; then
  echo "xmllint accepted a file the schema rejects: this check proves nothing" >&2
  exit 1
fi
echo "control: xmllint rejects the old recipe's order: $(grep -o "Element '.*" "$work/recipe.err" | head -1)"

if [ $# -gt 0 ]; then
  inputs=("$@")
else
  inputs=(examples/*.proc tests/fixtures/conformance/*.proc)
fi

exported=0 skipped=0 files=0 failed=0
for input in "${inputs[@]}"; do
  dir="$work/out/$(basename "$input" .proc)"
  if ! "$bin" export "$input" --to salesforce -o "$dir" --quiet 2>"$work/export.err"; then
    skipped=$((skipped + 1))
    continue
  fi
  exported=$((exported + 1))
  while IFS= read -r -d '' f; do
    files=$((files + 1))
    if ! xmllint --noout --schema "$schema" "$f" 2>"$work/lint.err"; then
      failed=$((failed + 1))
      echo "FAIL ${f#"$work/out/"}" >&2
      cat "$work/lint.err" >&2
    fi
  done < <(find "$dir" -type f -print0 | sort -z)
done

echo "$exported processes exported ($skipped did not pass check), $files files validated by xmllint $(xmllint --version 2>&1 | head -1 | grep -o '[0-9][0-9]*' | head -1): $failed failed"
[ "$failed" -eq 0 ] && [ "$files" -gt 0 ]
