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
