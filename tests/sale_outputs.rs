//! What a reader sees of the sale and of everyone's workload (LANGUAGE.md
//! §6.1–6.2): every number of `funnel.md`, the terminal table and the
//! manuals of the contract's example, against figures worked out here by
//! hand from the process; the words of the sale; Russian lists, names and
//! money.

mod common;

use common::*;
use procdef::emit::{funnel_md, funnel_table, manual};

const SALE: &str = include_str!("fixtures/conformance/v11_sale_and_effort.proc");

fn compiled(text: &str) -> procdef::Compiled {
    let c = procdef::compile(text.as_bytes());
    assert!(!c.has_errors(), "{}", render("p.proc", &c));
    c
}

fn funnel_file(c: &procdef::Compiled) -> String {
    funnel_md::markdown(
        c.model.as_ref().expect("model"),
        c.graph.as_ref().expect("graph"),
        c.analysis.as_ref().expect("funnel"),
    )
}

fn funnel_text(c: &procdef::Compiled) -> String {
    funnel_table::text(
        c.model.as_ref().expect("model"),
        c.graph.as_ref().expect("graph"),
        c.analysis.as_ref().expect("funnel"),
    )
}

fn manual_of(c: &procdef::Compiled, role: &str) -> String {
    let model = c.model.as_ref().expect("model");
    let id = model.role_id(role).unwrap_or_else(|| panic!("no role {role}"));
    manual::markdown(model, c.graph.as_ref().expect("graph"), c.analysis.as_ref(), id)
}

/// A number as the English outputs show it: at most `decimals` decimals,
/// no trailing zeros, thousands grouped by commas.
fn en(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s };
    let (int, frac) = s.split_once('.').map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

fn pct(v: f64) -> String {
    format!("{}%", en(v * 100.0, 1))
}

/// The contract's example worked out by hand.
///
/// Per new client: request 1; offer o = 0.6 + 0.3 · delivery, delivery =
/// contract = 0.4 · o, so o = 0.6 / (1 − 0.12); the contract is the sale.
/// Chance of a sale: request 0.6 · 0.4, offer 0.4, after delivery 0.3 · 0.4.
/// Deal: 0.7 · 300 000 + 0.3 · 900 000 = 480 000 RUB, so 9 000 000 RUB a
/// month is 18.75 sales.
struct Hand {
    offer: f64,
    sales: f64,
    goal: f64,
    new_clients: f64,
    manager: [f64; 3],
    logist: [f64; 2],
    head: f64,
}

fn hand() -> Hand {
    let offer = 0.6 / (1.0 - 0.3 * 0.4);
    let sales = 0.4 * offer;
    let goal = 9_000_000.0 / (0.7 * 300_000.0 + 0.3 * 900_000.0);
    let nc = goal / sales;
    Hand {
        offer,
        sales,
        goal,
        new_clients: nc,
        // request 20 min, offer 1 h, contract 30 min, as the owner
        manager: [nc * 20.0 / 60.0, nc * offer, nc * sales * 0.5],
        // its step at the offer (15 min), the delivery it owns (1 h)
        logist: [nc * offer * 0.25, nc * sales],
        // the builders' discounts, 30% of the offers, 10 min each
        head: nc * offer * 0.3 * 10.0 / 60.0,
    }
}

#[test]
fn funnel_md_shows_the_sales_and_why_the_new_clients_differ() {
    let h = hand();
    let c = compiled(SALE);
    let md = funnel_file(&c);
    let nc = h.new_clients;
    let row = |stage: &str, win: f64, visits: f64| {
        format!("| {stage} | {} | {} | {} |", pct(win), en(visits, 2), en(nc * visits, 1))
    };
    for line in [
        row("Request", 0.6 * 0.4, 1.0),
        row("Offer", 0.4, h.offer),
        row("Contract signed (sale)", 1.0, h.sales),
        row("Delivery", 0.3 * 0.4, h.sales),
        row("Served (outcome: the client stays)", 0.0, 0.7 * h.sales),
    ] {
        assert!(md.contains(&line), "no `{line}` in\n{md}");
    }
    assert!(md.contains("| Chance of a sale |"), "{md}");
    assert!(md.contains(&format!("- A new client buys with probability {}.", pct(0.24))), "{md}");
    // 0.2727… with two significant digits.
    assert!(
        md.contains(&format!("- Sales per new client: {} on average, repeat sales included.", en(h.sales, 2))),
        "{md}"
    );
    assert!(
        md.contains(&format!("at an average deal of {} RUB that is {} sales.", en(480_000.0, 0), en(h.goal, 1))),
        "{md}"
    );
    assert!(md.contains(&format!("- New clients needed: {} per month.", en(nc, 1))), "{md}");
    // One sentence says why: 24% buy, and repeat orders add the rest.
    let why = format!(
        "- The new clients needed differ from the sales planned because a new client brings {} sales on average: {} of new clients buy at least once, and repeat sales add {}.",
        en(h.sales, 2),
        pct(0.24),
        en(h.sales - 0.24, 3)
    );
    assert!(md.contains(&why), "no `{why}` in\n{md}");
    assert_eq!(md.matches("differ from the sales planned").count(), 1);

    // Every position with a workload, the head's approvals included.
    let manager: f64 = h.manager.iter().sum();
    let logist: f64 = h.logist.iter().sum();
    for (title, people, work, cap) in [
        ("Sales manager", 3, manager, 3.0 * 6.0 * 21.0),
        ("Logist", 1, logist, 7.0 * 21.0),
        ("Head of sales", 1, h.head, 3.0 * 21.0),
    ] {
        let line = format!("| {title} | {people} | {} | {} | {} |", en(work, 1), en(cap, 1), pct(work / cap));
        assert!(md.contains(&line), "no `{line}` in\n{md}");
    }
}

#[test]
fn the_terminal_table_lists_the_helpers_and_the_limit() {
    let h = hand();
    let text = funnel_text(&compiled(SALE));
    let head = text.lines().find(|l| l.starts_with("Head of sales")).unwrap_or_else(|| panic!("{text}"));
    assert!(head.ends_with(&pct(h.head / 63.0)), "{head}");
    assert!(head.contains(&en(h.head, 1)), "{head}");
    // Over the plan's limit (here 20%) the utilization says so.
    let tight = SALE.replace("utilization 85%", "utilization 20%");
    let c = compiled_with_warnings(&tight);
    let text = funnel_text(&c);
    let manager: f64 = h.manager.iter().sum();
    let line = text.lines().find(|l| l.starts_with("Sales manager       3")).unwrap_or_else(|| panic!("{text}"));
    assert!(line.ends_with(&format!("{} (over the 20% limit)", pct(manager / 378.0))), "{line}");
    let logist = text.lines().find(|l| l.starts_with("Logist    ")).unwrap_or_else(|| panic!("{text}"));
    assert!(
        logist.ends_with(&format!("{} (over the 20% limit)", pct(h.logist.iter().sum::<f64>() / 147.0))),
        "{logist}"
    );
}

/// Compiles a process that may have warnings (P504 over the limit).
fn compiled_with_warnings(text: &str) -> procdef::Compiled {
    let c = procdef::compile(text.as_bytes());
    assert!(c.analysis.is_some(), "{}", render("p.proc", &c));
    c
}

/// The `- «Stage»: **H h** per month: …` lines of a manual and their hours.
fn hour_lines(manual: &str) -> Vec<(String, f64)> {
    manual
        .lines()
        .filter(|l| l.starts_with("- «") && l.contains(" h** per month: "))
        .map(|l| {
            let h = l.split("**").nth(1).and_then(|x| x.strip_suffix(" h")).expect("hours");
            (l.to_string(), h.replace(',', "").parse::<f64>().expect("a number"))
        })
        .collect()
}

#[test]
fn each_manual_shows_where_its_hours_go() {
    let h = hand();
    let c = compiled(SALE);
    let nc = h.new_clients;

    let m = manual_of(&c, "manager");
    let lines = hour_lines(&m);
    assert_eq!(
        lines.iter().map(|(l, _)| l.clone()).collect::<Vec<_>>(),
        [
            format!(
                "- «Request»: **{} h** per month: {} clients × 20 min as the stage's owner.",
                en(h.manager[0], 1),
                en(nc, 1)
            ),
            format!(
                "- «Offer»: **{} h** per month: {} clients × 1 h as the stage's owner.",
                en(h.manager[1], 1),
                en(nc * h.offer, 1)
            ),
            format!(
                "- «Contract signed»: **{} h** per month: {} clients × 30 min as the stage's owner.",
                en(h.manager[2], 1),
                en(nc * h.sales, 1)
            ),
        ]
    );
    let manager: f64 = h.manager.iter().sum();
    assert!(
        m.contains(&format!(
            "- Under the plan you need **{} h** per month of the **378 h** your position has: **{}** of your working time.",
            en(manager, 1),
            pct(manager / 378.0)
        )),
        "{m}"
    );
    assert!(m.contains("The plan allows at most **85%**."), "{m}");
    // The lines add up to the workload, to their rounding.
    let sum: f64 = lines.iter().map(|(_, x)| x).sum();
    assert!((sum - manager).abs() < 0.05 * lines.len() as f64, "{sum} vs {manager}");

    // The logist: its own stage and its step at another's.
    let l = manual_of(&c, "logist");
    let lines: Vec<String> = hour_lines(&l).into_iter().map(|(l, _)| l).collect();
    assert_eq!(
        lines,
        [
            format!(
                "- «Offer»: **{} h** per month: {} clients × 15 min for «Quote the delivery».",
                en(h.logist[0], 1),
                en(nc * h.offer, 1)
            ),
            format!(
                "- «Delivery»: **{} h** per month: {} clients × 1 h as the stage's owner.",
                en(h.logist[1], 1),
                en(nc * h.sales, 1)
            ),
        ]
    );
    assert!(
        l.contains("*deadline: within 1 day of the client entering the stage; your time: 15 min per client*"),
        "{l}"
    );

    // The head owns no stage: its hours are the builders' discounts.
    let hd = manual_of(&c, "head");
    let lines: Vec<String> = hour_lines(&hd).into_iter().map(|(l, _)| l).collect();
    assert_eq!(
        lines,
        [format!(
            "- «Offer»: **{} h** per month: {} clients × 10 min for «Approve the discount».",
            en(h.head, 1),
            en(nc * h.offer * 0.3, 1)
        )]
    );
    assert!(hd.contains(&format!("**{}** of your working time", pct(h.head / 63.0))), "{hd}");
}

#[test]
fn manuals_say_buy_where_the_process_has_a_sale() {
    let c = compiled(SALE);
    let m = manual_of(&c, "manager");
    assert!(m.contains("Of the clients who reach this stage, **24%** buy"), "{m}");
    assert!(m.contains("Here the client buys: every client who reaches this stage is a sale."), "{m}");
    assert!(m.contains(&format!("- «Contract signed»: about **{}** sales per month.", en(hand().goal, 1))), "{m}");
    assert!(m.contains("3. **Contract signed** (the sale) ← yours"), "{m}");
    // The outcome after the sale is the end of the service, not a win.
    assert!(m.contains("5. Served (the client stays with us)"), "{m}");
    let l = manual_of(&c, "logist");
    assert!(l.contains("After the sale: **12%** of the clients who reach this stage buy again."), "{l}");
    assert!(l.contains("- To «Served», the client stays with us: 70% of clients."), "{l}");
    for text in [&m, &l] {
        assert!(!text.contains("are won in the end"), "{text}");
        assert!(!text.contains("the client is won"), "{text}");
    }
    // Without a sale stage the won outcome is still the win.
    let plain = SALE.replace("    sale\n", "");
    let m = manual_of(&compiled(&plain), "manager");
    assert!(m.contains("are won in the end"), "{m}");
    assert!(m.contains("5. Served (the client is won)"), "{m}");
}

/// The contract's example in Russian: the same numbers, Russian titles
/// and a lost outcome titled with the very word the manuals use for it.
fn russian() -> String {
    SALE.replace("process distribution \"Distribution sales\" {", "process distribution \"Продажи\" {\n  language ru")
        .replace("stage lost \"Lost\"", "stage lost \"Клиент потерян\"")
        .replace("role head \"Head of sales\"", "role head \"Руководитель\"")
        .replace("role logist \"Logist\"", "role logist \"Логист\"")
        .replace("role manager \"Sales manager\"", "role manager \"Менеджер\"")
        .replace("audit manager by head every 1w", "audit manager, logist by head every 1w")
}

#[test]
fn russian_money_reads_in_roubles_with_grouped_thousands() {
    let c = compiled(&russian());
    let md = funnel_file(&c);
    // No-break spaces between the thousands, the sign after.
    assert!(
        md.contains(
            "План: 9\u{a0}000\u{a0}000\u{a0}₽ в месяц; при средней сделке 480\u{a0}000\u{a0}₽ нужно продаж: 18,8."
        ),
        "{md}"
    );
    assert!(!md.contains("RUB"), "{md}");
    assert!(md.contains("| Менеджер | 3 | 79,2 | 378 | 20,9% |"), "{md}");
    assert!(
        md.contains(
            "Число новых клиентов не равно числу продаж, потому что один новый клиент в среднем приносит 0,27 продажи"
        ),
        "{md}"
    );
}

#[test]
fn russian_names_are_said_once_and_lists_follow_labels() {
    let c = compiled(&russian());
    let md = funnel_file(&c);
    assert!(md.contains("| Клиент потерян | 0% |"), "{md}");
    let m = manual_of(&c, "manager");
    assert!(!m.contains("Клиент потерян (клиент потерян)"), "{m}");
    assert!(m.contains("6. Клиент потерян\n"), "{m}");
    assert!(m.contains("- На этап «Клиент потерян»: 40% клиентов."), "{m}");
    // The head audits two positions: the list follows a label.
    let head = manual_of(&c, "head");
    assert!(head.contains("| Проверяемые должности: Менеджер и Логист |"), "{head}");
    assert!(!head.contains("проверяете:"), "{head}");
    let outputs = procdef::emit::outputs(c.model.as_ref().expect("model"), c.analysis.as_ref(), "p.proc", &russian());
    for o in &outputs {
        if o.path.ends_with(".json") {
            continue;
        }
        let text = &o.contents;
        for verb in ["проверяет:", "проверяете:", "только для:"] {
            assert!(!text.contains(verb), "{}: `{verb}`\n{text}", o.path);
        }
    }
}

#[test]
fn a_currency_in_small_letters_is_read_as_its_code() {
    let text = SALE.replace("deal 300000 RUB", "deal 300000 rub");
    let c = procdef::compile(text.as_bytes());
    let codes = actual_codes(&c.diagnostics);
    assert!(!codes.iter().any(|c| c == "P002" || c == "P505"), "{codes:?}");
    let model = c.model.as_ref().expect("model");
    assert_eq!(model.segments[0].deal.as_ref().map(|d| d.currency.as_str()), Some("RUB"));
    let same = compiled(SALE);
    assert_eq!(c.analysis, same.analysis);
    // A word that is no code is still rejected.
    let bad = procdef::compile(SALE.replace("deal 300000 RUB", "deal 300000 руб").as_bytes());
    assert!(actual_codes(&bad.diagnostics).iter().any(|c| c == "P002"));
}

#[test]
fn a_manual_says_when_the_plan_asks_more_than_its_limit() {
    let within = manual_of(&compiled(SALE), "manager");
    assert!(!within.contains("more than the plan allows"), "{within}");
    // 20.9% is over a 20% limit, under 100%: the limit's words, not capacity's.
    let tight = compiled_with_warnings(&SALE.replace("utilization 85%", "utilization 20%"));
    let m = manual_of(&tight, "manager");
    assert!(m.contains("The plan allows at most **20%**. That is more than the plan allows"), "{m}");
    assert!(!m.contains("more time than your position has"), "{m}");
    // Without a limit the manual names none.
    let free = manual_of(&compiled(&SALE.replace("    utilization 85%\n", "")), "manager");
    assert!(!free.contains("The plan allows at most"), "{free}");
}
