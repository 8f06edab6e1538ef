#!/usr/bin/env bash
# Times `procdef check` against bpmnlint on the same generated processes.
#
# For each size: generate the .proc (the benchmark generator,
# benches/support/generate.rs), build it once for process.json, convert that
# to BPMN 2.0 (to-bpmn.mjs), then time `procdef check FILE.proc` and
# `bpmnlint FILE.bpmn` a few times each. bpmnlint runs twice per size: on the
# BPMN file with its diagram (BPMNDI) under `bpmnlint:recommended`
# (.bpmnlintrc), and on the same process without a diagram under
# `recommended` less the rule no-bpmndi (graph-only.bpmnlintrc). Prints a
# Markdown table on stdout, progress and the individual runs on stderr. See
# README.md.
#
# Settings (environment):
#   SIZES        the stage counts              (default "1000 10000 100000")
#   RUNS         runs per tool below 100k      (default 5)
#   RUNS_LARGE   runs per tool at 100k or more (default 3)
#   WORK         where the generated files go  (default target/bpmnlint-compare)
#   NODE_OPTIONS passed on to node as usual, e.g. --max-old-space-size=8192
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
sizes=${SIZES:-1000 10000 100000}
runs_small=${RUNS:-5}
runs_large=${RUNS_LARGE:-3}
work=${WORK:-$target/bpmnlint-compare}

log() { printf '%s\n' "$*" >&2; }
die() {
  log "compare.sh: $*"
  exit 1
}

[[ -x /usr/bin/time ]] || die "needs GNU time at /usr/bin/time (apt-get install time)"
command -v node >/dev/null || die "needs node (20 or newer) and npm"

log "== building procdef and the generator (release)"
cargo build --release --quiet --manifest-path "$root/Cargo.toml" --bin procdef --example generate
procdef=$target/release/procdef
generate=$target/release/examples/generate

log "== installing bpmnlint (npm ci)"
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error >&2)
bpmnlint=$here/node_modules/.bin/bpmnlint
config=$here/.bpmnlintrc
mkdir -p "$work"

# measure NAME RUNS CHECK CMD...: runs CMD up to RUNS times under GNU time,
# from $here (where .bpmnlintrc is), keeping the last run's output in
# $work/NAME.{out,err}. CHECK NAME STATUS must succeed when the run did its
# job (whatever it found), and print why not otherwise. Sets `wall` (the
# median, seconds), `wall_min`, `wall_max`, `rss_kb` (the largest peak RSS),
# `status` (the last exit status) and `failure` (empty, or why the command
# failed; a failed run is not repeated).
measure() {
  local name=$1 runs=$2 check=$3
  shift 3
  local times=() rss=0 i e m u k t0 t1
  failure=
  for ((i = 1; i <= runs; i++)); do
    t0=$EPOCHREALTIME
    if (cd "$here" && /usr/bin/time -f '%M %U %S' -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err"); then
      status=0
    else
      status=$?
    fi
    t1=$EPOCHREALTIME
    e=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    read -r m u k < <(tail -n 1 "$work/$name.time")
    times+=("$e")
    if ((m > rss)); then rss=$m; fi
    log "   $name run $i: ${e} s wall, $(awk -v u="$u" -v k="$k" 'BEGIN { print u + k }') s CPU, $((m / 1024)) MiB, exit $status"
    if grep -q 'terminated by signal' "$work/$name.time"; then
      failure="killed by $(grep -o 'signal [0-9]*' "$work/$name.time")"
    elif ! failure=$("$check" "$name" "$status"); then
      failure=${failure:-exit $status}
    else
      failure=
    fi
    if [[ -n $failure ]]; then
      local why
      why=$(grep -h -m 1 -o -E 'heap out of memory|Maximum call stack size exceeded|Invalid string length|Cannot create a string longer than [0-9a-fx]+ characters|(Range|Type)Error: [^"]*' \
        "$work/$name.err" "$work/$name.out" | head -n 1 || true)
      if [[ -n $why ]]; then failure="$failure: $why"; fi
      log "   $name failed: $failure"
      break
    fi
  done
  mapfile -t times < <(printf '%s\n' "${times[@]}" | sort -g)
  local k=${#times[@]}
  wall=${times[$((k / 2))]}
  if ((k % 2 == 0)); then
    wall=$(awk -v a="${times[$((k / 2 - 1))]}" -v b="${times[$((k / 2))]}" 'BEGIN { print (a + b) / 2 }')
  fi
  wall_min=${times[0]}
  wall_max=${times[$((k - 1))]}
  rss_kb=$rss
}

# procdef check did its job when it printed its summary ("1 file, 0 errors,
# 0 warnings") and exited 0 (clean) or 1 (errors found).
procdef_ran() {
  [[ $2 == 0 || $2 == 1 ]] && grep -q -E '^1 file, [0-9]+ errors?, [0-9]+ warnings?$' "$work/$1.err"
}

# bpmnlint did its job when it exited 0 (nothing to report; it prints nothing
# but an empty line) or exited 1 with its problem summary. Exit 1 without the
# summary is a crash (node exits 1 on an uncaught exception).
bpmnlint_ran() {
  [[ $2 == 0 ]] || { [[ $2 == 1 ]] && grep -q -E '[0-9]+ problems? \(' "$work/$1.out"; }
}

mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
secs() { awk -v s="$1" 'BEGIN { printf (s < 1 ? "%.3f s" : s < 10 ? "%.2f s" : "%.1f s"), s }'; }
span() { if [[ $wall_min == "$wall_max" ]]; then secs "$wall"; else printf '%s (%s–%s)' "$(secs "$wall")" "$wall_min" "$wall_max"; fi; }

# The problem count bpmnlint prints ("✖ 3 problems (1 error, 2 warnings)"),
# or 0 when it printed none and exited 0.
problems() {
  local summary
  summary=$(grep -o -E '[0-9]+ problems? \([0-9]+ errors?, [0-9]+ warnings?\)' "$1" | tail -n 1 || true)
  printf '%s' "${summary:-0 problems}"
}

log "== sanity checks: both tools report problems on broken input"
# procdef: the documented broken example.
measure sanity-procdef 1 procdef_ran "$procdef" check "$root/examples/broken/mistakes.proc"
[[ -z $failure && $status == 1 ]] || die "procdef check accepted examples/broken/mistakes.proc"
log "   procdef check examples/broken/mistakes.proc: $(tail -n 1 "$work/sanity-procdef.err")"
# bpmnlint: the smallest generated process without its diagram (BPMNDI);
# rule no-bpmndi must report every element.
first=${sizes%% *}
"$generate" "$first" >"$work/sanity.proc"
"$procdef" build "$work/sanity.proc" -o "$work/sanity-out" >/dev/null 2>&1
node "$here/to-bpmn.mjs" "$work/sanity-out/process.json" "$work/sanity.bpmn" --no-di 2>/dev/null
measure sanity-bpmnlint 1 bpmnlint_ran "$bpmnlint" --config "$config" "$work/sanity.bpmn"
[[ -z $failure && $status == 1 ]] || die "bpmnlint found nothing wrong in a BPMN file without BPMNDI"
log "   bpmnlint on the $first-stage BPMN without BPMNDI: $(problems "$work/sanity-bpmnlint.out")," \
  "$(grep -c 'no-bpmndi' "$work/sanity-bpmnlint.out") of them no-bpmndi"
rm -rf "$work/sanity-out"

# lint NAME CONFIG FILE: times bpmnlint; sets `cell`, `rss_cell`, `ratio`
# (against procdef's median) and `result` (what it reported).
lint() {
  measure "$1" "$runs" bpmnlint_ran "$bpmnlint" --config "$2" "$3"
  cell=$(span) rss_cell=$(mib $((rss_kb * 1024))) result=$(problems "$work/$1.out")
  ratio=$(awk -v b="$wall" -v p="$p_wall" 'BEGIN { if (p <= 0) print "–"; else printf (b / p < 10 ? "%.1f×" : "%.0f×"), b / p }')
  if [[ -n $failure ]]; then
    cell="failed after $(secs "$wall") ($failure)" result="crashed" ratio="–"
  fi
}

rows=()
for n in $sizes; do
  runs=$runs_small
  if ((n >= 100000)); then runs=$runs_large; fi
  proc=$work/generated-$n.proc
  bpmn=$work/generated-$n.bpmn
  graph=$work/generated-$n-no-di.bpmn
  log "== $n stages"
  "$generate" "$n" >"$proc"
  "$procdef" build "$proc" -o "$work/out-$n" >/dev/null 2>&1 || die "procdef build failed on $proc"
  node "$here/to-bpmn.mjs" "$work/out-$n/process.json" "$bpmn" 2> >(tee "$work/to-bpmn-$n.log" >&2)
  node "$here/to-bpmn.mjs" "$work/out-$n/process.json" "$graph" --no-di 2>/dev/null
  rm -rf "$work/out-$n"

  measure "procdef-$n" "$runs" procdef_ran "$procdef" check "$proc"
  p_wall=$wall p_rss=$rss_kb p_cell=$(span) p_result=$(tail -n 1 "$work/procdef-$n.err")
  if [[ -n $failure ]]; then p_cell="failed after $(secs "$wall") ($failure)" p_result="crashed"; fi
  row="| $n | $(mib "$(stat -c %s "$proc")") | $(mib "$(stat -c %s "$bpmn")") | $p_cell | $(mib $((p_rss * 1024)))"

  lint "bpmnlint-$n" "$config" "$bpmn"
  row+=" | $cell | $rss_cell | $ratio"
  results="${p_result#1 file, } / $result"

  lint "bpmnlint-graph-$n" "$here/graph-only.bpmnlintrc" "$graph"
  row+=" | $(mib "$(stat -c %s "$graph")") | $cell | $rss_cell | $ratio"
  rows+=("$row | $results / $result |")
  rm -f "$graph"
done

{
  echo
  echo "procdef $("$procdef" --version | cut -d' ' -f2) ($(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo 'no git')), bpmnlint $("$bpmnlint" --version), node $(node --version)${NODE_OPTIONS:+ with NODE_OPTIONS=$NODE_OPTIONS}"
  echo "$(nproc) CPUs ($(lscpu | sed -n 's/^Model name: *//p' | head -n 1)), load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "wall time: median of $runs_small runs ($runs_large at 100k stages and more), min–max in brackets; peak RSS: the largest of the runs"
  echo
  echo "| stages | .proc | .bpmn | procdef check | peak RSS | bpmnlint | peak RSS | ratio | .bpmn, no DI | bpmnlint, graph only | peak RSS | ratio | reported: procdef / bpmnlint / graph only |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  printf '%s\n' "${rows[@]}"
} | tee "$work/results.md"
log "(also in $work/results.md; the inputs and each tool's last output are in $work)"
