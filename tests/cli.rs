//! The command line: exit codes, formats and output files.

mod common;

#[test]
fn cli_cases() {
    trycmd::TestCases::new().case("tests/cmd/*.toml");
}
