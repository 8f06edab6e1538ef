//! Finding and reading `procdef.toml`.

use procdef::config::RuleConfig;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The file name looked for in a file's folder and every folder above.
pub const FILE_NAME: &str = "procdef.toml";

/// Loads configurations, once per folder.
pub struct Configs {
    explicit: Option<RuleConfig>,
    cache: Mutex<HashMap<PathBuf, Option<(PathBuf, RuleConfig)>>>,
}

impl Configs {
    /// With `--config PATH`, that file applies to every input.
    pub fn new(explicit: Option<&Path>) -> Result<Configs, String> {
        let explicit = explicit.map(read).transpose()?;
        Ok(Configs { explicit, cache: Mutex::new(HashMap::new()) })
    }

    /// The configuration for a source file: `--config`, else the nearest
    /// `procdef.toml` walking up from the file's folder, else none.
    pub fn for_file(&self, file: &Path) -> Result<RuleConfig, String> {
        if let Some(c) = &self.explicit {
            return Ok(c.clone());
        }
        let dir = std::path::absolute(file)
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .unwrap_or_else(|| PathBuf::from("."));
        if let Some(hit) = self.cache.lock().map_err(|_| "a configuration lookup failed")?.get(&dir) {
            return Ok(hit.as_ref().map(|(_, c)| c.clone()).unwrap_or_default());
        }
        let mut found = None;
        for folder in dir.ancestors() {
            let candidate = folder.join(FILE_NAME);
            // Whatever stands under the name is the configuration; one that
            // is not a regular file (or a link to nothing) is an error, not
            // passed over for a folder further up.
            if candidate.symlink_metadata().is_ok() {
                found = Some((candidate.clone(), read(&candidate)?));
                break;
            }
        }
        let config = found.as_ref().map(|(_, c)| c.clone()).unwrap_or_default();
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(dir, found);
        }
        Ok(config)
    }
}

fn read(path: &Path) -> Result<RuleConfig, String> {
    // Read as every source is: a regular file, within the size limit.
    let bytes = super::files::read(path)?;
    let name = super::files::display(path);
    let text = String::from_utf8(bytes).map_err(|_| format!("cannot read {name}: it is not UTF-8 text"))?;
    // `procdef.toml:3:8: not valid TOML: …`, as compilers place an error.
    RuleConfig::from_toml(&text).map_err(|e| format!("{name}:{e}"))
}
