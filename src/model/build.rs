//! Building the [`Model`] from the AST. Infallible: see the module docs of
//! [`crate::model`] for what it keeps when the file has mistakes.

use super::*;
use crate::ast;
use foldhash::HashMap;

/// The first declaration of each name wins.
fn index<'a, Id>(names: impl ExactSizeIterator<Item = &'a str>, id: impl Fn(usize) -> Id) -> HashMap<String, Id> {
    let mut map = HashMap::with_capacity_and_hasher(names.len(), Default::default());
    for (i, name) in names.enumerate() {
        if !map.contains_key(name) {
            map.insert(name.to_string(), id(i));
        }
    }
    map
}

fn title_of(name: &ast::Ident, title: &Option<ast::Text>) -> String {
    title.as_ref().map_or_else(|| name.name.clone(), |t| t.value.clone())
}

/// Joins repeated descriptions into paragraphs.
fn join(descriptions: Vec<&ast::Text>) -> Option<String> {
    if descriptions.is_empty() {
        None
    } else {
        Some(descriptions.iter().map(|t| t.value.as_str()).collect::<Vec<_>>().join("\n\n"))
    }
}

/// Keeps the first declaration of each name.
fn firsts<'a, T>(items: &[&'a T], name: impl Fn(&'a T) -> &'a str) -> Vec<&'a T> {
    let mut seen = foldhash::HashSet::with_capacity_and_hasher(items.len(), Default::default());
    items.iter().copied().filter(|i| seen.insert(name(i))).collect()
}

struct Builder {
    references: Vec<Reference>,
    stage_index: HashMap<String, StageId>,
    role_index: HashMap<String, RoleId>,
    segment_index: HashMap<String, SegmentId>,
    product_index: HashMap<String, ProductId>,
}

impl Builder {
    fn stage(&mut self, name: &ast::Ident, used_as: &'static str) -> Option<StageId> {
        let found = self.stage_index.get(&name.name).copied();
        self.note(NameKind::Stage, name, found.map(Declared::Stage), used_as);
        found
    }

    fn role(&mut self, name: &ast::Ident, used_as: &'static str) -> Option<RoleId> {
        let found = self.role_index.get(&name.name).copied();
        self.note(NameKind::Role, name, found.map(Declared::Role), used_as);
        found
    }

    fn segment_or_product(&mut self, name: &ast::Ident) {
        let found = match self.segment_index.get(&name.name) {
            Some(&id) => Some(Declared::Segment(id)),
            None => self.product_index.get(&name.name).map(|&id| Declared::Product(id)),
        };
        self.note(NameKind::SegmentOrProduct, name, found, "`for` list entry");
    }

    fn note(&mut self, kind: NameKind, name: &ast::Ident, to: Option<Declared>, used_as: &'static str) {
        let written = to.is_none().then(|| name.name.as_str().into());
        self.references.push(Reference { kind, span: name.span, to, role_in_text: used_as, written });
    }
}

/// Builds the model of a parsed process.
pub fn build(process: &ast::Process) -> Model {
    use ast::ProcessItem as I;
    let mut segments_ast = Vec::new();
    let mut products_ast = Vec::new();
    let mut roles_ast = Vec::new();
    let mut stages_ast = Vec::new();
    let mut metrics_ast = Vec::new();
    let mut language = None;
    let mut version = None;
    let mut descriptions = Vec::new();
    let mut plan_ast = None;
    let mut rollout_ast = None;
    for item in &process.items {
        match item {
            I::Language(l) => {
                if language.is_none() {
                    language = Some(l.value);
                }
            }
            I::Version(v) => {
                version.get_or_insert_with(|| v.value.clone());
            }
            I::Description(d) => descriptions.push(d),
            I::Segment(s) => segments_ast.push(s),
            I::Product(p) => products_ast.push(p),
            I::Role(r) => roles_ast.push(r),
            I::Stage(s) => stages_ast.push(s),
            I::Metric(m) => metrics_ast.push(m),
            I::Plan(p) => {
                plan_ast.get_or_insert(p);
            }
            I::Rollout(r) => {
                rollout_ast.get_or_insert(r);
            }
            I::Use(_) => {}
        }
    }
    let segments_ast = firsts(&segments_ast, |s| &s.name.name);
    let products_ast = firsts(&products_ast, |s| &s.name.name);
    let roles_ast = firsts(&roles_ast, |s| &s.name.name);
    let stages_ast = firsts(&stages_ast, |s| &s.name.name);
    let metrics_ast = firsts(&metrics_ast, |s| &s.name.name);

    // About one owner, one instruct role and two targets a stage: one
    // allocation instead of a doubling buffer for a large process.
    let mut b = Builder {
        references: Vec::with_capacity(stages_ast.len() * 4 + metrics_ast.len() * 2),
        stage_index: index(stages_ast.iter().map(|s| s.name.name.as_str()), StageId),
        role_index: index(roles_ast.iter().map(|s| s.name.name.as_str()), RoleId),
        segment_index: index(segments_ast.iter().map(|s| s.name.name.as_str()), SegmentId),
        product_index: index(products_ast.iter().map(|s| s.name.name.as_str()), ProductId),
    };

    let segments = segments_ast.iter().map(|s| segment(s)).collect();
    let products = products_ast
        .iter()
        .map(|p| Product {
            id: p.name.name.clone(),
            title: title_of(&p.name, &p.title),
            span: p.name.span,
            description: join(p.descriptions.iter().collect()),
        })
        .collect();
    let roles = roles_ast.iter().map(|r| role(&mut b, r)).collect();
    let stages = stages_ast.iter().map(|s| stage(&mut b, s)).collect();
    let metrics = metrics_ast.iter().map(|m| metric(&mut b, m)).collect();
    let plan = plan_ast.map(plan);
    let rollout = rollout_ast.map(|r| rollout(&mut b, r));

    Model {
        id: process.name.name.clone(),
        title: title_of(&process.name, &process.title),
        name_span: process.name.span,
        language: language.flatten().unwrap_or(Language::En),
        version,
        description: join(descriptions),
        segments,
        products,
        roles,
        stages,
        metrics,
        plan,
        rollout,
        references: b.references,
        stage_index: b.stage_index,
        role_index: b.role_index,
        segment_index: b.segment_index,
        product_index: b.product_index,
    }
}

fn segment(s: &ast::Segment) -> Segment {
    let mut share = None;
    let mut share_span = None;
    let mut deal = None;
    let mut descriptions = Vec::new();
    let mut share_seen = false;
    let mut deal_seen = false;
    for item in &s.items {
        match item {
            ast::SegmentItem::Description(d) => descriptions.push(d),
            ast::SegmentItem::Share(l) if !share_seen => {
                share_seen = true;
                share = l.value;
                share_span = Some(l.span);
            }
            ast::SegmentItem::Deal(l) if !deal_seen => {
                deal_seen = true;
                deal = l.value.clone();
            }
            _ => {}
        }
    }
    Segment {
        id: s.name.name.clone(),
        title: title_of(&s.name, &s.title),
        span: s.name.span,
        description: join(descriptions),
        share,
        share_span,
        deal,
    }
}

fn role(b: &mut Builder, r: &ast::Role) -> Role {
    let mut headcount = None;
    let mut capacity = None;
    let mut reports = None;
    let mut descriptions = Vec::new();
    for item in &r.items {
        match item {
            ast::RoleItem::Description(d) => descriptions.push(d),
            ast::RoleItem::Headcount(l) => {
                headcount.get_or_insert(l.value);
            }
            ast::RoleItem::Capacity(l) => {
                capacity.get_or_insert(l.value);
            }
            ast::RoleItem::ReportsTo { keyword, role } => {
                if reports.is_none() {
                    reports = Some((b.role(role, "`reports to` role"), keyword.to(role.span)));
                }
            }
        }
    }
    Role {
        id: r.name.name.clone(),
        title: title_of(&r.name, &r.title),
        span: r.name.span,
        description: join(descriptions),
        headcount: headcount.flatten().unwrap_or(1),
        capacity_minutes: capacity.flatten(),
        reports_to: reports.as_ref().and_then(|(id, _)| *id),
        reports_to_span: reports.map(|(_, span)| span),
    }
}

fn stage(b: &mut Builder, s: &ast::Stage) -> Stage {
    use ast::StageItemKind as K;
    let is_outcome = s.items.iter().any(|i| matches!(i.kind, K::Outcome(_)));
    let mut stage = Stage {
        id: s.name.name.clone(),
        title: title_of(&s.name, &s.title),
        span: s.name.span,
        description: None,
        entry: None,
        outcome: None,
        owner: None,
        owner_span: None,
        takes: None,
        takes_span: None,
        within: None,
        within_span: None,
        effort: None,
        instructions: Vec::new(),
        has_instruct_block: false,
        exits: Vec::new(),
        sale: false,
        sale_span: None,
        transitions: Vec::new(),
        has_rejected_percent: false,
    };
    let mut descriptions = Vec::new();
    let mut seen = 0u8;
    for item in &s.items {
        // An outcome stage keeps only description and instructions (P207);
        // a property given twice keeps its first value (P104).
        let keep_on_outcome = matches!(item.kind, K::Description(_) | K::Instruct { .. } | K::Outcome(_));
        if is_outcome && !keep_on_outcome {
            // Still resolve names so that P102 reports them.
            match &item.kind {
                K::Owner(role) => {
                    b.role(role, "owner");
                }
                K::Transition(t) => {
                    b.stage(&t.target, "transition target");
                }
                _ => {}
            }
            continue;
        }
        // The properties given at most once, each a bit of `seen`.
        let once = match item.kind {
            K::Entry { .. } => 1,
            K::Outcome(_) => 2,
            K::Owner(_) => 4,
            K::Takes(_) => 8,
            K::Within(_) => 16,
            K::Effort(_) => 32,
            K::Sale => 64,
            _ => 0,
        };
        let first = seen & once == 0;
        seen |= once;
        match &item.kind {
            K::Description(d) => descriptions.push(d),
            K::Entry { kind, share } if first => {
                stage.entry = Some(Entry {
                    kind: *kind,
                    share: share.as_ref().and_then(|l| l.value),
                    span: item.span,
                    share_span: share.as_ref().map(|l| l.span),
                });
            }
            K::Outcome(kind) if first => stage.outcome = Some(*kind),
            K::Owner(role) => {
                let id = b.role(role, "owner");
                if first {
                    stage.owner = id;
                    stage.owner_span = Some(item.span);
                }
            }
            K::Takes(l) if first => {
                stage.takes = l.value;
                stage.takes_span = Some(item.span);
            }
            K::Within(l) if first => {
                stage.within = l.value;
                stage.within_span = Some(item.span);
            }
            K::Effort(l) if first => stage.effort = l.value,
            K::Instruct { role, instructions } => {
                stage.has_instruct_block = true;
                let role_id = b.role(role, "`instruct` role");
                for i in instructions {
                    for name in &i.for_names {
                        b.segment_or_product(name);
                    }
                    stage.instructions.push(Instruction {
                        role: role_id,
                        role_name: role.name.clone(),
                        text: i.text.value.clone(),
                        within: i.within.as_ref().and_then(|l| l.value),
                        within_span: i.within.as_ref().map(|l| l.span),
                        effort: i.effort.as_ref().and_then(|l| l.value),
                        for_names: i.for_names.iter().map(|n| n.name.clone()).collect(),
                        span: i.span,
                    });
                }
            }
            K::Exit(t) => stage.exits.push(t.value.clone()),
            K::Sale if first => {
                stage.sale = true;
                stage.sale_span = Some(item.span);
            }
            K::Transition(t) => {
                let target = b.stage(&t.target, "transition target");
                let rejected = t.percent.as_ref().is_some_and(|l| l.value.is_none());
                stage.has_rejected_percent |= rejected;
                stage.transitions.push(Transition {
                    target,
                    target_name: t.target.name.clone(),
                    given: t.percent.as_ref().and_then(|l| l.value),
                    open: t.percent.is_none(),
                    probability: 0.0,
                    is_loop: t.is_loop,
                    label: t.label.as_ref().map(|l| l.value.clone()),
                    span: item.span,
                });
            }
            _ => {}
        }
    }
    stage.description = join(descriptions);
    resolve_probabilities(&mut stage.transitions);
    stage
}

/// Fills in `probability`: given percentages as written, and the remainder
/// to the one open transition (split evenly when several are open, which is
/// P303 and never reaches an output).
fn resolve_probabilities(transitions: &mut [Transition]) {
    let given: f64 = transitions.iter().filter_map(|t| t.given).sum();
    let open = transitions.iter().filter(|t| t.open).count();
    let remainder = (1.0 - given).max(0.0);
    for t in transitions.iter_mut() {
        t.probability = match t.given {
            Some(p) => p,
            None if t.open => remainder / open as f64,
            None => 0.0,
        };
    }
}

fn metric(b: &mut Builder, m: &ast::Metric) -> Metric {
    use ast::MetricItemKind as K;
    let mut measures = Vec::new();
    let mut target = None;
    let mut owner = None;
    let mut review = None;
    let mut descriptions = Vec::new();
    for item in &m.items {
        match &item.kind {
            K::Description(d) => descriptions.push(d),
            K::Conversion { from, to } => measures.push(Measure::Conversion {
                from: b.stage(from, "stage of a conversion"),
                to: b.stage(to, "stage of a conversion"),
            }),
            K::Time { from, to } => measures.push(Measure::Time {
                from: b.stage(from, "stage of a time metric"),
                to: to.as_ref().map(|t| b.stage(t, "stage of a time metric")),
            }),
            K::Volume(s) => measures.push(Measure::Volume(b.stage(s, "stage of a volume metric"))),
            K::Activity { what, role } => {
                measures.push(Measure::Activity { what: what.value.clone(), role: b.role(role, "role of an activity") })
            }
            K::Target { cmp, value } => {
                if target.is_none() {
                    target = Some(value.value.map(|v| Target { cmp: *cmp, value: v, span: item.span }));
                }
            }
            K::Owner(role) => {
                let id = b.role(role, "metric owner");
                owner.get_or_insert(id);
            }
            K::Review(r) => {
                review.get_or_insert(*r);
            }
        }
    }
    let measure_count = measures.len();
    Metric {
        id: m.name.name.clone(),
        title: title_of(&m.name, &m.title),
        span: m.name.span,
        description: join(descriptions),
        measure: if measure_count == 1 { measures.pop() } else { None },
        measure_count,
        target: target.flatten(),
        owner: owner.flatten(),
        review,
    }
}

fn plan(p: &ast::Plan) -> Plan {
    let mut goal = None;
    let mut goal_span = None;
    let mut workdays = None;
    let mut utilization = None;
    for item in &p.items {
        match &item.kind {
            ast::PlanItemKind::Goal(l) if goal_span.is_none() => {
                goal = l.value.map(Goal::Clients);
                goal_span = Some(item.span);
            }
            ast::PlanItemKind::Revenue(l) if goal_span.is_none() => {
                goal = l.value.clone().map(|(m, per)| Goal::Revenue(m, per));
                goal_span = Some(item.span);
            }
            ast::PlanItemKind::Workdays(l) => {
                workdays.get_or_insert(l.value);
            }
            ast::PlanItemKind::Utilization(l) => {
                utilization.get_or_insert((l.value, item.span));
            }
            _ => {}
        }
    }
    Plan {
        title: p.title.as_ref().map(|t| t.value.clone()),
        span: p.keyword,
        goal,
        goal_span,
        workdays: workdays.flatten().unwrap_or(21.0),
        utilization_limit: utilization.and_then(|u| u.0).unwrap_or(1.0),
        utilization_span: utilization.map(|u| u.1),
    }
}

fn rollout(b: &mut Builder, r: &ast::Rollout) -> Rollout {
    use ast::RolloutItemKind as K;
    let mut start = None;
    let mut length = None;
    let mut briefings = Vec::new();
    let mut exams = Vec::new();
    let mut audits = Vec::new();
    let mut weekdays = false;
    let mut holidays = Vec::new();
    let roles = |b: &mut Builder, names: &[ast::Ident], used_as| -> Vec<RoleId> {
        names.iter().filter_map(|n| b.role(n, used_as)).collect()
    };
    for item in &r.items {
        match &item.kind {
            K::Start(l) => {
                start.get_or_insert((l.value, l.span));
            }
            K::Length(l) => {
                length.get_or_insert(l.value);
            }
            K::Briefing { roles: names, every } => briefings.push(Briefing {
                roles: roles(b, names, "briefed role"),
                every_minutes: every.value,
                every_span: every.span,
                span: item.span,
            }),
            K::Exam { roles: names, at, questions } => exams.push(Exam {
                roles: roles(b, names, "examined role"),
                at: at.iter().filter_map(|l| l.value.map(|v| (v, l.span))).collect(),
                questions: questions.as_ref().and_then(|l| l.value),
                span: item.span,
            }),
            K::Weekdays => weekdays = true,
            K::Holidays(days) => {
                // Any `holidays` line keeps the events to working days.
                weekdays = true;
                holidays.extend(days.iter().filter_map(|l| l.value));
            }
            K::Audit { roles: names, by, every } => audits.push(Audit {
                roles: roles(b, names, "audited role"),
                by: b.role(by, "auditor role"),
                every_minutes: every.value,
                every_span: every.span,
                span: item.span,
            }),
        }
    }
    Rollout {
        span: r.keyword,
        start: start.and_then(|(date, _)| date),
        start_span: start.map_or(r.keyword, |(_, span)| span),
        length_minutes: length.flatten().unwrap_or(100 * DAY),
        briefings,
        exams,
        audits,
        weekdays,
        holidays,
    }
}
