#!/usr/bin/env node
// Converts the process.json written by `procdef build FILE -o OUT` into a
// BPMN 2.0 file with the same graph, so that bpmnlint can be timed on the
// process that `procdef check` is timed on.
//
//   node to-bpmn.mjs OUT/process.json FILE.bpmn [--no-di]
//
// The mapping (see README.md):
//   - one blank start event ("New client"), leading to the entry stage, or to
//     a forking exclusive gateway with one conditional flow per entry stage
//     when there are several;
//   - one task per working stage (a stage without `outcome`), named by its
//     title, its owner kept as documentation;
//   - one end event per outcome stage (`won`, `lost`);
//   - one sequence flow per transition; a stage with more than one way out
//     gets a forking exclusive gateway after its task, with a named,
//     conditional flow per transition;
//   - a task or end event with more than one incoming flow gets a joining
//     exclusive gateway in front of it (BPMN's way to merge alternatives;
//     several flows straight into a task are a "fake join");
//   - diagram interchange (BPMNDI): a shape per node and an edge per flow, on
//     a simple left-to-right layout with one column per stage. bpmnlint's
//     recommended configuration requires it (rule `no-bpmndi`); `--no-di`
//     leaves it out, which makes every element an error under that rule.
//
// The file is written line by line, so the size of the output is not bounded
// by the size of one JavaScript string.

import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';

const args = process.argv.slice(2);
const withDi = !args.includes('--no-di');
const paths = args.filter((a) => a !== '--no-di');
if (paths.length !== 2) {
  process.stderr.write('usage: node to-bpmn.mjs OUT/process.json FILE.bpmn [--no-di]\n');
  process.exit(2);
}
const [input, output] = paths;

const model = JSON.parse(readFileSync(input, 'utf8'));
if (model.schema !== 'procdef/1') {
  process.stderr.write(`to-bpmn: ${input}: expected schema "procdef/1", found ${JSON.stringify(model.schema)}\n`);
  process.exit(1);
}

// ---------------------------------------------------------------- helpers --

const escapeXml = (s) =>
  String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

// bpmn-moddle accepts only ASCII ids; stages with other ids are numbered.
const NCNAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

const percent = (p) => `${Number((p * 100).toFixed(1))}%`;

// ------------------------------------------------------------------ graph --

// Nodes: { id, type: 'startEvent' | 'task' | 'exclusiveGateway' | 'endEvent',
//          name?, doc?, incoming: [], outgoing: [], x, y, w, h }
// Flows: { id, source, target, name?, condition?, loop }
const nodes = [];
const flows = [];

const SIZE = { startEvent: [36, 36], endEvent: [36, 36], task: [100, 80], exclusiveGateway: [50, 50] };
const MID_Y = 200; // the centre line every node sits on
const COLUMN = 300; // the width of one stage's column: join, task, fork

function node(type, id, name, x, doc) {
  const [w, h] = SIZE[type];
  const n = { id, type, name, doc, incoming: [], outgoing: [], x, y: MID_Y - h / 2, w, h };
  nodes.push(n);
  return n;
}

function flow(source, target, name, condition, loop = false) {
  const f = { id: `Flow_${flows.length + 1}`, source, target, name, condition, loop };
  source.outgoing.push(f);
  target.incoming.push(f);
  flows.push(f);
  return f;
}

const stages = model.stages;
const byId = new Map(stages.map((s, i) => [s.id, { stage: s, index: i }]));
const elementId = (prefix, stage, index) => `${prefix}_${NCNAME.test(stage.id) ? stage.id : index}`;

// How many flows arrive at each stage: one per transition to it, one from the
// start for an entry.
const arriving = new Map(stages.map((s) => [s.id, 0]));
for (const s of stages) {
  if (s.entry) arriving.set(s.id, arriving.get(s.id) + 1);
  for (const t of s.transitions) arriving.set(t.to, (arriving.get(t.to) ?? 0) + 1);
}

// Working stages get columns in declaration order; outcomes come after them.
const working = stages.filter((s) => s.outcome === null);
const outcomes = stages.filter((s) => s.outcome !== null);

const start = node('startEvent', 'StartEvent_new_client', 'New client', 50);
const entries = working.filter((s) => s.entry);

// `target` is the node a flow to the stage goes to (its joining gateway if it
// has one); `exit` is the node its ways out leave from.
const at = new Map();
let x = 250;
for (const s of working) {
  const { index } = byId.get(s.id);
  let join = null;
  if (arriving.get(s.id) > 1) join = node('exclusiveGateway', elementId('Join', s, index), undefined, x);
  const task = node('task', elementId('Task', s, index), s.title, x + 80, s.owner ? `Owner: ${s.owner}` : undefined);
  if (join) flow(join, task);
  let exit = task;
  if (s.transitions.length > 1) {
    exit = node('exclusiveGateway', elementId('Fork', s, index), `${s.title}: which way?`, x + 210);
    flow(task, exit);
  }
  at.set(s.id, { target: join ?? task, exit, column: x });
  x += COLUMN;
}
const endX = x;
outcomes.forEach((s, k) => {
  const { index } = byId.get(s.id);
  const column = endX + k * 200;
  let join = null;
  if (arriving.get(s.id) > 1) join = node('exclusiveGateway', elementId('Join', s, index), undefined, column);
  const end = node('endEvent', elementId('End', s, index), s.title, column + 100);
  if (join) flow(join, end);
  at.set(s.id, { target: join ?? end, exit: end, column });
});

// Entries.
if (entries.length === 1) {
  flow(start, at.get(entries[0].id).target);
} else if (entries.length > 1) {
  const fork = node('exclusiveGateway', 'Fork_entry', 'How does the client come in?', 130);
  flow(start, fork);
  for (const s of entries) {
    const name = `${s.entry.kind} entry (${percent(s.entry.share)})`;
    flow(fork, at.get(s.id).target, name, `\${entry == "${s.id}"}`);
  }
}

// Transitions.
for (const s of working) {
  const { exit } = at.get(s.id);
  const several = s.transitions.length > 1;
  for (const t of s.transitions) {
    const to = byId.get(t.to)?.stage;
    if (!to) throw new Error(`stage ${s.id}: transition to unknown stage ${t.to}`);
    const name = several ? `${t.label ?? to.title} (${percent(t.probability)})` : t.label ?? undefined;
    const condition = several ? `\${next == "${t.to}"}` : undefined;
    flow(exit, at.get(t.to).target, name, condition, t.loop);
  }
}

// ------------------------------------------------------------------ write --

const fd = openSync(output, 'w');
let buffer = [];
let buffered = 0;
function out(line) {
  buffer.push(line);
  buffered += line.length;
  if (buffered > 1 << 20) flush();
}
function flush() {
  if (buffer.length) writeSync(fd, buffer.join('\n') + '\n');
  buffer = [];
  buffered = 0;
}

const processId = NCNAME.test(model.process.id) ? `Process_${model.process.id}` : 'Process_1';
out('<?xml version="1.0" encoding="UTF-8"?>');
out(
  '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"' +
    ' xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"' +
    ' xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"' +
    ' xmlns:di="http://www.omg.org/spec/DD/20100524/DI"' +
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' +
    ' id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn"' +
    ' exporter="procdef to-bpmn.mjs" exporterVersion="1">',
);
out(`<bpmn:process id="${processId}" name="${escapeXml(model.process.title)}" isExecutable="false">`);
for (const n of nodes) {
  const name = n.name === undefined ? '' : ` name="${escapeXml(n.name)}"`;
  out(`<bpmn:${n.type} id="${n.id}"${name}>`);
  if (n.doc) out(`<bpmn:documentation>${escapeXml(n.doc)}</bpmn:documentation>`);
  for (const f of n.incoming) out(`<bpmn:incoming>${f.id}</bpmn:incoming>`);
  for (const f of n.outgoing) out(`<bpmn:outgoing>${f.id}</bpmn:outgoing>`);
  out(`</bpmn:${n.type}>`);
}
for (const f of flows) {
  const name = f.name === undefined ? '' : ` name="${escapeXml(f.name)}"`;
  const head = `<bpmn:sequenceFlow id="${f.id}"${name} sourceRef="${f.source.id}" targetRef="${f.target.id}"`;
  if (f.condition === undefined) {
    out(`${head} />`);
  } else {
    out(`${head}>`);
    out(`<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${escapeXml(f.condition)}</bpmn:conditionExpression>`);
    out('</bpmn:sequenceFlow>');
  }
}
out('</bpmn:process>');

if (withDi) {
  out('<bpmndi:BPMNDiagram id="BPMNDiagram_1">');
  out(`<bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="${processId}">`);
  for (const n of nodes) {
    const marker = n.type === 'exclusiveGateway' ? ' isMarkerVisible="true"' : '';
    out(`<bpmndi:BPMNShape id="${n.id}_di" bpmnElement="${n.id}"${marker}>`);
    out(`<dc:Bounds x="${n.x}" y="${n.y}" width="${n.w}" height="${n.h}" />`);
    out('</bpmndi:BPMNShape>');
  }
  // Flows to the next node on the line are straight; the others leave the
  // source from below (forward) or above (loops back) and enter the target
  // the same way, so the picture stays readable for small processes.
  for (const f of flows) {
    const s = f.source;
    const t = f.target;
    let points;
    if (t.x > s.x && t.x - (s.x + s.w) <= 130) {
      points = [
        [s.x + s.w, MID_Y],
        [t.x, MID_Y],
      ];
    } else {
      const up = t.x <= s.x;
      const sy = up ? s.y : s.y + s.h;
      const ty = up ? t.y : t.y + t.h;
      const lane = up ? MID_Y - 120 : MID_Y + 120;
      points = [
        [s.x + s.w / 2, sy],
        [s.x + s.w / 2, lane],
        [t.x + t.w / 2, lane],
        [t.x + t.w / 2, ty],
      ];
    }
    out(`<bpmndi:BPMNEdge id="${f.id}_di" bpmnElement="${f.id}">`);
    for (const [px, py] of points) out(`<di:waypoint x="${px}" y="${py}" />`);
    out('</bpmndi:BPMNEdge>');
  }
  out('</bpmndi:BPMNPlane>');
  out('</bpmndi:BPMNDiagram>');
}
out('</bpmn:definitions>');
flush();
closeSync(fd);

const count = (type) => nodes.filter((n) => n.type === type).length;
process.stderr.write(
  `to-bpmn: ${output}: ${count('task')} tasks, ${count('exclusiveGateway')} gateways, ` +
    `${count('startEvent')} start and ${count('endEvent')} end events, ${flows.length} sequence flows` +
    `${withDi ? ', with BPMNDI' : ', no BPMNDI'}\n`,
);
