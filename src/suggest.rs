//! Suggestions for misspelt names: the declared name (of a stage, a role,
//! a rule, a CRM's stage) closest to what was written, if it is close
//! enough to be a likely typo.

/// Suggests the declared name closest to `wanted`, if any is close enough
/// to be a likely typo.
pub fn closest<'n>(wanted: &str, names: impl IntoIterator<Item = &'n str>) -> Option<&'n str> {
    let wanted_len = wanted.chars().count();
    let limit = (wanted_len / 3).max(1);
    names
        .into_iter()
        .filter(|n| *n != wanted)
        // The distance is at least the difference in length.
        .filter(|n| n.chars().count().abs_diff(wanted_len) <= limit)
        .map(|n| (strsim::damerau_levenshtein(wanted, n), n))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

/// Suggestions for many misspelt names against many declared ones.
///
/// Comparing each unknown name with each declared name is quadratic: a file
/// with 20,000 misspelt names among 20,000 stages took minutes. So the
/// edit distances computed per check are bounded by a budget (enough for a
/// couple of hundred unknown names in a process of 10,000 stages); past it,
/// only a declared name that differs in letter case, `_` or `-` is
/// suggested, which is a hash lookup. Up to the budget the suggestions are
/// exactly [`closest`]'s.
pub struct Suggestions<'n> {
    names: Vec<&'n str>,
    /// Declared names by [`shape`], the first of each shape; built when the
    /// budget runs out.
    shapes: Option<foldhash::HashMap<String, &'n str>>,
}

/// Edit distances one check run may compute for suggestions.
pub const SUGGESTION_BUDGET: usize = 2_000_000;

/// A name without letter case, `_` and `-`.
fn shape(name: &str) -> String {
    name.chars().filter(|c| !matches!(c, '_' | '-')).flat_map(char::to_lowercase).collect()
}

impl<'n> Suggestions<'n> {
    pub fn new(names: Vec<&'n str>) -> Suggestions<'n> {
        Suggestions { names, shapes: None }
    }

    /// The declared names, in declaration order.
    pub fn names(&self) -> &[&'n str] {
        &self.names
    }

    /// The declared name to suggest for `wanted`; `budget` is what is left of
    /// [`SUGGESTION_BUDGET`], shared by every list of one check run.
    pub fn closest(&mut self, wanted: &str, budget: &mut usize) -> Option<&'n str> {
        if *budget >= self.names.len() {
            *budget -= self.names.len();
            return closest(wanted, self.names.iter().copied());
        }
        let names = &self.names;
        let shapes = self.shapes.get_or_insert_with(|| {
            let mut shapes = foldhash::HashMap::default();
            for &n in names {
                shapes.entry(shape(n)).or_insert(n);
            }
            shapes
        });
        shapes.get(&shape(wanted)).copied().filter(|n| *n != wanted)
    }
}
