"""Compares procdef's verdicts (`procdef audit --format json`) with PM4Py's
(replay.py) on the closed cases, for compare.sh.

    python agree.py PROCDEF.json PM4PY.json

Prints one line of figures as JSON, and the first disagreements on stderr.
Exit 1 when a closed case's verdicts differ, or when the log is not one the
comparison holds on (repeated rows, unknown stages, bad rows, no deviation).
"""

import json
import sys


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        audit = json.load(f)
    with open(sys.argv[2], encoding="utf-8") as f:
        pm = json.load(f)
    problems = [p for p in audit["problems"] if p["kind"] != "warning"]
    closed = [c for c in audit["cases"] if c["outcome"] is not None]
    open_cases = [c for c in audit["cases"] if c["outcome"] is None]
    disagree = [c for c in closed if pm["cases"].get(c["id"]) != c["fits"]]
    open_fit_in_pm4py = sum(1 for c in open_cases if pm["cases"].get(c["id"]))
    missing = [c["id"] for c in audit["cases"] if c["id"] not in pm["cases"]]
    figures = {
        "cases": len(audit["cases"]),
        "closed": len(closed),
        "closed_fitting": sum(1 for c in closed if c["fits"]),
        "closed_not_fitting": sum(1 for c in closed if not c["fits"]),
        "disagreements": len(disagree),
        "open": len(open_cases),
        "open_fit_in_pm4py": open_fit_in_pm4py,
        "missing_in_pm4py": len(missing),
        "deviations": audit["summary"]["deviations"],
        "problems": len(problems),
        "repeated_rows": pm["repeated_rows"],
    }
    print(json.dumps(figures))
    for c in disagree[:20]:
        print(f"disagreement: case {c['id']}: procdef fits={c['fits']}, PM4Py trace_is_fit={pm['cases'].get(c['id'])}; "
              f"deviations {[d['kind'] for d in c['deviations']]}", file=sys.stderr)
    ok = True
    if problems or pm["repeated_rows"]:
        print("the log has problems or repeated rows: the comparison does not hold on it", file=sys.stderr)
        ok = False
    if figures["closed_not_fitting"] == 0:
        print("no closed case deviates: the comparison would show nothing", file=sys.stderr)
        ok = False
    if disagree or missing or open_fit_in_pm4py:
        ok = False
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
