//! The HTML manuals, parsed back: their structure, that they are
//! self-contained, that user text stays text; custom templates; and
//! `--segment`.

mod common;

use common::*;
use procdef::emit::{Error, Options, Output};
use scraper::{Html, Selector};

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap_or_else(|e| panic!("selector {s}: {e}"))
}

fn build_with(text: &str, options: &Options) -> Result<Vec<Output>, Error> {
    let compiled = procdef::compile(text.as_bytes());
    assert!(!compiled.has_errors(), "{}", render("test.proc", &compiled));
    let model = compiled.model.as_ref().expect("a model");
    let graph = compiled.graph.as_ref().expect("a stage graph");
    procdef::emit::outputs_with(model, graph, compiled.analysis.as_ref(), "test.proc", &compiled.text, options)
}

fn example_text(name: &str) -> String {
    std::fs::read_to_string(root().join("examples").join(name)).expect("example is readable")
}

fn file<'a>(outputs: &'a [Output], path: &str) -> &'a str {
    &outputs.iter().find(|o| o.path == path).unwrap_or_else(|| panic!("no {path}")).contents
}

/// Every `src`/`href`-like attribute stays inside the page, and nothing
/// is fetched: no scripts, no style sheets, no `url()` but to a fragment.
fn assert_self_contained(path: &str, html: &str) {
    let doc = Html::parse_document(html);
    for el in doc.select(&sel("*")) {
        for (name, value) in el.value().attrs() {
            let name = name.to_ascii_lowercase();
            if name == "href" || name == "xlink:href" {
                assert!(value.starts_with('#'), "{path}: {name}={value}");
            }
            assert!(!["src", "srcset", "action", "poster", "data"].contains(&name.as_str()), "{path}: {name}={value}");
        }
    }
    assert_eq!(doc.select(&sel("script, link, iframe, img, object, embed, base")).count(), 0, "{path}");
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("@import"), "{path}");
    for (i, _) in lower.match_indices("url(") {
        assert!(lower[i + 4..].starts_with('#'), "{path}: {}", &html[i..(i + 40).min(html.len())]);
    }
    assert!(!lower.contains("http://") && !lower.contains("https://"), "{path}: an address");
}

#[test]
fn html_manuals_have_a_toc_a_section_per_stage_and_an_svg_graph() {
    for name in ["sales-process.proc", "sales-process-ru.proc"] {
        let text = example_text(name);
        let compiled = procdef::compile(text.as_bytes());
        let model = compiled.model.as_ref().expect("a model");
        let outputs = build_with(&text, &Options::default()).expect("built");
        for (i, role) in model.roles.iter().enumerate() {
            let md = outputs
                .iter()
                .filter(|o| o.path.ends_with(".md") && o.path.starts_with("manuals/"))
                .nth(i)
                .expect("md");
            let html_path = md.path.replace(".md", ".html");
            let html = file(&outputs, &html_path);
            assert_self_contained(&html_path, html);
            let doc = Html::parse_document(html);
            assert_eq!(doc.select(&sel("h1")).count(), 1);
            // The table of contents links to every section that is there.
            let links: Vec<String> = doc
                .select(&sel("nav.toc a"))
                .map(|a| a.value().attr("href").expect("href").trim_start_matches('#').to_string())
                .collect();
            assert!(links.len() >= 5, "{html_path}: {links:?}");
            for id in &links {
                assert_eq!(doc.select(&sel(&format!("[id=\"{id}\"]"))).count(), 1, "{html_path}: #{id}");
            }
            // One section per stage the role owns or helps at, as in the Markdown manual.
            let own = model.stages.iter().filter(|s| s.owner == Some(procdef::model::RoleId(i))).count();
            let sections = doc.select(&sel("section.stage")).count();
            let md_stages = md.contents.lines().filter(|l| l.starts_with("### ")).count();
            assert_eq!(sections, md_stages, "{html_path}");
            assert!(sections >= own, "{html_path}");
            assert_eq!(doc.select(&sel("#stages section.stage")).count(), own, "{html_path}");
            // The same headings in the same order.
            let h2: Vec<String> = doc.select(&sel("section > h2")).map(|h| h.text().collect()).collect();
            let md_h2: Vec<String> =
                md.contents.lines().filter_map(|l| l.strip_prefix("## ")).map(str::to_string).collect();
            assert_eq!(h2, md_h2, "{html_path}");
            // The graph: one box per stage, the role's own ones marked.
            let svg = doc.select(&sel("section.glance svg")).next().unwrap_or_else(|| panic!("{html_path}: no svg"));
            assert_eq!(svg.select(&sel("g.stage rect")).count(), model.stages.len(), "{html_path}");
            assert_eq!(svg.select(&sel("g.mine")).count(), own, "{html_path}");
            // An arrow per transition but those to a loss; each of those is
            // a red line in its stage's box instead.
            let lost = |t: &procdef::model::Transition| {
                t.target.is_some_and(|s| model.stage(s).outcome == Some(procdef::model::OutcomeKind::Lost))
            };
            let arrows: usize = model.stages.iter().map(|s| s.transitions.iter().filter(|t| !lost(t)).count()).sum();
            assert_eq!(svg.select(&sel("path.edge")).count(), arrows, "{html_path}");
            let losses: usize = model.stages.iter().map(|s| s.transitions.iter().filter(|t| lost(t)).count()).sum();
            assert_eq!(svg.select(&sel("g.stage text.loss")).count(), losses, "{html_path}");
            // It fits the printed page: A4 less the margins is 680 px.
            let width: i32 = svg.value().attr("width").and_then(|w| w.parse().ok()).expect("a width");
            assert!(width <= 680, "{html_path}: {width} px");
            let loops: usize = model.stages.iter().map(|s| s.transitions.iter().filter(|t| t.is_loop).count()).sum();
            assert_eq!(svg.select(&sel("path.edge.loop")).count(), loops, "{html_path}");
            assert!(html.contains(&role.title.replace('&', "&amp;").replace('<', "&lt;")), "{html_path}");
        }
    }
}

#[test]
fn the_html_prints_on_a4_and_keeps_each_stage_whole() {
    let outputs = build_with(&example_text("sales-process.proc"), &Options::default()).expect("built");
    let html = file(&outputs, "manuals/manager.html");
    assert!(html.contains("@page { size: A4;"), "no A4 page");
    assert!(html.contains(".part, .steps li"), "a stage's parts are not split across pages");
    assert!(!html.contains("break-before: page"), "no forced page break, which leaves a remnant before it");
}

const HOSTILE: &str = r#"process evil "<script>alert(1)</script>" {
  version "<img src=x onerror=alert(2)>"
  segment seg "<b>Seg</b>"
  role rep "<script>alert(3)</script> & co" { description "<iframe src=\"https://example.com\"></iframe>" }
  stage call "<script>alert(4)</script>" {
    entry owner rep within 2h
    description "**not bold** [link](https://example.com) <a href=\"https://example.com\">x</a>"
    instruct rep { "<script>alert(5)</script>" within 1h for seg "{{ 7 * 7 }} {% if true %}x{% endif %}" }
    exit "<style>body{display:none}</style>"
    -> won 40% "<svg onload=alert(6)>"
    -> lost
  }
  stage won "Won" { outcome won }
  stage lost "Lost" { outcome lost }
  rollout { start 2027-01-11 exam rep at 7d audit rep by rep every 1w }
}
"#;

#[test]
fn hostile_text_stays_text_in_every_output() {
    let outputs = build_with(HOSTILE, &Options::default()).expect("built");
    let html = file(&outputs, "manuals/rep.html");
    assert_self_contained("manuals/rep.html", html);
    let doc = Html::parse_document(html);
    assert_eq!(doc.select(&sel("script, img, iframe, b, style + style")).count(), 0);
    assert_eq!(doc.select(&sel("style")).count(), 1, "only the page's own style");
    for el in doc.select(&sel("*")) {
        for (name, _) in el.value().attrs() {
            assert!(!name.starts_with("on"), "an event handler: {name}");
        }
    }
    let body: String = doc.select(&sel("body")).flat_map(|b| b.text()).collect();
    for n in [1, 3, 4, 5] {
        assert!(body.contains(&format!("<script>alert({n})</script>")), "alert({n}) is not shown as text");
    }
    assert!(body.contains("{{ 7 * 7 }}"), "template syntax in user text must not run");
    assert!(!body.contains("49 x"), "template syntax in user text ran");
    let title: String = doc.select(&sel("title")).next().expect("a title").text().collect();
    assert!(title.contains("<script>alert(3)</script>"));
    // The SVG box shows the stage title as text too.
    let svg_text: String = doc.select(&sel("svg g.stage text")).flat_map(|t| t.text()).collect();
    assert!(svg_text.contains("<script>alert(4)"), "{svg_text}");
    // Markdown outputs escape it.
    for o in outputs.iter().filter(|o| o.path.ends_with(".md")) {
        assert!(!o.contents.contains("<script>"), "{}", o.path);
        assert!(!o.contents.contains("<img"), "{}", o.path);
    }
    let md = file(&outputs, "manuals/rep.md");
    assert!(md.contains("&lt;script&gt;alert(5)&lt;/script&gt;"));
    assert!(md.contains("\\*\\*not bold\\*\\* \\[link\\](https://example.com)"));
}

#[test]
fn a_template_of_your_own_renders_with_auto_escaping() {
    let template = "<h1>{{ manual.title }}</h1>{% for e in manual.contents %}<a href=\"#{{ e.anchor }}\">{{ e.title }}</a>{% endfor %}<p>{{ t[\"manual.norms\"] }}</p>{{ lang }}";
    let options = Options { templates: vec![("manual.html.j2".into(), template.into())], ..Options::default() };
    let outputs = build_with(HOSTILE, &options).expect("built");
    let html = file(&outputs, "manuals/rep.html");
    assert!(
        html.starts_with("<h1>&lt;script&gt;alert(3)&lt;&#x2f;script&gt; &amp; co: instruction manual</h1>"),
        "{html}"
    );
    assert!(html.contains("<p>Your norms</p>en"), "{html}");
    // Included templates are found by name.
    let options = Options {
        templates: vec![
            ("manual.html.j2".into(), "{% include \"parts.j2\" %}".into()),
            ("parts.j2".into(), "[{{ manual.role_title }}]".into()),
        ],
        ..Options::default()
    };
    let outputs = build_with(HOSTILE, &options).expect("built");
    assert_eq!(file(&outputs, "manuals/rep.html"), "[&lt;script&gt;alert(3)&lt;&#x2f;script&gt; &amp; co]");
}

#[test]
fn a_broken_template_is_an_error_not_a_panic() {
    for source in ["{% for x in %}", "{{ manual.no_such_field }}", "{{ 1 / 0 }}", "{% include \"missing.j2\" %}"] {
        let options = Options { templates: vec![("manual.html.j2".into(), source.into())], ..Options::default() };
        match build_with(HOSTILE, &options) {
            Err(Error::Template(e)) => assert!(!e.to_string().is_empty()),
            other => panic!("{source}: {other:?}"),
        }
    }
}

#[test]
fn segment_keeps_only_that_segments_steps() {
    let text = example_text("sales-process.proc");
    let all = build_with(&text, &Options::default()).expect("built");
    let dealer = build_with(&text, &Options { segment: Some("dealer".into()), ..Options::default() }).expect("built");
    for path in ["manuals/manager.md", "manuals/manager.html"] {
        let (a, d) = (file(&all, path), file(&dealer, path));
        for kept in ["For a dealer, discuss margin", "Sum the need up in the client", "Offer the dealer price tier"] {
            assert!(a.contains(kept) && d.contains(kept), "{path}: {kept}");
        }
        for dropped in [
            "For a contractor, walk the site",
            "For a plant, get the list",
            "For power tools, ask which battery",
            "Offer a trial",
        ] {
            assert!(a.contains(dropped), "{path}: {dropped}");
            assert!(!d.contains(dropped), "{path}: {dropped} is kept");
        }
        assert!(d.contains("This edition is for the segment"), "{path}");
        assert!(d.contains("Dealers and tool shops"), "{path}");
        assert!(!a.contains("This edition is for"), "{path}");
    }
    // A product works the same way; the rest of the build is unchanged.
    let tools =
        build_with(&text, &Options { segment: Some("power_tools".into()), ..Options::default() }).expect("built");
    let m = file(&tools, "manuals/manager.md");
    assert!(m.contains("This edition is for the product **Power tools**"));
    assert!(m.contains("Offer a trial") && !m.contains("For a dealer, discuss margin"));
    assert_eq!(file(&tools, "process.json"), file(&all, "process.json"));
    // The head of sales helps at a stage only for plants: with `dealer` that stage is gone.
    let head_all = file(&all, "manuals/head.md");
    let head_dealer = file(&dealer, "manuals/head.md");
    assert!(head_all.contains("Join the first meeting with every industrial plant"));
    assert!(!head_dealer.contains("Join the first meeting with every industrial plant"));
    assert!(!head_dealer.contains("### 1. First contact and needs discussion"), "{head_dealer}");
}

#[test]
fn an_unknown_segment_names_the_declared_ones() {
    let text = example_text("sales-process.proc");
    match build_with(&text, &Options { segment: Some("retail".into()), ..Options::default() }) {
        Err(Error::UnknownSegment(e)) => {
            let msg = e.to_string();
            assert!(msg.contains("`retail`"), "{msg}");
            for id in ["dealer", "contractor", "industrial", "power_tools", "equipment", "consumables"] {
                assert!(msg.contains(&format!("`{id}`")), "{msg}");
            }
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn build_reads_a_templates_folder_and_refuses_an_incomplete_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let templates = dir.path().join("templates");
    std::fs::create_dir(&templates).expect("created");
    let out = dir.path().join("out");
    let example = root().join("examples/sales-process.proc");
    let run = |extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_procdef"))
            .args(["build", "-q", "-o"])
            .arg(&out)
            .arg(&example)
            .args(extra)
            .output()
            .expect("runs")
    };
    let t = templates.to_str().expect("a path");
    // No manual.html.j2: exit 2, nothing written.
    let o = run(&["--templates", t]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("manual.html.j2"));
    assert!(!out.exists());
    // A broken template: exit 2, nothing written.
    std::fs::write(templates.join("manual.html.j2"), "{% if %}").expect("written");
    let o = run(&["--templates", t]);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!out.exists());
    // A working one is used.
    std::fs::write(templates.join("manual.html.j2"), "<p>{{ manual.title }}</p>\n").expect("written");
    let o = run(&["--templates", t, "--segment", "dealer"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let html = std::fs::read_to_string(out.join("manuals/manager.html")).expect("written");
    assert_eq!(html, "<p>Sales manager: instruction manual</p>\n");
}

/// A link of the kit's pages stays in the build folder: a relative path,
/// no scheme, no parent folder beyond the build.
fn assert_relative_links(path: &str, html: &str) {
    let doc = Html::parse_document(html);
    for a in doc.select(&sel("[href]")) {
        let href = a.value().attr("href").unwrap_or_default();
        assert!(!href.contains(':') && !href.starts_with('/') && !href.starts_with("//"), "{path}: href={href}");
    }
}

#[test]
fn every_page_of_the_kit_has_its_html_self_contained_and_escaped() {
    let outputs =
        build_with(HOSTILE.replace("rollout {", "plan { goal 10/month }\n  rollout {").as_str(), &Options::default())
            .expect("built");
    let html: Vec<&Output> = outputs.iter().filter(|o| o.path.ends_with(".html")).collect();
    // Every Markdown page a person reads has its printable page beside it.
    for md in outputs.iter().filter(|o| o.path.ends_with(".md")) {
        let twin = md.path.replace(".md", ".html");
        assert!(html.iter().any(|h| h.path == twin), "no {twin}");
    }
    for page in [
        "funnel.html",
        "index.html",
        "rollout/schedule.html",
        "rollout/exam-rep.html",
        "rollout/exam-rep-key.html",
        "rollout/audit-rep.html",
    ] {
        let text = file(&outputs, page);
        let without_links: String = {
            // The kit's own relative links aside, nothing points outside.
            let doc = Html::parse_document(text);
            assert_eq!(doc.select(&sel("script, link, iframe, img, object, embed, base, b")).count(), 0, "{page}");
            assert_eq!(doc.select(&sel("style")).count(), 1, "{page}: only the page's own style");
            for el in doc.select(&sel("*")) {
                for (name, _) in el.value().attrs() {
                    assert!(!name.starts_with("on"), "{page}: an event handler: {name}");
                }
            }
            text.to_string()
        };
        assert_relative_links(page, &without_links);
        assert!(text.contains("@page { size: A4;"), "{page}");
        let lower = text.to_ascii_lowercase();
        assert!(!lower.contains("http://") && !lower.contains("https://") && !lower.contains("@import"), "{page}");
        let doc = Html::parse_document(text);
        let body: String = doc.select(&sel("body")).flat_map(|b| b.text()).collect();
        assert!(body.contains("<script>alert(1)</script>"), "{page}: the process title is not shown as text");
    }
    let sheet = Html::parse_document(file(&outputs, "rollout/exam-rep.html"));
    let key = Html::parse_document(file(&outputs, "rollout/exam-rep-key.html"));
    let questions = sheet.select(&sel(".question")).count();
    assert!(questions > 0, "questions on the sheet");
    assert_eq!(sheet.select(&sel(".answer")).count(), 0, "no answers on the candidate's sheet");
    assert_eq!(key.select(&sel(".answer")).count(), questions, "an answer per question in the key");
    let answers: String = key.select(&sel(".answer li")).flat_map(|l| l.text()).collect();
    assert!(answers.contains("<script>alert(5)</script>"), "{answers}");
    let sheet_text: String = sheet.select(&sel("body")).flat_map(|b| b.text()).collect();
    assert!(!sheet_text.contains("alert(5)"), "the step (the answer) is not on the sheet");
    // The funnel chart: a bar per stage that is not a loss, labelled as text.
    let funnel = Html::parse_document(file(&outputs, "funnel.html"));
    let bars = funnel.select(&sel("figure.chart svg g.bar")).count();
    assert_eq!(bars, 2, "the call and the won outcome");
    let labels: String = funnel.select(&sel("figure.chart text.label")).flat_map(|t| t.text()).collect();
    assert!(labels.contains("<script>alert(4)"), "{labels}");
    // The index links every other output.
    let index = Html::parse_document(file(&outputs, "index.html"));
    let links: Vec<&str> = index.select(&sel("a")).filter_map(|a| a.value().attr("href")).collect();
    for o in outputs.iter().filter(|o| o.path != "index.html") {
        assert!(links.contains(&o.path.as_str()), "the index does not link {}", o.path);
    }
}
