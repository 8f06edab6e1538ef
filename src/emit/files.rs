//! Safe, distinct file names from identifiers.
//!
//! Identifiers are letters, digits and `_`, so they hold no path separator
//! or dot; what remains unsafe is a name Windows reserves (`CON`, `NUL`,
//! `COM1`…), a name too long for some file systems, and two ids that differ
//! only in case (one file on Windows and macOS). Cyrillic and other
//! letters are kept: they are valid file names on every system.

/// The most bytes of a file stem (before `.md`, `exam-`, …).
const MAX_STEM: usize = 80;

const RESERVED: &[&str] = &["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"];

fn reserved(stem: &str) -> bool {
    let upper = stem.to_uppercase();
    if RESERVED.contains(&upper.as_str()) {
        return true;
    }
    let bytes = upper.as_bytes();
    bytes.len() == 4
        && (upper.starts_with("COM") || upper.starts_with("LPT"))
        && (bytes[3].is_ascii_digit() || upper.ends_with('¹') || upper.ends_with('²') || upper.ends_with('³'))
        || (upper.chars().count() == 4
            && (upper.starts_with("COM") || upper.starts_with("LPT"))
            && upper.chars().last().is_some_and(|c| matches!(c, '¹' | '²' | '³')))
}

/// A short stable hash, to keep truncated names distinct.
fn hash(s: &str) -> String {
    // FNV-1a, 32 bits: stable across runs and machines.
    let mut h: u32 = 0x811c_9dc5;
    for b in s.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    format!("{h:08x}")
}

fn safe(id: &str) -> String {
    let mut stem: String =
        id.chars().map(|c| if c.is_alphanumeric() || c == '_' || c == '-' { c } else { '_' }).collect();
    if stem.is_empty() || stem.starts_with('.') {
        stem.insert(0, '_');
    }
    if reserved(&stem) {
        stem.push('_');
    }
    if stem.len() > MAX_STEM {
        let mut cut = MAX_STEM - 9;
        while !stem.is_char_boundary(cut) {
            cut -= 1;
        }
        stem = format!("{}-{}", &stem[..cut], hash(id));
    }
    stem
}

/// File stems for `ids`, in the same order: safe everywhere and distinct
/// even on case-insensitive file systems.
pub fn stems(ids: &[&str]) -> Vec<String> {
    let mut taken: Vec<String> = Vec::new();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let base = safe(id);
        let mut stem = base.clone();
        let mut n = 2;
        while taken.contains(&stem.to_lowercase()) {
            stem = format!("{base}-{n}");
            n += 1;
        }
        taken.push(stem.to_lowercase());
        out.push(stem);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_cyrillic_ids_stay() {
        assert_eq!(stems(&["manager", "менеджер"]), ["manager", "менеджер"]);
    }

    #[test]
    fn reserved_names_are_escaped() {
        assert_eq!(stems(&["CON", "nul", "com1", "LPT9", "console"]), ["CON_", "nul_", "com1_", "LPT9_", "console"]);
    }

    #[test]
    fn case_collisions_get_distinct_names() {
        assert_eq!(stems(&["Rep", "rep", "REP"]), ["Rep", "rep-2", "REP-3"]);
    }

    #[test]
    fn long_names_are_cut_and_stay_distinct() {
        let a = "я".repeat(200);
        let b = format!("{}б", "я".repeat(199));
        let s = stems(&[&a, &b]);
        assert!(s[0].len() <= MAX_STEM && s[1].len() <= MAX_STEM);
        assert_ne!(s[0], s[1]);
    }
}
