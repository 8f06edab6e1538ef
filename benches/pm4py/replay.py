"""PM4Py's token-based replay of a CSV event log on the state-machine
workflow net of a procdef process (AUDIT.md §2), for compare.sh.

    python replay.py OUT/process.json LOG.csv RESULT.json

Builds the net from the `process.json` that `procdef build` writes: a
visible transition per stage (labelled with the stage id), a silent one per
declared transition (and per entry, from the source place), outcome stages
feeding the sink. Reads the CSV with pandas and converts it with PM4Py's own
functions (format_dataframe, convert_to_event_log), replays it with
pm4py.conformance_diagnostics_token_based_replay, and writes
{"seconds": {...}, "cases": {case id: trace_is_fit}} to RESULT.json.

PM4Py is AGPL: this script only runs it, in its own virtual environment;
nothing of it is linked into or shipped with procdef.
"""

import json
import sys
import time

started = time.perf_counter()
import pandas  # noqa: E402
import pm4py  # noqa: E402
from pm4py.objects.petri_net.obj import Marking, PetriNet  # noqa: E402
from pm4py.objects.petri_net.utils import petri_utils  # noqa: E402

imported = time.perf_counter()


def workflow_net(process):
    """The state-machine workflow net of AUDIT.md §2."""
    net = PetriNet(process["process"]["id"] if isinstance(process.get("process"), dict) else "process")
    source, sink = PetriNet.Place("source"), PetriNet.Place("sink")
    net.places.update([source, sink])
    before, after = {}, {}
    for s in process["stages"]:
        sid = s["id"]
        before[sid] = PetriNet.Place("before_" + sid)
        net.places.add(before[sid])
        if s.get("outcome"):
            after[sid] = sink  # outcomes feed the sink
        else:
            after[sid] = PetriNet.Place("after_" + sid)
            net.places.add(after[sid])
        visible = PetriNet.Transition("t_" + sid, sid)
        net.transitions.add(visible)
        petri_utils.add_arc_from_to(before[sid], visible, net)
        petri_utils.add_arc_from_to(visible, after[sid], net)
    silent = 0

    def tau(frm, to):
        nonlocal silent
        silent += 1
        t = PetriNet.Transition(f"tau_{silent}", None)
        net.transitions.add(t)
        petri_utils.add_arc_from_to(frm, t, net)
        petri_utils.add_arc_from_to(t, to, net)

    for s in process["stages"]:
        if s.get("entry") is not None:
            tau(source, before[s["id"]])
        for t in s.get("transitions") or []:
            tau(after[s["id"]], before[t["to"]])
    initial, final = Marking(), Marking()
    initial[source] = 1
    final[sink] = 1
    return net, initial, final, silent


def main():
    process_json, log_csv, result_json = sys.argv[1:4]
    with open(process_json, encoding="utf-8") as f:
        process = json.load(f)
    net, initial, final, silent = workflow_net(process)

    t0 = time.perf_counter()
    df = pandas.read_csv(log_csv, dtype={"case_id": str, "stage": str, "resource": str})
    df = pm4py.format_dataframe(df, case_id="case_id", activity_key="stage", timestamp_key="timestamp")
    log = pm4py.convert_to_event_log(df)
    t1 = time.perf_counter()
    diagnostics = pm4py.conformance_diagnostics_token_based_replay(log, net, initial, final)
    t2 = time.perf_counter()

    cases = {}
    repeated = 0
    for trace, d in zip(log, diagnostics):
        names = [e["concept:name"] for e in trace]
        repeated += sum(1 for a, b in zip(names, names[1:]) if a == b)
        cases[trace.attributes["concept:name"]] = bool(d["trace_is_fit"])
    result = {
        "pm4py": pm4py.__version__,
        "net": {"places": len(net.places), "transitions": len(net.transitions), "silent": silent},
        "events": int(len(df)),
        "repeated_rows": repeated,
        "seconds": {
            "import": imported - started,
            "read_and_convert": t1 - t0,
            "token_replay": t2 - t1,
            "total": t2 - started,
        },
        "cases": cases,
    }
    with open(result_json, "w", encoding="utf-8") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
