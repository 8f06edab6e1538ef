//! Safe, distinct file names from identifiers.
//!
//! Identifiers are letters, digits and `_`, so they hold no path separator
//! or dot; what remains unsafe is a name Windows reserves (`CON`, `NUL`,
//! `COM1`…), a name too long for some file systems, and two ids that a
//! case-insensitive file system (NTFS, APFS, HFS+) takes for one name:
//! not only `Rep` and `rep`, but `σ_x` and `ς_x`, `ſ` and `s`, `ı` and `I`,
//! `ﬀ` and `ff`, the Kelvin sign and `K`. Names are kept apart by
//! [`fold_key`], which is coarser than what any of them folds. Cyrillic
//! and other letters are kept: they are valid file names on every system.

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

/// The name a case-insensitive file system may take `name` for: two names
/// with one key may be one file there.
///
/// NFKC first (APFS compares normalized names; `ﬀ`, `K` and `Å` are
/// compatibility forms of `ff`, `K` and `Å`), then the uppercase and back
/// (NTFS compares uppercased names, and `ı` uppercases to `I`), then full
/// Unicode case folding (`ß` → `ss`, `ς` → `σ`, `ſ` → `s`), then NFKC again,
/// since folding can leave a name unnormalized.
pub fn fold_key(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let compatible: String = name.nfkc().collect();
    let cased = compatible.to_uppercase().to_lowercase();
    caseless::default_case_fold_str(&cased).nfkc().collect()
}

/// File stems for `ids`, in the same order: safe everywhere and distinct
/// even on case-insensitive file systems.
pub fn stems(ids: &[&str]) -> Vec<String> {
    let mut taken = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let base = safe(id);
        let mut stem = base.clone();
        let mut n = 2;
        while taken.contains(&fold_key(&stem)) {
            stem = format!("{base}-{n}");
            n += 1;
        }
        taken.insert(fold_key(&stem));
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

    /// Pairs that NTFS or APFS take for one name, though `to_lowercase`
    /// keeps them apart.
    #[test]
    fn look_alikes_get_distinct_names() {
        let groups: &[&[&str]] = &[
            &["σ_x", "ς_x", "Σ_x"],
            &["s", "ſ", "S"],
            &["I", "ı", "i"],
            &["ff", "ﬀ", "FF"],
            &["K", "\u{212a}", "k"],
            &["Å", "\u{212b}", "å"],
            &["ß", "ss", "ẞ", "SS"],
            &["ﬁ", "fi"],
        ];
        for group in groups {
            let got = stems(group);
            let want: Vec<String> = group
                .iter()
                .enumerate()
                .map(|(i, id)| if i == 0 { id.to_string() } else { format!("{id}-{}", i + 1) })
                .collect();
            assert_eq!(got, want, "{group:?}");
        }
        // `İ` folds to `i` and a combining dot, a name of its own everywhere.
        assert_eq!(stems(&["i", "İ"]), ["i", "İ"]);
    }

    #[test]
    fn the_key_folds_case_and_compatibility_forms() {
        assert_eq!(fold_key("Straße"), "strasse");
        assert_eq!(fold_key("ΣΑΣ"), fold_key("σας"));
        assert_eq!(fold_key("\u{212b}ngström"), fold_key("ångström"));
        assert_ne!(fold_key("manager"), fold_key("менеджер"));
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
