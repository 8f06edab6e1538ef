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
echo "seeded $(ls fuzz/corpus/check | wc -l) files per target"
