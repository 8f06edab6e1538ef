//! Large generated processes: valid, and handled without trouble.

#[path = "../benches/support/generate.rs"]
mod generate;

#[test]
fn generated_processes_are_valid_at_every_size() {
    for n in [3, 10, 57, 500, 3000] {
        let text = generate::process(n);
        let compiled = procdef::compile(text.as_bytes());
        let codes: Vec<_> = compiled.diagnostics.iter().map(|d| format!("{} {}", d.code, d.message)).take(5).collect();
        assert!(compiled.diagnostics.is_empty(), "n = {n}: {codes:?}");
        let analysis = compiled.analysis.expect("analysed");
        assert!(analysis.new_client_win_probability > 0.0 && analysis.new_client_win_probability < 1.0);
        assert_eq!(analysis.stages.len(), n + 2);
    }
}

#[test]
fn generation_is_deterministic() {
    assert_eq!(generate::process(200), generate::process(200));
}

#[test]
fn manuals_of_a_large_process_draw_the_roles_part_of_it() {
    let text = generate::process(400);
    let compiled = procdef::compile(text.as_bytes());
    let model = compiled.model.as_ref().expect("valid");
    let outputs = procdef::emit::outputs(model, compiled.analysis.as_ref(), "g.proc", &compiled.text);
    let graph = outputs.iter().find(|o| o.path == "graph.mmd").expect("the whole graph");
    let nodes =
        |mermaid: &str| mermaid.lines().filter(|l| l.trim_start().starts_with('s') && l.contains("[\"")).count();
    assert_eq!(nodes(&graph.contents), 400, "graph.mmd draws every working stage");
    let manual = outputs.iter().find(|o| o.path == "manuals/role_3.md").expect("a manual");
    let drawn = nodes(&manual.contents);
    // role_3 owns every 10th stage (40 of them); with neighbours well under 400.
    assert!((40..200).contains(&drawn), "{drawn} stages drawn");
    assert!(manual.contents.contains("This process has 402 stages"), "the manual says the graph is partial");
    let small = procdef::compile(generate::process(20).as_bytes());
    let m = small.model.as_ref().expect("valid");
    let out = procdef::emit::outputs(m, small.analysis.as_ref(), "g.proc", &small.text);
    let manual = out.iter().find(|o| o.path == "manuals/role_0.md").expect("a manual");
    assert!(!manual.contents.contains("stages: shown here"), "small processes are drawn whole");
}
