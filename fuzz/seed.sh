#!/bin/sh
# Copies the fixtures and examples into each target's corpus folder
# (fuzz/corpus/<target>/), named by content so reruns add nothing twice.
set -eu
cd "$(dirname "$0")/.."
for target in check build_outputs fmt parsers; do
    mkdir -p "fuzz/corpus/$target"
    find tests/fixtures examples -name '*.proc' | while read -r f; do
        sum=$(sha1sum "$f" | cut -c1-40)
        cp "$f" "fuzz/corpus/$target/$sum"
    done
done
# The log readers: every form of the conformance log, and the bad records
# of the unit tests' shapes.
mkdir -p fuzz/corpus/audit_logs
find tests/fixtures/audit -type f ! -name '*.gz' | while read -r f; do
    sum=$(sha1sum "$f" | cut -c1-40)
    cp "$f" "fuzz/corpus/audit_logs/$sum"
done
echo "seeded $(ls fuzz/corpus/check | wc -l) files per target"
