//! Finding and reading source files.
//!
//! Only regular files are read, and only up to a size limit
//! ([`MAX_FILE_SIZE`], raised by `--max-file-size`): a device such as
//! `/dev/zero` or a named pipe in a checked folder would otherwise make
//! procdef read forever or wait forever.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The default size limit of a source file: 64 MiB. The largest real
/// processes are a few hundred kilobytes; the benchmark's process of
/// 100,000 stages is about 40 MB and still fits, while checking a file of
/// the limit takes about a gigabyte of memory, which a laptop or a CI
/// runner has.
pub const MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// The size limit in force; set once from `--max-file-size`.
static LIMIT: AtomicU64 = AtomicU64::new(MAX_FILE_SIZE);

/// Sets the size limit of the files read (`--max-file-size`).
pub fn set_max_file_size(bytes: u64) {
    LIMIT.store(bytes, Ordering::Relaxed);
}

/// Parses a size such as `200M`, `64MiB`, `1G`, `500k` or `1000000`:
/// binary units (`K` = 1024 bytes), with or without `B`/`iB`.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(digits);
    if number.is_empty() {
        return Err(format!("`{text}` is not a size such as `200M` or `1G`"));
    }
    if unit.starts_with(['.', ',']) {
        return Err(format!("`{text}`: write a whole number, such as `1536K` for 1.5M"));
    }
    let unit = unit.trim().to_ascii_lowercase();
    let unit = unit.strip_suffix("ib").or_else(|| unit.strip_suffix('b')).unwrap_or(&unit);
    let factor: u64 = match unit {
        "" => 1,
        "k" => 1 << 10,
        "m" => 1 << 20,
        "g" => 1 << 30,
        "t" => 1 << 40,
        _ => return Err(format!("`{text}` has an unknown unit; use K, M, G or T (binary: 1M = 1024 × 1024 bytes)")),
    };
    let too_large = || format!("`{text}` is too large");
    let number: u64 = number.parse().map_err(|_| too_large())?;
    let bytes = number.checked_mul(factor).ok_or_else(too_large)?;
    if bytes == 0 {
        return Err(format!("`{text}`: the size limit must be at least one byte"));
    }
    Ok(bytes)
}

/// A size for messages: `64 MiB`, `40.5 MiB`, `812 bytes`, `1 byte`; in
/// bytes when rounding to a tenth of a MiB would hide the difference from
/// a whole MiB (`67108865 bytes`, not `64.0 MiB`).
fn size(bytes: u64) -> String {
    const MIB: u64 = 1 << 20;
    let mib = bytes as f64 / MIB as f64;
    let tenths = format!("{mib:.1}");
    if bytes >= MIB && bytes % MIB == 0 {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= MIB && !tenths.ends_with(".0") {
        format!("{tenths} MiB")
    } else if bytes == 1 {
        "1 byte".to_string()
    } else {
        format!("{bytes} bytes")
    }
}

/// What a file that is not a regular file is, for the message.
fn kind(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

/// Reads a source file: only a regular file, and only up to the size
/// limit. The type and size are those of the opened file (no race with a
/// file replaced in between), and a named pipe is opened without waiting
/// for a writer. The error is the whole message, naming the file.
pub fn read(path: &Path) -> Result<Vec<u8>, String> {
    let name = display(path);
    let (file, meta) = open(path)?;
    let limit = LIMIT.load(Ordering::Relaxed);
    let too_large = |bytes: String| {
        format!(
            "cannot read {name}: it is {bytes}, more than the {} a file may have; `--max-file-size` raises the limit (e.g. `--max-file-size 200M`)",
            size(limit)
        )
    };
    if meta.len() > limit {
        return Err(too_large(size(meta.len())));
    }
    // The size can grow while the file is read (or lie, in /proc): never
    // read more than one byte past the limit.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| format!("cannot read {name}: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(too_large("larger than that".to_string()));
    }
    Ok(bytes)
}

/// Opens a regular file for reading, without waiting on a named pipe:
/// the file and its metadata, or the whole message naming the file. Logs
/// are streamed from it, so no size limit applies here.
pub fn open(path: &Path) -> Result<(std::fs::File, std::fs::Metadata), String> {
    let name = display(path);
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Opening a named pipe for reading waits for a writer, unless
        // non-blocking; a regular file ignores the flag.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| format!("cannot read {name}: {e}"))?;
    let meta = file.metadata().map_err(|e| format!("cannot read {name}: {e}"))?;
    if !meta.is_file() {
        return Err(format!(
            "cannot read {name}: it is {}, not a regular file; procdef reads only regular files",
            kind(&meta)
        ));
    }
    Ok((file, meta))
}

/// Expands folders into the `.proc` files below them (sorted), keeping
/// file arguments as given. A folder that cannot be read is named in an
/// error, and the rest is still expanded: the files found come with every
/// error met.
pub fn expand_all(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<String>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found, &mut errors);
            found.sort();
            out.extend(found);
        } else {
            out.push(path.clone());
        }
    }
    (out, errors)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, errors: &mut Vec<String>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            errors.push(format!("cannot read the folder {}: {e}", display(dir)));
            return;
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                errors.push(format!("cannot read the folder {}: {e}", display(dir)));
                return;
            }
        };
        let path = entry.path();
        let kind = match entry.file_type() {
            Ok(kind) => kind,
            Err(e) => {
                errors.push(format!("cannot read {}: {e}", display(&path)));
                continue;
            }
        };
        if kind.is_dir() {
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') || name == "target" {
                continue;
            }
            walk(&path, out, errors);
        } else if path.extension().is_some_and(|e| e == "proc") {
            out.push(path);
        }
    }
}

/// The name a file is shown under in diagnostics and messages, with its
/// control characters made visible: a file name can hold an escape
/// sequence too.
pub fn display(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    procdef::emit::visible(&path.display().to_string()).into_owned()
}

#[cfg(test)]
mod size_tests {
    use super::{parse_size, size};

    #[test]
    fn sizes_are_read_in_binary_units() {
        assert_eq!(parse_size("200M"), Ok(200 << 20));
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size(" 4k "), Ok(4096));
        assert_eq!(parse_size("1000000"), Ok(1_000_000));
        assert_eq!(parse_size("1G"), Ok(1 << 30));
    }

    #[test]
    fn a_bad_size_says_what_is_wrong_with_it() {
        let err = |t: &str| parse_size(t).expect_err(t);
        assert!(err("0").contains("at least one byte"));
        assert!(err("0M").contains("at least one byte"));
        assert!(err("1.5M").contains("whole number"), "{}", err("1.5M"));
        assert!(err("99999999999999999999").contains("too large"));
        assert!(err("20000000T").contains("too large"));
        assert!(err("12Q").contains("unknown unit"));
        assert!(err("M").contains("not a size"));
    }

    #[test]
    fn a_size_in_a_message_never_hides_the_difference() {
        assert_eq!(size(64 << 20), "64 MiB");
        assert_eq!(size((64 << 20) + 1), "67108865 bytes");
        assert_eq!(size((40 << 20) + (1 << 19)), "40.5 MiB");
        assert_eq!(size(1), "1 byte");
        assert_eq!(size(812), "812 bytes");
    }
}
