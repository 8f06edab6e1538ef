//! `procdef discover`: a process written from a history alone
//! (IMPORT.md). The log is read as `procdef audit` reads it
//! ([`crate::audit::read`]); each distinct stage name becomes a stage.
//!
//! The cases are replayed as the audit does (AUDIT.md §2): events in time
//! order, consecutive events at one name one visit. From the visits: the
//! stage order (mean position), the entries (where cases start), the
//! directly-follows moves with their counts, the stays. What the file
//! keeps is then made sound, so that it passes `procdef check` with no
//! error whatever the log: a stage no kept move reaches gets its most
//! frequent incoming move (or is left out), a stage from which no outcome
//! can be reached gets its most frequent move towards one (or a move to
//! the lost outcome, said in a comment); everything left out is listed.

use super::{Ids, apportion, comment_text, duration, laid_out, quote};
use crate::ast::Language;
use crate::audit::log::{Log, NO_RESOURCE};
use std::collections::{BTreeMap, BTreeSet};

/// What the command line sets.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The least share of a stage's exits (of the cases, for entries) a
    /// move needs to be kept, 0 to 1.
    pub min_share: f64,
    /// Names of won and lost outcomes, as the log writes them.
    pub won: Vec<String>,
    pub lost: Vec<String>,
    /// The log files, for the comment at the top.
    pub sources: Vec<String>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings { min_share: 0.05, won: Vec::new(), lost: Vec::new(), sources: Vec::new() }
    }
}

/// Why nothing can be discovered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(pub String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Names that read as a won outcome, lower case, spaces for `_` and `-`.
const WON: &[&str] = &[
    "won",
    "closed won",
    "closedwon",
    "deal won",
    "win",
    "выиграна",
    "выиграно",
    "выигран",
    "сделка выиграна",
    "успешно реализовано",
    "успешно",
    "успех",
];

/// Names that read as a lost outcome.
const LOST: &[&str] = &[
    "lost",
    "closed lost",
    "closedlost",
    "deal lost",
    "loss",
    "проиграна",
    "проиграно",
    "проигран",
    "сделка проиграна",
    "закрыто и не реализовано",
    "не реализовано",
    "отказ",
    "потеряна",
    "потерян",
];

/// A name as the outcome lists compare it.
fn folded(name: &str) -> String {
    let spaced: String =
        name.chars().flat_map(char::to_lowercase).map(|c| if c == '_' || c == '-' { ' ' } else { c }).collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Won,
    Lost,
}

/// One kept move of a stage.
#[derive(Debug, Clone, Copy)]
struct Kept {
    to: usize,
    count: u64,
}

/// What the log says, name by name.
#[derive(Debug, Default)]
struct Stats {
    names: Vec<String>,
    cases: u64,
    events: u64,
    first: Option<i64>,
    last: Option<i64>,
    position_sum: Vec<f64>,
    visits: Vec<u64>,
    starts: Vec<u64>,
    ends: Vec<u64>,
    exits: Vec<u64>,
    moves: BTreeMap<(usize, usize), u64>,
    /// Completed stays in milliseconds.
    stays: Vec<Vec<i64>>,
    /// Visits per role (index into `Log::roles`).
    roles: Vec<BTreeMap<u32, u64>>,
}

fn stats(log: &Log) -> Stats {
    let mut names: Vec<String> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let of_name: Vec<usize> = log
        .names
        .iter()
        .map(|n| {
            let text = n.text.trim().to_string();
            *index.entry(text.clone()).or_insert_with(|| {
                names.push(text);
                names.len() - 1
            })
        })
        .collect();
    let n = names.len();
    // The role each resource is most often written with.
    let mut role_of: Vec<Option<(u32, u64)>> = vec![None; log.resources.len()];
    let mut pairs: Vec<(&(u32, u32), &u64)> = log.resource_roles.iter().collect();
    pairs.sort();
    for ((resource, role), count) in pairs {
        let slot = &mut role_of[*resource as usize];
        if slot.is_none_or(|(_, c)| *count > c) {
            *slot = Some((*role, *count));
        }
    }
    let mut s = Stats {
        names,
        position_sum: vec![0.0; n],
        visits: vec![0; n],
        starts: vec![0; n],
        ends: vec![0; n],
        exits: vec![0; n],
        stays: vec![Vec::new(); n],
        roles: vec![BTreeMap::new(); n],
        ..Stats::default()
    };
    let mut events = log.events.clone();
    events.sort_by_key(|e| (e.case, e.time, log.names.get(e.name as usize).map_or(0, |n| n.file), e.row));
    s.events = events.len() as u64;
    s.first = events.iter().map(|e| e.time).min();
    s.last = events.iter().map(|e| e.time).max();
    let mut start = 0;
    let mut visits: Vec<(usize, i64, u32)> = Vec::new();
    while start < events.len() {
        let case = events[start].case;
        let mut end = start;
        while end < events.len() && events[end].case == case {
            end += 1;
        }
        visits.clear();
        for e in &events[start..end] {
            let name = of_name[e.name as usize];
            if visits.last().is_some_and(|v| v.0 == name) {
                continue;
            }
            visits.push((name, e.time, e.resource));
        }
        start = end;
        s.cases += 1;
        for (k, &(name, time, resource)) in visits.iter().enumerate() {
            s.position_sum[name] += k as f64;
            s.visits[name] += 1;
            if resource != NO_RESOURCE
                && let Some(Some((role, _))) = role_of.get(resource as usize)
            {
                *s.roles[name].entry(*role).or_insert(0) += 1;
            }
            match visits.get(k + 1) {
                Some(&(next, at, _)) => {
                    s.exits[name] += 1;
                    *s.moves.entry((name, next)).or_insert(0) += 1;
                    s.stays[name].push(at - time);
                }
                None => s.ends[name] += 1,
            }
        }
        if let Some(&(first, _, _)) = visits.first() {
            s.starts[first] += 1;
        }
    }
    s
}

/// `p` of sorted values by linear interpolation between the closest
/// ranks (spreadsheets' PERCENTILE.INC), as the audit measures stays.
pub fn percentile(sorted: &[i64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = p * (sorted.len() - 1) as f64;
    let (lo, hi) = (rank.floor() as usize, rank.ceil() as usize);
    let (a, b) = (sorted[lo] as f64, sorted[hi] as f64);
    Some(a + (b - a) * (rank - lo as f64))
}

/// Writes a process from `log`, laid out as `fmt` does.
pub fn discover(log: &Log, settings: &Settings) -> Result<String, Error> {
    let mut s = stats(log);
    if s.events == 0 {
        return Err(Error("the log holds no event; nothing to discover".into()));
    }
    let n = s.names.len();
    // Stage order: mean position, then first appearance.
    let mut order: Vec<usize> = (0..n).collect();
    let mean = |i: usize| s.position_sum[i] / s.visits[i].max(1) as f64;
    order.sort_by(|&a, &b| mean(a).partial_cmp(&mean(b)).unwrap_or(std::cmp::Ordering::Equal).then(a.cmp(&b)));
    let mut rank = vec![0usize; n];
    for (k, &i) in order.iter().enumerate() {
        rank[i] = k;
    }

    // Outcomes.
    let mut outcome: Vec<Option<Outcome>> = vec![None; n];
    let mut how = Vec::new();
    for (given, kind, flag) in [(&settings.won, Outcome::Won, "--won"), (&settings.lost, Outcome::Lost, "--lost")] {
        for name in given {
            let f = folded(name);
            let matched: Vec<usize> = (0..n).filter(|&i| folded(&s.names[i]) == f).collect();
            if matched.is_empty() {
                let known: Vec<&str> = s.names.iter().map(String::as_str).collect();
                let hint = crate::suggest::closest(name.trim(), known.iter().copied())
                    .map(|k| format!("; did you mean `{}`?", crate::emit::visible::visible(k)))
                    .unwrap_or_default();
                return Err(Error(format!(
                    "{flag} {}: no stage of the log has that name{hint}",
                    crate::emit::visible::visible(name.trim())
                )));
            }
            for i in matched {
                outcome[i] = Some(kind);
            }
        }
    }
    for (kind, words, given) in [(Outcome::Won, WON, &settings.won), (Outcome::Lost, LOST, &settings.lost)] {
        if given.is_empty() {
            for (slot, name) in outcome.iter_mut().zip(&s.names) {
                if slot.is_none() && words.contains(&folded(name).as_str()) {
                    *slot = Some(kind);
                }
            }
        }
    }
    if !outcome.contains(&Some(Outcome::Won)) {
        // Where cases end and never leave: the latest such stage is won.
        let reached = |i: usize| s.moves.iter().any(|(&(u, v), _)| v == i && u != i);
        let mut terminal: Vec<usize> =
            order.iter().copied().filter(|&i| outcome[i].is_none() && s.exits[i] == 0 && reached(i)).collect();
        if terminal.is_empty() {
            // No stage is never left: the most frequent end.
            terminal = (0..n).filter(|&i| outcome[i].is_none() && reached(i) && s.ends[i] > 0).collect();
            terminal.sort_by_key(|&i| (std::cmp::Reverse(s.ends[i]), rank[i]));
            terminal.truncate(1);
        }
        if let Some(&won) = terminal.iter().max_by_key(|&&i| rank[i]) {
            outcome[won] = Some(Outcome::Won);
            how.push(format!(
                "{} taken as won: no name reads as a won outcome (give --won NAME)",
                quote(&s.names[won])
            ));
            if !outcome.contains(&Some(Outcome::Lost)) && settings.lost.is_empty() {
                for &i in terminal.iter().filter(|&&i| i != won) {
                    outcome[i] = Some(Outcome::Lost);
                }
            }
        }
    }
    // Stages the log does not show, added so that the file is sound.
    if outcome.iter().all(Option::is_some) {
        // Every name is an outcome: a stage before them, which every case
        // starts at, moving to where the cases first were.
        let start = s.add(unused(&s.names, "Start"));
        outcome.push(None);
        for i in 0..start {
            let first = std::mem::take(&mut s.starts[i]);
            if first > 0 {
                s.moves.insert((start, i), first);
            }
        }
        s.starts[start] = s.cases;
        s.exits[start] = s.cases;
        order.insert(0, start);
        how.push(format!(
            "Every name of the log reads as an outcome: the stage {} before them is added",
            quote(&s.names[start])
        ));
    }
    if !outcome.contains(&Some(Outcome::Won)) {
        let won = s.add(unused(&s.names, "Won"));
        outcome.push(Some(Outcome::Won));
        order.push(won);
        how.push(format!(
            "No case of the log reaches a stage that reads as won: the outcome {} is added (give --won NAME)",
            quote(&s.names[won])
        ));
    }
    let n = s.names.len();
    let mut rank = vec![0usize; n];
    for (k, &i) in order.iter().enumerate() {
        rank[i] = k;
    }
    let s = s;
    let open = |i: usize| outcome[i].is_none();

    // Entries.
    let mut left_out: Vec<String> = Vec::new();
    let open_starts: u64 = (0..n).filter(|&i| open(i)).map(|i| s.starts[i]).sum();
    let closed_starts = s.cases - open_starts;
    if closed_starts > 0 {
        left_out.push(format!("{} starting at an outcome", cases(closed_starts)));
    }
    let mut entries: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| open(i) && s.starts[i] > 0 && s.starts[i] as f64 >= settings.min_share * s.cases as f64)
        .collect();
    if entries.is_empty() {
        let best =
            order.iter().copied().filter(|&i| open(i)).max_by_key(|&i| (s.starts[i], std::cmp::Reverse(rank[i])));
        match best {
            Some(i) => entries.push(i),
            None => {
                return Err(Error("every stage of the log reads as an outcome: no stage comes before them; give --won and --lost the outcomes only".into()));
            }
        }
    }
    let rare_starts: u64 = (0..n).filter(|i| open(*i) && !entries.contains(i)).map(|i| s.starts[i]).sum();
    if rare_starts > 0 {
        left_out.push(format!("{} starting at a rare entry", cases(rare_starts)));
    }

    // Kept moves, then made sound.
    let mut kept: Vec<Vec<Kept>> = vec![Vec::new(); n];
    for (&(u, v), &count) in &s.moves {
        if open(u) && count as f64 >= settings.min_share * s.exits[u] as f64 {
            kept[u].push(Kept { to: v, count });
        }
    }
    for k in &mut kept {
        k.sort_by_key(|m| std::cmp::Reverse(m.count));
        k.truncate(50);
    }
    let has = |kept: &[Vec<Kept>], u: usize, v: usize| kept[u].iter().any(|m| m.to == v);
    let reachable = |kept: &[Vec<Kept>]| -> Vec<bool> {
        let mut seen = vec![false; n + 1];
        let mut todo: Vec<usize> = entries.clone();
        while let Some(u) = todo.pop() {
            if seen[u] {
                continue;
            }
            seen[u] = true;
            if u < n {
                todo.extend(kept[u].iter().map(|m| m.to));
            }
        }
        seen
    };
    // A stage no kept move reaches gets its most frequent move from a
    // reached stage.
    loop {
        let seen = reachable(&kept);
        let best = (0..n)
            .filter(|&v| !seen[v])
            .flat_map(|v| s.moves.iter().filter(move |&(&(u, w), _)| w == v && u != v).map(|(&(u, w), &c)| (u, w, c)))
            .filter(|&(u, _, _)| seen[u] && open(u))
            .max_by_key(|&(u, w, c)| (c, std::cmp::Reverse((rank[w], rank[u]))));
        match best {
            Some((u, v, count)) => kept[u].push(Kept { to: v, count }),
            None => break,
        }
    }
    // No won outcome is reached: the latest reached stage gets a move to
    // one, said in a comment.
    let mut to_won: BTreeSet<usize> = BTreeSet::new();
    let seen = reachable(&kept);
    if !(0..n).any(|i| seen[i] && outcome[i] == Some(Outcome::Won)) {
        let won = order.iter().copied().find(|&i| outcome[i] == Some(Outcome::Won));
        let from = order.iter().rev().copied().find(|&i| seen[i] && open(i));
        if let (Some(won), Some(from)) = (won, from) {
            kept[from].push(Kept { to: won, count: 0 });
            to_won.insert(from);
        }
    }
    let seen = reachable(&kept);
    let dropped: Vec<usize> = order.iter().copied().filter(|&i| !seen[i]).collect();
    if !dropped.is_empty() {
        let names: Vec<String> = dropped.iter().map(|&i| quote(&comment_text(&s.names[i]))).collect();
        left_out.push(format!("the stages no case reaches from an entry: {}", names.join(", ")));
    }
    if !(0..n).any(|i| seen[i] && outcome[i] == Some(Outcome::Won)) {
        return Err(Error("no won outcome can be reached from where cases start; give it with --won NAME".into()));
    }
    // A stage from which no outcome can be reached gets its most frequent
    // move towards one, else a move to the lost outcome.
    let mut to_lost: BTreeSet<usize> = BTreeSet::new();
    loop {
        let mut reaches = vec![false; n];
        for i in 0..n {
            reaches[i] = outcome[i].is_some() || to_lost.contains(&i);
        }
        let mut changed = true;
        while changed {
            changed = false;
            for u in 0..n {
                if !reaches[u] && kept[u].iter().any(|m| reaches[m.to]) {
                    reaches[u] = true;
                    changed = true;
                }
            }
        }
        let Some(&u) = order.iter().find(|&&u| seen[u] && !reaches[u]) else { break };
        let best = s
            .moves
            .iter()
            .filter(|&(&(a, b), _)| a == u && b != u && seen[b] && reaches[b] && !has(&kept, u, b))
            .max_by_key(|&(&(_, b), &c)| (c, std::cmp::Reverse(rank[b])))
            .map(|(&(_, b), &c)| (b, c));
        match best {
            Some((v, count)) => kept[u].push(Kept { to: v, count }),
            None => {
                to_lost.insert(u);
            }
        }
    }

    // Ids and titles.
    let mut ids = Ids::new();
    let stage_ids: Vec<String> = (0..n).map(|i| ids.make(&s.names[i], "stage")).collect();
    let lost_stage = order.iter().copied().find(|&i| seen[i] && outcome[i] == Some(Outcome::Lost));
    let added_lost = if !to_lost.is_empty() && lost_stage.is_none() { Some(ids.make("lost", "lost")) } else { None };
    let lost_id = lost_stage.map(|i| stage_ids[i].clone()).or_else(|| added_lost.clone()).unwrap_or_default();
    let mut role_ids = Ids::new();
    let role_titles: Vec<String> = log.roles.iter().map(|r| r.trim().to_string()).collect();
    let role_id: Vec<String> = role_titles.iter().map(|r| role_ids.make(r, "role")).collect();
    let owner_of =
        |i: usize| s.roles[i].iter().max_by_key(|(r, c)| (**c, std::cmp::Reverse(**r))).map(|(r, _)| *r as usize);
    let used_roles: BTreeSet<usize> = (0..n).filter(|&i| seen[i] && open(i)).filter_map(owner_of).collect();
    let needs_placeholder = (0..n).any(|i| seen[i] && open(i) && owner_of(i).is_none());
    let placeholder = role_ids.make("owner", "owner");

    // The text.
    let mut out = String::new();
    let sources = if settings.sources.is_empty() { "a log".to_string() } else { settings.sources.join(", ") };
    out.push_str(&format!("# Discovered by `procdef discover` from {}.\n", comment_text(&sources)));
    let window = match (s.first, s.last) {
        (Some(a), Some(b)) => {
            format!(", from {} to {}", crate::audit::time::rfc3339(a), crate::audit::time::rfc3339(b))
        }
        _ => String::new(),
    };
    out.push_str(&format!("# {}, {}{window}.\n", cases(s.cases), plural(s.events, "event", "events")));
    let skipped = log.skipped();
    if skipped > 0 {
        left_out.push(format!("{} of the log that could not be read", plural(skipped, "record", "records")));
    }
    let rare_moves: u64 = (0..n)
        .filter(|&u| seen[u])
        .map(|u| s.moves.iter().filter(|&(&(a, b), _)| a == u && !has(&kept, u, b)).map(|(_, c)| *c).sum::<u64>())
        .sum();
    if rare_moves > 0 {
        left_out.push(format!(
            "rare moves (under {} of a stage's exits) and moves out of an outcome, {} in all (listed above their stages)",
            super::percent(settings.min_share),
            rare_moves
        ));
    }
    for line in &how {
        out.push_str(&format!("# {}.\n", comment_text(line)));
    }
    if left_out.is_empty() {
        out.push_str("# Nothing was left out.\n");
    } else {
        out.push_str(&format!("# Left out: {}.\n", comment_text(&left_out.join("; "))));
    }
    out.push_str("# Instructions are not in a log: each stage still needs its own.\n");
    let title = match settings.sources.first() {
        Some(f) => format!("Discovered from {}", comment_text(f)),
        None => "Discovered from a log".to_string(),
    };
    out.push_str(&format!("process discovered {} {{\n", quote(&title)));
    for &r in &used_roles {
        out.push_str(&format!("role {} {}\n", role_id[r], quote(&role_titles[r])));
    }
    if needs_placeholder {
        out.push_str(&format!("role {placeholder} \"Stage owner\" {{\ndescription \"A placeholder: give each stage the role that owns it.\"\n}}\n"));
    }
    let entry_counts: Vec<u64> = entries.iter().map(|&i| s.starts[i]).collect();
    let entry_shares = apportion(&entry_counts, 1).unwrap_or_else(|| vec![100]);
    // Open stages in their order, then the outcomes, as CRMs show them.
    let of = |kind: Option<Outcome>| -> Vec<usize> {
        order.iter().copied().filter(|&i| seen[i] && outcome[i] == kind).collect()
    };
    let written: Vec<usize> = [of(None), of(Some(Outcome::Won)), of(Some(Outcome::Lost))].concat();
    for &i in &written {
        let rare: Vec<(usize, u64)> =
            s.moves.iter().filter(|&(&(a, b), _)| a == i && !has(&kept, i, b)).map(|(&(_, b), &c)| (b, c)).collect();
        if !rare.is_empty() {
            let list: Vec<String> =
                rare.iter().map(|(b, c)| format!("-> {} {c}", quote(&comment_text(&s.names[*b])))).collect();
            let why = if open(i) {
                format!(
                    "rare moves, left out (below {} of {}):",
                    super::percent(settings.min_share),
                    plural(s.exits[i], "exit", "exits")
                )
            } else {
                "moves out of this outcome, left out (an outcome has no transitions):".to_string()
            };
            out.push_str(&format!("# {why} {}\n", list.join(", ")));
        }
        out.push_str(&format!("stage {} {} {{\n", stage_ids[i], quote(&s.names[i])));
        match outcome[i] {
            Some(Outcome::Won) => {
                out.push_str("outcome won\n}\n");
                continue;
            }
            Some(Outcome::Lost) => {
                out.push_str("outcome lost\n}\n");
                continue;
            }
            None => {}
        }
        if let Some(k) = entries.iter().position(|&e| e == i) {
            out.push_str(&format!("entry {}%\n", entry_shares.get(k).copied().unwrap_or(100)));
        }
        let owner = owner_of(i).map_or(placeholder.as_str(), |r| role_id[r].as_str());
        out.push_str(&format!("owner {owner}\n"));
        let mut stays = s.stays[i].clone();
        stays.sort_unstable();
        if let (Some(median), Some(p90)) = (percentile(&stays, 0.5), percentile(&stays, 0.9)) {
            let (takes, takes_minutes) = duration(median / 60_000.0, false, Language::En);
            let (within, within_minutes) = duration(p90 / 60_000.0, true, Language::En);
            out.push_str(&format!("takes {takes}\n"));
            out.push_str(&format!("within {}\n", if within_minutes < takes_minutes { &takes } else { &within }));
        }
        let mut moves: Vec<Kept> = kept[i].clone();
        // Open stages in their order, then won, then lost.
        let place = |i: usize| match outcome[i] {
            None => 0,
            Some(Outcome::Won) => 1,
            Some(Outcome::Lost) => 2,
        };
        moves.sort_by_key(|m| (place(m.to), rank[m.to], m.to));
        let mut lines: Vec<(String, u64, bool)> =
            moves.iter().map(|m| (stage_ids[m.to].clone(), m.count, open(m.to) && rank[m.to] <= rank[i])).collect();
        if to_won.contains(&i) {
            out.push_str(
                "# No case of the log reaches a won outcome from where cases start: this move to one is added.\n",
            );
        }
        if to_lost.contains(&i) {
            out.push_str(
                "# No case left this stage for one that leads to an outcome: the move to the lost outcome is added.\n",
            );
            lines.push((lost_id.clone(), 0, false));
        }
        let counts: Vec<u64> = lines.iter().map(|l| l.1).collect();
        let shares = if lines.len() > 1 { apportion(&counts, 1) } else { None };
        // The move to a lost outcome takes the remainder, else the last.
        let remainder = lines.iter().position(|l| l.0 == lost_id).unwrap_or(lines.len().saturating_sub(1));
        for (k, (to, _, is_loop)) in lines.iter().enumerate() {
            let share = match &shares {
                Some(sh) if k != remainder => format!(" {}%", sh[k]),
                _ => String::new(),
            };
            out.push_str(&format!("-> {to}{share}{}\n", if *is_loop { " loop" } else { "" }));
        }
        out.push_str("}\n");
    }
    if let Some(id) = &added_lost {
        out.push_str("# Added: some stages lead to no outcome in the log.\n");
        out.push_str(&format!("stage {id} \"Lost\" {{\noutcome lost\n}}\n"));
    }
    out.push_str("}\n");
    Ok(laid_out(out))
}

/// `name`, or `name 2`, `name 3`, … when the log has it already.
fn unused(names: &[String], name: &str) -> String {
    let taken = |c: &str| names.iter().any(|n| folded(n) == folded(c));
    let mut candidate = name.to_string();
    let mut k = 2;
    while taken(&candidate) {
        candidate = format!("{name} {k}");
        k += 1;
    }
    candidate
}

impl Stats {
    /// A stage the log does not show: no visit, no move, no stay.
    fn add(&mut self, name: String) -> usize {
        self.names.push(name);
        self.position_sum.push(0.0);
        self.visits.push(0);
        self.starts.push(0);
        self.ends.push(0);
        self.exits.push(0);
        self.stays.push(Vec::new());
        self.roles.push(BTreeMap::new());
        self.names.len() - 1
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn cases(n: u64) -> String {
    plural(n, "case", "cases")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_names_are_read_in_both_languages() {
        for name in ["Closed Won", "closed_won", "WON", "Сделка выиграна", "Выиграна"] {
            assert!(WON.contains(&folded(name).as_str()), "{name}");
        }
        for name in ["Closed-Lost", "Отказ", "Закрыто и не реализовано", "lost"] {
            assert!(LOST.contains(&folded(name).as_str()), "{name}");
        }
        assert!(!WON.contains(&folded("Won over").as_str()));
    }

    #[test]
    fn percentiles_interpolate_as_spreadsheets_do() {
        assert_eq!(percentile(&[1, 2, 3, 4], 0.5), Some(2.5));
        assert_eq!(percentile(&[10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9), Some(91.0));
        assert_eq!(percentile(&[], 0.5), None);
    }
}
