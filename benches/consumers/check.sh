#!/usr/bin/env bash
# Runs procdef's outputs through the programs that consume them, and fails on
# any error or warning they report:
#
#   SARIF                Microsoft's SARIF multitool, `validate` with the SARIF
#                        and GitHub rules (`--rule-kind "Sarif;Gh"`): for the
#                        examples, a file full of mistakes, an absolute path, a
#                        path outside the working folder, and a path with a
#                        space and Cyrillic letters.
#   process.schema.json  Ajv in strict mode compiles the schema, accepts the
#                        examples' process.json and rejects each change listed
#                        in tests/fixtures/schema/invalid.json.
#   manual pages         every page of `procdef man DIR` through groff and
#                        man, warnings on (`-ww`, `man --warnings`).
#   Mermaid              mermaid-cli (headless Chromium) draws the examples'
#                        graphs, a role's graph, and a graph whose stage ids
#                        are Mermaid keywords, `o`/`x` ids, Cyrillic and more
#                        (tests/fixtures/mermaid/hostile-ids.proc).
#
# Needs node and npm; installs the npm packages pinned in package-lock.json
# into $WORK/npm, and with apt-get what else is missing (chromium, groff,
# man-db). Settings (environment): WORK (default target/consumers),
# PROCDEF (default: built with cargo, target/debug/procdef).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
work=${WORK:-$target/consumers}

log() { printf '%s\n' "$*" >&2; }
die() {
  log "consumers: $*"
  exit 1
}
apt_install() {
  (apt-get install -y -q "$@" || (apt-get update -q && apt-get install -y -q "$@")) >/dev/null 2>&1 ||
    die "cannot install $*"
}

command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || apt_install nodejs npm
command -v groff >/dev/null 2>&1 || apt_install groff-base
command -v man >/dev/null 2>&1 || apt_install man-db
chromium=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $chromium ]]; then
  apt_install chromium
  chromium=$(command -v chromium) || die "no chromium after installing it"
fi

if [[ -z ${PROCDEF:-} ]]; then
  cargo build --quiet --manifest-path "$root/Cargo.toml" --bin procdef
  PROCDEF=$target/debug/procdef
fi
procdef=$PROCDEF

rm -rf "$work/out"
mkdir -p "$work/npm" "$work/out"
out=$work/out
cp "$here/package.json" "$here/package-lock.json" "$work/npm/"
if ! cmp -s "$here/package-lock.json" "$work/npm/node_modules/.package-lock.json.procdef" 2>/dev/null; then
  log "== npm ci (sarif-multitool, ajv, mermaid-cli)"
  # Puppeteer's own browser download is not needed: mermaid-cli runs the
  # system's Chromium.
  (cd "$work/npm" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  cp "$here/package-lock.json" "$work/npm/node_modules/.package-lock.json.procdef"
fi
modules=$work/npm/node_modules

# --- SARIF -------------------------------------------------------------------
# The npm wrapper of the multitool passes its arguments through a shell;
# the platform binary takes them as they are.
multitool=$modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
[[ -f $multitool ]] || die "no $multitool"
chmod u+x "$multitool"
sarif() { # NAME DIR ARGS...: procdef check --format sarif, run in DIR
  local name=$1 dir=$2
  shift 2
  local rc=0
  (cd "$dir" && "$procdef" check --format sarif "$@" >"$out/$name.sarif") || rc=$?
  # 1: problems found; 2: a file could not be read, expected only where
  # that is the point.
  [[ $rc -le 1 || ($name == unreadable && $rc -eq 2) ]] || die "procdef check --format sarif $* failed ($rc)"
}
log "== SARIF: sarif-multitool validate --rule-kind Sarif;Gh"
odd="$out/при мер"
mkdir -p "$odd"
cp "$root/examples/broken/mistakes.proc" "$odd/ошибки 1.proc"
sarif examples "$root" examples/sales-process.proc examples/sales-process-ru.proc
sarif mistakes "$root" examples/broken/mistakes.proc
sarif absolute "$root" "$root/examples/broken/mistakes.proc"
sarif outside "$root/src" ../examples/broken/mistakes.proc
sarif cyrillic "$out" "при мер/ошибки 1.proc" "$odd/ошибки 1.proc"
# A run that could not read one of its files (a named pipe): the log says so
# in its invocation.
rm -rf "$out/unread" && mkdir -p "$out/unread" && cp "$root/examples/broken/mistakes.proc" "$out/unread/" &&
  mkfifo "$out/unread/pipe.proc"
sarif unreadable "$out" unread
grep -q '"executionSuccessful": false' "$out/unreadable.sarif" || die "the unreadable run is not marked unsuccessful"
for name in examples mistakes absolute outside cyrillic unreadable; do
  report=$("$multitool" validate --rule-kind "Sarif;Gh" "$out/$name.sarif" 2>&1) || die "multitool failed on $name.sarif: $report"
  # Findings read `FILE(LINE,COL): error|warning|note CODE: message`.
  if grep -Eq '\): (error|warning) [A-Z]+[0-9]+' <<<"$report"; then
    log "$report"
    die "the multitool reports errors or warnings on $name.sarif"
  fi
  grep -q "Analysis completed successfully" <<<"$report" || die "multitool did not finish on $name.sarif: $report"
  grep -E '\): note ' <<<"$report" >&2 || true
done
grep -q '"primaryLocationLineHash"' "$out/mistakes.sarif" || die "no primaryLocationLineHash in the SARIF"
log "SARIF: 6 logs, no error or warning"

# --- process.schema.json -----------------------------------------------------
log "== process.schema.json: Ajv, strict mode"
for example in sales-process sales-process-ru; do
  "$procdef" build "$root/examples/$example.proc" -o "$out/build-$example" >/dev/null 2>&1 ||
    die "procdef build examples/$example.proc failed"
done
NODE_PATH=$modules node "$here/schema.mjs" "$out/build-sales-process/process.schema.json" \
  "$root/tests/fixtures/schema/invalid.json" \
  "$out/build-sales-process/process.json" "$out/build-sales-process-ru/process.json"
cmp -s "$out/build-sales-process/process.schema.json" "$out/build-sales-process-ru/process.schema.json" ||
  die "the schema differs between builds"

# --- manual pages ------------------------------------------------------------
log "== manual pages: groff -man -ww and man --warnings"
"$procdef" man "$out/man1" 2>/dev/null
pages=0
for page in "$out"/man1/*.1; do
  warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
  [[ -z $warnings ]] || die "groff warns on $(basename "$page"): $warnings"
  warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
  [[ -z $warnings ]] || die "man warns on $(basename "$page"): $warnings"
  pages=$((pages + 1))
done
[[ $pages -ge 11 ]] || die "only $pages manual pages"
log "man: $pages pages, no warning"

# --- Mermaid -----------------------------------------------------------------
log "== Mermaid: mermaid-cli with $chromium"
printf '{"executablePath":"%s","args":["--no-sandbox","--headless","--disable-gpu"]}\n' "$chromium" >"$out/puppeteer.json"
charts=()
for f in "$root"/examples/*.proc "$root/tests/fixtures/mermaid/hostile-ids.proc"; do
  name=$(basename "$f" .proc)
  "$procdef" graph "$f" >"$out/$name.mmd"
  charts+=("$out/$name.mmd")
done
"$procdef" graph --role manager "$root/examples/sales-process.proc" >"$out/role-manager.mmd"
charts+=("$out/role-manager.mmd")
node "$here/mermaid.mjs" "$modules/.bin/mmdc" "$out/puppeteer.json" "$out" "${charts[@]}"
