#!/usr/bin/env bash
# Times `procdef audit` against PM4Py's token-based replay on the same log
# and the same process, and checks that their fitting verdicts agree on the
# closed cases (AUDIT.md §2). See README.md.
#
# 1. builds procdef and the example `eventlog` (release);
# 2. installs PM4Py into its own virtual environment (requirements.txt,
#    constraints.txt), once;
# 3. generates a log of the sales example without repeated rows and
#    without unknown stages, deviations included (`eventlog … --clean`);
# 4. runs `procdef build` for process.json, times `procdef audit … --format
#    json` (RUNS times, the median) and replay.py once (PM4Py builds the
#    state-machine workflow net from process.json, reads the CSV with its
#    own functions, replays every trace);
# 5. compares the verdicts (agree.py) and prints a Markdown table.
#
# Settings (environment):
#   EVENTS   rows of the log             (default 1000000)
#   RUNS     runs of procdef audit       (default 5)
#   PROCESS  the process                 (default examples/sales-process.proc)
#   WORK     where everything goes       (default target/pm4py-compare)
#   PYTHON   the Python that makes the venv (default python3; 3.9 or newer)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
events=${EVENTS:-1000000}
runs=${RUNS:-5}
process=${PROCESS:-$root/examples/sales-process.proc}
work=${WORK:-$target/pm4py-compare}
python=${PYTHON:-python3}

log() { printf '%s\n' "$*" >&2; }
die() {
  log "compare.sh: $*"
  exit 1
}
now() { printf '%s' "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }

command -v "$python" >/dev/null || die "needs $python (3.9 or newer) with the venv module"
[[ $events =~ ^[0-9]+$ && $runs =~ ^[1-9][0-9]*$ ]] || die "EVENTS and RUNS must be numbers"
mkdir -p "$work"

log "== building procdef and the log generator (release)"
cargo build --release --quiet --manifest-path "$root/Cargo.toml" --bin procdef --example eventlog
procdef=$target/release/procdef
eventlog=$target/release/examples/eventlog

venv=$work/venv
stamp=$venv/.installed
want=$(cat "$here/requirements.txt" "$here/constraints.txt" | sha256sum | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  log "== installing PM4Py into $venv"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt" -c "$here/constraints.txt" >&2
  printf '%s' "$want" >"$stamp"
fi
py=$venv/bin/python
pm4py_version=$("$py" -c 'import importlib.metadata as m; print(m.version("pm4py"))')

name=$(basename "$process" .proc)
csv=$work/$name-$events-clean.csv
if [[ ! -s $csv || $csv -ot $eventlog ]]; then
  log "== generating $csv"
  "$eventlog" "$process" "$events" --clean >"$csv.partial"
  mv "$csv.partial" "$csv"
fi
rm -rf "$work/out"
"$procdef" build "$process" -o "$work/out" >/dev/null 2>&1 || die "procdef build failed on $process"

log "== procdef audit, $runs runs"
times=()
for ((i = 1; i <= runs; i++)); do
  t0=$(now)
  "$procdef" audit "$process" --log "$csv" --format json >"$work/procdef.json" || die "procdef audit failed"
  times+=("$(since "$t0")")
  log "   run $i: ${times[-1]} s"
done
mapfile -t times < <(printf '%s\n' "${times[@]}" | sort -g)
p_wall=${times[$((runs / 2))]}

log "== PM4Py $pm4py_version token-based replay, one run"
t0=$(now)
"$py" "$here/replay.py" "$work/out/process.json" "$csv" "$work/pm4py.json" >"$work/pm4py.out" 2>"$work/pm4py.err" ||
  { cat "$work/pm4py.err" >&2; die "replay.py failed"; }
pm_wall=$(since "$t0")
log "   ${pm_wall} s"

log "== comparing the verdicts on closed cases"
if agreement=$("$py" "$here/agree.py" "$work/procdef.json" "$work/pm4py.json" 2>"$work/agree.err"); then
  agreed=yes
else
  agreed=no
fi
cat "$work/agree.err" >&2

read -r pm_read pm_replay pm_import events_read < <("$py" -c '
import json, sys
r = json.load(open(sys.argv[1]))
s = r["seconds"]
print(s["read_and_convert"], s["token_replay"], s["import"], r["events"])' "$work/pm4py.json")
fig() { "$py" -c 'import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$agreement" "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f×", a / b }'; }

{
  echo
  echo "procdef $("$procdef" --version | cut -d' ' -f2) ($(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo 'no git')), PM4Py $pm4py_version, $("$py" --version)"
  echo "$(nproc) CPUs ($(lscpu | sed -n 's/^Model name: *//p' | head -n 1)), load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "log: $(basename "$csv"), $events_read events, $(awk -v b="$(stat -c %s "$csv")" 'BEGIN { printf "%.1f MB", b / 1e6 }'); procdef: median of $runs runs; PM4Py: one run"
  echo
  echo "| cases | closed | closed, not fitting | procdef audit | PM4Py total (import, read + convert, replay) | ratio | ratio, replay alone | verdicts on closed cases |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---|"
  printf '| %s | %s | %s | %.2f s | %.1f s (%.1f, %.1f, %.1f) | %s | %s | %s |\n' \
    "$(fig cases)" "$(fig closed)" "$(fig closed_not_fitting)" "$p_wall" "$pm_wall" "$pm_import" "$pm_read" "$pm_replay" \
    "$(ratio "$pm_wall" "$p_wall")" "$(ratio "$pm_replay" "$p_wall")" \
    "$([[ $agreed == yes ]] && echo "all agree" || echo "$(fig disagreements) disagree (see $work/agree.err)")"
  echo
  echo "figures: $agreement"
} | tee "$work/results.md"
[[ $agreed == yes ]] || exit 1
