//! An end-to-end session with a real editor: Neovim, headless, with the
//! setup of `editors/neovim/init.lua`, opens a file, waits for the
//! diagnostics of `procdef lsp` and writes them out.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

fn nvim_present() -> bool {
    Command::new("nvim").arg("--version").output().is_ok_and(|o| o.status.success())
}

/// Runs Neovim on `file` and returns the lines the driver script wrote.
fn diagnostics_in_nvim(file: &Path) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let folder = file.parent().expect("a folder");
    let out = folder.join("diagnostics.txt");
    let server = env!("CARGO_BIN_EXE_procdef").replace('\\', "/");
    let mut child = Command::new("nvim")
        .current_dir(folder)
        .env("PROCDEF_NVIM_OUT", &out)
        .arg("--headless")
        .arg("-n")
        .arg("-i")
        .arg("NONE")
        .arg("--cmd")
        .arg(format!("lua vim.g.procdef_cmd = {{ '{server}', 'lsp' }}"))
        .arg("-u")
        .arg(root.join("editors/neovim/init.lua"))
        .arg("-c")
        .arg(format!("luafile {}", root.join("tests/nvim/diagnostics.lua").display()))
        .arg(file)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("nvim starts");
    // The script gives up after 20 s; a stuck editor is killed after 60.
    for _ in 0..600 {
        if child.try_wait().expect("nvim can be waited for").is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    if child.try_wait().expect("nvim can be waited for").is_none() {
        let _ = child.kill();
        panic!("nvim did not finish within 60 s");
    }
    let text = std::fs::read_to_string(&out).unwrap_or_else(|e| panic!("nvim wrote no {}: {e}", out.display()));
    text.lines().map(str::to_string).collect()
}

#[test]
fn neovim_shows_the_diagnostics_of_procdef_lsp() {
    if !nvim_present() {
        assert!(std::env::var_os("CI").is_none(), "nvim is missing on CI: .ci/run installs it");
        eprintln!("skipped: nvim is not installed here (apt-get install neovim), so the Neovim session did not run");
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::create_dir(dir.path().join("common")).expect("a folder");
    std::fs::write(dir.path().join("common/roles.proc"), "library roles {\n  role manager \"Sales manager\"\n}\n")
        .expect("the library is written");
    // A Russian stage title before the mistake, so that columns count
    // characters the way Neovim does.
    let file = dir.path().join("sales.proc");
    std::fs::write(
        &file,
        "process sales {\n  use \"common/roles.proc\"\n  stage lead \"Заявка\" {\n    entry\n    owner managr\n    instruct manager { \"Call\" }\n    -> won 30%\n    -> lost\n  }\n  stage won { outcome won }\n  stage lost { outcome lost }\n}\n",
    )
    .expect("the process is written");
    let lines = diagnostics_in_nvim(&file);
    assert_eq!(lines, ["5:11:P102:1:unknown role `managr`"]);
}
