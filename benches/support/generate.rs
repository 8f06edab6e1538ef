//! A generator of large, valid processes for benchmarks and scale tests:
//! `n` stages, many roles, forward branches, marked rework loops,
//! instructions, metrics, segments, a plan and a rollout. Deterministic:
//! the same `n` gives the same text.

use std::fmt::Write;

/// A small deterministic pseudo-random sequence (xorshift).
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// A valid process with `n` working stages (plus `won` and `lost`).
pub fn process(n: usize) -> String {
    let n = n.max(3);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ n as u64);
    let roles = (n / 40).clamp(3, 2000);
    let mut s = String::with_capacity(n * 420);
    let _ = writeln!(s, "# Generated: {n} stages, {roles} roles.");
    let _ = writeln!(s, "process generated_{n} \"Generated process with {n} stages\" {{");
    s.push_str("  language en\n  version \"1\"\n");
    s.push_str("  segment small \"Small clients\" { share 70% deal 100000 RUB }\n");
    s.push_str("  segment large \"Large clients\" { share 30% deal 900000 RUB }\n");
    s.push_str("  product basic \"Basic\"\n");
    for r in 0..roles {
        let boss = if r == 0 { String::new() } else { format!(" reports to role_{}", (r - 1) / 4) };
        let _ = writeln!(s, "  role role_{r} \"Role {r}\" {{ headcount 200 capacity 8h/day{boss} }}");
    }
    for i in 0..n {
        let _ = writeln!(s, "  stage stage_{i} \"Stage {i}\" {{");
        if i < 2 {
            let _ = writeln!(s, "    entry {} 50%", if i == 0 { "active" } else { "passive" });
        }
        let role = i % roles;
        let _ = writeln!(s, "    owner role_{role}");
        let _ = writeln!(s, "    takes {}h\n    within {}d\n    effort 1min", 1 + rng.below(8), 1 + rng.below(5));
        let _ = writeln!(s, "    description \"What happens at stage {i}.\"");
        let _ = writeln!(s, "    instruct role_{role} {{");
        let _ = writeln!(s, "      \"Call the client about step {i}\" within 4h");
        let _ = writeln!(s, "      \"Send the price list\" for small, basic");
        let _ = writeln!(s, "      \"Record the result in the CRM\"");
        s.push_str("    }\n");
        if i % 7 == 0 {
            let _ = writeln!(s, "    instruct role_{} {{ \"Approve the terms\" for large }}", (role + 1) % roles);
        }
        let _ = writeln!(s, "    exit \"Step {i} done\"");
        // Forward transitions keep the graph acyclic; a few marked loops go back.
        if i + 1 < n {
            let _ = writeln!(s, "    -> stage_{} 70%", i + 1);
            if i + 3 < n && i % 3 == 0 {
                let j = i + 2 + rng.below(((n - i - 2) as u64).min(20)) as usize;
                let _ = writeln!(s, "    -> stage_{j} 10% \"skip ahead\"");
            } else {
                s.push_str("    -> won 10%\n");
            }
            if i >= 5 && i % 10 == 5 {
                let _ = writeln!(s, "    -> stage_{} 5% loop \"rework\"", i - 3);
            }
            s.push_str("    -> lost\n");
        } else {
            s.push_str("    -> won 40%\n    -> lost\n");
        }
        s.push_str("  }\n");
    }
    s.push_str("  stage won \"Won\" { outcome won }\n");
    s.push_str("  stage lost \"Lost\" { outcome lost instruct role_0 { \"Record the reason\" } }\n");
    for m in 0..20.min(n / 2) {
        let a = m * (n / 20).max(1);
        let b = (a + 1).min(n - 1);
        let _ = writeln!(
            s,
            "  metric conv_{m} {{ conversion stage_{a} -> stage_{b} target >= 1% owner role_0 review weekly }}"
        );
    }
    s.push_str("  metric calls { activity \"Calls\" by role_0 target >= 40/day }\n");
    s.push_str("  metric volume0 { volume stage_0 target >= 1/month }\n");
    s.push_str("  plan { goal 100/month }\n");
    s.push_str("  rollout { start 2027-01-11 briefing role_0 every 1w exam role_0 at 30d, 100d audit role_0 by role_1 every 1w }\n");
    s.push_str("}\n");
    s
}
