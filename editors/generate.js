#!/usr/bin/env node
// Writes the editors' highlighting from the language's one table of words,
// src/syntax/keywords.rs: the TextMate grammar of the VS Code extension
// (also fit for GitHub) and the Vim syntax file of the Neovim setup.
//
//   node editors/generate.js          rewrite both files
//   node editors/generate.js --check  fail if either differs from the table
//
// The keywords, units and periods are read from keywords.rs, never spelt
// here: a word added to the table reaches the editors by running this.
'use strict';

const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const KEYWORDS_RS = path.join(root, 'src/syntax/keywords.rs');
const GRAMMAR = path.join(__dirname, 'vscode/syntaxes/procdef.tmLanguage.json');
const VIM_SYNTAX = path.join(__dirname, 'neovim/syntax/procdef.vim');

// ---------------------------------------------------------------- the table

function readTable(text) {
  const block = text.match(/keywords!\s*\{([\s\S]*?)\n\}/);
  if (!block) throw new Error(`${KEYWORDS_RS}: no \`keywords! { … }\` table`);
  const keywords = {};
  for (const m of block[1].matchAll(/^\s*(\w+)\s*=\s*"([^"]*)",\s*"([^"]*)",/gm)) {
    keywords[m[1]] = { en: m[2], ru: m[3] };
  }
  const units = text.match(/DURATION_UNITS[^=]*=\s*&\[([\s\S]*?)\];/);
  const periods = text.match(/PERIODS[^=]*=\s*&\[([\s\S]*?)\];/);
  if (!units || !periods) throw new Error(`${KEYWORDS_RS}: no DURATION_UNITS or PERIODS`);
  const pairs = (src, re) => [...src.matchAll(re)].map((m) => ({ en: m[1], ru: m[2] }));
  return {
    keywords,
    units: pairs(units[1], /\(\s*"([^"]+)",\s*"([^"]+)",\s*[\d.]+\s*\)/g),
    periods: pairs(periods[1], /\(\s*Period::\w+,\s*"([^"]+)",\s*"([^"]+)"\s*\)/g),
  };
}

// The keywords by what they do. Every keyword of the table must be in one
// group, so a new word cannot slip past unhighlighted.
const GROUPS = {
  // Opens a declaration; the name after it is declared (by kind).
  declaration: ['Process', 'Library', 'Segment', 'Product', 'Role', 'Stage', 'Metric'],
  // Opens a block without a name.
  block: ['Plan', 'Rollout'],
  import: ['Use'],
  // Values of a property.
  constant: ['Active', 'Passive', 'Won', 'Lost', 'Daily', 'Weekly', 'Monthly'],
  control: ['Loop'],
  other: [
    'Language', 'Version', 'Description', 'Share', 'Deal', 'Headcount', 'Capacity', 'Reports', 'To',
    'Entry', 'Outcome', 'Owner', 'Takes', 'Within', 'Effort', 'Instruct', 'Exit', 'Sale', 'For',
    'Conversion', 'Time', 'Volume', 'Activity', 'ActivityBy', 'Target', 'Review', 'Goal', 'Revenue',
    'Workdays', 'Utilization', 'Start', 'Length', 'Briefing', 'Every', 'Exam', 'At', 'AuditBy', 'Audit',
    'Questions', 'Weekdays', 'Holidays',
  ],
};

// What a declaration keyword declares: the scope of the name after it.
const DECLARED = {
  Process: 'entity.name.namespace.process',
  Library: 'entity.name.namespace.library',
  Segment: 'entity.name.type.segment',
  Product: 'entity.name.type.product',
  Role: 'entity.name.type.role',
  Stage: 'entity.name.function.stage',
  Metric: 'entity.name.variable.metric',
};

function checkGroups(keywords) {
  const grouped = new Set(Object.values(GROUPS).flat());
  const missing = Object.keys(keywords).filter((k) => !grouped.has(k));
  const unknown = [...grouped].filter((k) => !(k in keywords));
  if (missing.length || unknown.length) {
    throw new Error(
      `editors/generate.js: keywords.rs and GROUPS disagree` +
        (missing.length ? `; not grouped: ${missing.join(', ')}` : '') +
        (unknown.length ? `; not in the table: ${unknown.join(', ')}` : ''),
    );
  }
}

// ---------------------------------------------------------------- TextMate

const NAME_START = '[\\p{L}\\p{Nl}_]';
const NAME_CHAR = '[\\p{L}\\p{Nl}\\p{Mn}\\p{Mc}\\p{Nd}\\p{Pc}]';
const NAME = `${NAME_START}${NAME_CHAR}*`;
const BEFORE = `(?<!${NAME_CHAR})`; // a word starts here
const AFTER = `(?!${NAME_CHAR})`; // a word ends here
const NUM = '-?\\d+(?:\\.\\d+)?';
const NUM_START = '(?<![\\p{L}\\p{N}\\p{M}\\p{Pc}.])';
const HEADER = '\\s*(#)\\s*(language|язык)\\s*(:)\\s*';

// A word as a regex: in Russian `ё` and `е` are one letter.
function word(w, lang) {
  return lang === 'ru' ? w.replace(/[её]/g, '[её]') : w;
}

// The spellings of some keywords in one language, longest first.
function alt(table, names, lang) {
  const words = [...new Set(names.map((n) => table.keywords[n][lang]).filter(Boolean))];
  words.sort((a, b) => b.length - a.length || a.localeCompare(b));
  return `(?:${words.map((w) => word(w, lang)).join('|')})`;
}

function kw(table, name, lang) {
  return word(table.keywords[name][lang], lang);
}

function names(scope) {
  return {
    patterns: [
      { match: NAME, name: `${scope}.procdef` },
      { match: ',', name: 'punctuation.separator.comma.procdef' },
    ],
  };
}

function languagePatterns(table, lang) {
  const k = (n) => kw(table, n, lang);
  const a = (ns) => alt(table, ns, lang);
  const units = `(?:${table.units.map((u) => word(u[lang], lang)).sort((x, y) => y.length - x.length).join('|')})`;
  const periods = `(?:${table.periods.map((p) => word(p[lang], lang)).sort((x, y) => y.length - x.length).join('|')})`;
  const END = `(?![\\p{L}\\p{N}\\p{M}\\p{Pc}/%])`;
  const LIST = `${NAME}(?:\\s*,\\s*${NAME})*`;
  const p = [];

  p.push({ include: '#comment' }, { include: '#text-block' }, { include: '#string' }, { include: '#date' });

  // Money: an amount and a currency code, as `deal` and `revenue` take it.
  p.push({
    name: 'meta.money.procdef',
    match: `${NUM_START}(${NUM})\\s+([A-Z]{3})${AFTER}(?:\\s*(/)\\s*(${periods})${AFTER})?`,
    captures: {
      1: { name: 'constant.numeric.procdef' },
      2: { name: 'support.constant.currency.procdef' },
      3: { name: 'keyword.operator.per.procdef' },
      4: { name: 'keyword.other.unit.period.procdef' },
    },
  });
  // Numbers and what is glued to them.
  p.push(
    {
      name: 'constant.numeric.percent.procdef',
      match: `${NUM_START}(${NUM})(%)`,
      captures: { 2: { name: 'keyword.other.unit.percent.procdef' } },
    },
    {
      name: 'constant.numeric.rate.procdef',
      match: `${NUM_START}(${NUM})(${units})(/)(${periods})${END}`,
      captures: {
        2: { name: 'keyword.other.unit.duration.procdef' },
        3: { name: 'keyword.operator.per.procdef' },
        4: { name: 'keyword.other.unit.period.procdef' },
      },
    },
    {
      name: 'constant.numeric.duration.procdef',
      match: `${NUM_START}(${NUM})(${units})${END}`,
      captures: { 2: { name: 'keyword.other.unit.duration.procdef' } },
    },
    {
      name: 'constant.numeric.rate.procdef',
      match: `${NUM_START}(${NUM})(/)(${periods})${END}`,
      captures: {
        2: { name: 'keyword.operator.per.procdef' },
        3: { name: 'keyword.other.unit.period.procdef' },
      },
    },
    {
      // Letters or a `/` glued to a number that are no unit of this
      // keyword language (`3xyz`, `14д` in an English file): P002.
      name: 'constant.numeric.procdef',
      match: `${NUM_START}(${NUM})((?:${NAME_START}${NAME_CHAR}*(?:/${NAME_CHAR}*)?|/${NAME_CHAR}*))`,
      captures: { 2: { name: 'invalid.illegal.unit.procdef' } },
    },
    { name: 'constant.numeric.procdef', match: `${NUM_START}${NUM}` },
  );

  // `language en|ru`: the codes stay as they are in both languages.
  p.push({
    match: `${BEFORE}(${k('Language')})\\s+(en|ru)${AFTER}`,
    captures: { 1: { name: 'keyword.other.procdef' }, 2: { name: 'constant.language.procdef' } },
  });

  // A declaration and the name it declares, whatever the name is spelt like.
  for (const decl of GROUPS.declaration) {
    p.push({
      match: `${BEFORE}(${k(decl)})${AFTER}(?:\\s+(${NAME}))?`,
      captures: {
        1: { name: `keyword.declaration.${decl.toLowerCase()}.procdef` },
        2: { name: `${DECLARED[decl]}.procdef` },
      },
    });
  }

  // References: the names where the grammar expects one kind.
  const reportsTo = table.keywords.To[lang] ? `(${k('Reports')})\\s+(${k('To')})` : `(${k('Reports')})()`;
  p.push(
    {
      match: `${BEFORE}${reportsTo}${AFTER}(?:\\s+(${NAME}))?`,
      captures: {
        1: { name: 'keyword.other.procdef' },
        2: { name: 'keyword.other.procdef' },
        3: { name: 'variable.other.role.procdef' },
      },
    },
    {
      match: `${BEFORE}(${a(['Owner', 'Instruct', 'ActivityBy', 'AuditBy'])})${AFTER}(?:\\s+(${NAME}))?`,
      captures: { 1: { name: 'keyword.other.procdef' }, 2: { name: 'variable.other.role.procdef' } },
    },
    {
      match: `${BEFORE}(${a(['Briefing', 'Exam', 'Audit'])})${AFTER}(?:\\s+(${LIST}))?`,
      captures: { 1: { name: 'keyword.other.procdef' }, 2: names('variable.other.role') },
    },
    {
      match: `${BEFORE}(${a(['Conversion', 'Time', 'Volume'])})${AFTER}(?:\\s+(${NAME}))?`,
      captures: { 1: { name: 'keyword.other.procdef' }, 2: { name: 'variable.other.stage.procdef' } },
    },
    {
      match: `(->)(?:\\s*(${NAME}))?`,
      captures: { 1: { name: 'keyword.operator.arrow.procdef' }, 2: { name: 'variable.other.stage.procdef' } },
    },
    {
      match: `${BEFORE}(${k('For')})${AFTER}(?:\\s+(${LIST}))?`,
      captures: { 1: { name: 'keyword.other.procdef' }, 2: names('variable.other.segment-or-product') },
    },
  );

  // The other keywords, wherever they stand.
  p.push(
    { name: 'keyword.control.import.procdef', match: `${BEFORE}${a(GROUPS.import)}${AFTER}` },
    { name: 'keyword.declaration.block.procdef', match: `${BEFORE}${a(GROUPS.block)}${AFTER}` },
    { name: 'constant.language.procdef', match: `${BEFORE}${a(GROUPS.constant)}${AFTER}` },
    { name: 'keyword.control.loop.procdef', match: `${BEFORE}${a(GROUPS.control)}${AFTER}` },
    { name: 'keyword.other.procdef', match: `${BEFORE}${a(GROUPS.other)}${AFTER}` },
  );

  p.push({ include: '#punctuation' }, { name: 'variable.other.procdef', match: NAME });
  return { patterns: p };
}

function grammar(table) {
  const header = (code, captures) => ({
    match: `\\A(?:\\x{FEFF})?(${HEADER}(${code})\\s*$)`,
    captures,
  });
  const headerCaptures = {
    1: { name: 'comment.line.number-sign.procdef meta.header.language.procdef' },
    2: { name: 'punctuation.definition.comment.procdef' },
    3: { name: 'keyword.other.header.procdef' },
    5: { name: 'constant.language.procdef' },
  };
  return {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    name: 'procdef',
    scopeName: 'source.procdef',
    fileTypes: ['proc'],
    comment:
      'Generated by editors/generate.js from src/syntax/keywords.rs; do not edit by hand. ' +
      'A file whose first line is `# language: ru` or `# язык: ru` has the Russian keywords, ' +
      'any other file the English ones.',
    patterns: [{ include: '#russian-file' }, { include: '#english-header' }, { include: '#en' }],
    repository: {
      'russian-file': {
        name: 'meta.keywords.ru.procdef',
        begin: `\\A(?:\\x{FEFF})?(${HEADER}(ru)\\s*$)`,
        beginCaptures: headerCaptures,
        end: '(?!)',
        patterns: [{ include: '#ru' }],
      },
      'english-header': header('en', headerCaptures),
      en: languagePatterns(table, 'en'),
      ru: languagePatterns(table, 'ru'),
      comment: {
        patterns: [
          {
            // `# allow(rule, …)`: silences rules for the declaration below.
            name: 'comment.line.number-sign.procdef',
            begin: '(#+)\\s*(?=allow\\()',
            beginCaptures: { 1: { name: 'punctuation.definition.comment.procdef' } },
            end: '$',
            patterns: [
              {
                name: 'meta.directive.allow.procdef',
                match: '\\G(allow)(\\()([^)]*)(\\))',
                captures: {
                  1: { name: 'keyword.other.directive.allow.procdef' },
                  2: { name: 'punctuation.section.parens.begin.procdef' },
                  3: {
                    patterns: [
                      { match: '[A-Za-z0-9][A-Za-z0-9_-]*', name: 'constant.other.rule.procdef' },
                      { match: ',', name: 'punctuation.separator.comma.procdef' },
                    ],
                  },
                  4: { name: 'punctuation.section.parens.end.procdef' },
                },
              },
            ],
          },
          {
            name: 'comment.line.number-sign.procdef',
            begin: '#',
            beginCaptures: { 0: { name: 'punctuation.definition.comment.procdef' } },
            end: '$',
          },
        ],
      },
      'text-block': {
        // `"""` ending its line opens a block that runs to the next `"""`;
        // its text is taken as it is, without escapes.
        name: 'string.quoted.triple.procdef',
        begin: '"""(?=[ \\t]*$)',
        beginCaptures: { 0: { name: 'punctuation.definition.string.begin.procdef' } },
        end: '"""',
        endCaptures: { 0: { name: 'punctuation.definition.string.end.procdef' } },
      },
      string: {
        // A string ends at its line: one left open there is P001.
        name: 'string.quoted.double.procdef',
        begin: '"',
        beginCaptures: { 0: { name: 'punctuation.definition.string.begin.procdef' } },
        end: '(")|$',
        endCaptures: { 1: { name: 'punctuation.definition.string.end.procdef' } },
        patterns: [
          { name: 'constant.character.escape.procdef', match: '\\\\(?:["\\\\nt]|u\\{[0-9A-Fa-f]{1,6}\\})' },
          { name: 'invalid.illegal.escape.procdef', match: '\\\\.?' },
        ],
      },
      date: {
        name: 'constant.numeric.date.procdef',
        match: `${NUM_START}\\d+-\\d+-\\d+`,
      },
      punctuation: {
        patterns: [
          { name: 'keyword.operator.comparison.procdef', match: '>=|<=' },
          { name: 'punctuation.section.block.begin.procdef', match: '\\{' },
          { name: 'punctuation.section.block.end.procdef', match: '\\}' },
          { name: 'punctuation.separator.comma.procdef', match: ',' },
          { name: 'keyword.operator.per.procdef', match: '/' },
        ],
      },
    },
  };
}

// ---------------------------------------------------------------- Vim

// A Vim regex alternation of words, longest first, `ё` as `[её]`.
function vimAlt(words, lang) {
  const ws = [...new Set(words.filter(Boolean))].sort((a, b) => b.length - a.length || a.localeCompare(b));
  return `\\%(${ws.map((w) => (lang === 'ru' ? w.replace(/[её]/g, '[её]') : w)).join('\\|')}\\)`;
}

function vimSyntax(table) {
  const section = (lang) => {
    const w = (ns) => vimAlt(ns.map((n) => table.keywords[n][lang]), lang);
    const units = vimAlt(table.units.map((u) => u[lang]), lang);
    const periods = vimAlt(table.periods.map((p) => p[lang]), lang);
    const decl = (n, group) =>
      `  syn match ${group} "\\%(\\<${w([n])}\\s\\+\\)\\@<=\\k\\+"`;
    const reportsTo = table.keywords.To[lang] ? `${w(['Reports'])}\\s\\+${w(['To'])}` : w(['Reports']);
    return [
      `  syn match procdefKeyword "\\<${w(GROUPS.other)}\\>"`,
      `  syn match procdefDeclaration "\\<${w([...GROUPS.declaration, ...GROUPS.block])}\\>"`,
      `  syn match procdefInclude "\\<${w(GROUPS.import)}\\>"`,
      `  syn match procdefConstant "\\<${w(GROUPS.constant)}\\>"`,
      `  syn match procdefLoop "\\<${w(GROUPS.control)}\\>"`,
      `  syn match procdefConstant "\\%(\\<${w(['Language'])}\\s\\+\\)\\@<=\\%(en\\|ru\\)\\>"`,
      decl('Process', 'procdefProcessName'),
      decl('Library', 'procdefProcessName'),
      decl('Stage', 'procdefStageName'),
      decl('Role', 'procdefTypeName'),
      decl('Segment', 'procdefTypeName'),
      decl('Product', 'procdefTypeName'),
      decl('Metric', 'procdefMetricName'),
      `  syn match procdefRoleRef "\\%(\\<\\%(${reportsTo}\\|${w(['Owner', 'Instruct', 'ActivityBy', 'AuditBy'])}\\)\\s\\+\\)\\@<=\\k\\+"`,
      `  syn match procdefStageRef "\\%(\\%(->\\|\\<${w(['Conversion', 'Time', 'Volume'])}\\)\\s*\\)\\@<=\\k\\+"`,
      `  syn match procdefUnit contained "\\%(${units}\\%(/${periods}\\)\\=\\|/${periods}\\)\\k\\@!"`,
      `  syn match procdefCurrency "\\%(\\d\\s\\+\\)\\@<=\\u\\u\\u\\>\\%(\\s*/\\s*${periods}\\>\\)\\="`,
    ].join('\n');
  };
  return `" Vim syntax file
" Language:   procdef (.proc files: sales processes)
" Generated by editors/generate.js from src/syntax/keywords.rs; do not edit
" by hand.
"
" A file whose first line is \`# language: ru\` or \`# язык: ru\` has the
" Russian keywords, any other file the English ones, as procdef reads it.
" The ftplugin sets the syntax again when the first line changes.

if exists('b:current_syntax')
  finish
endif
let s:cpo_save = &cpo
set cpo&vim

syn case match
syn sync minlines=200

let b:procdef_keywords = getline(1) =~# '^\\%ufeff\\=\\s*#\\s*\\%(language\\|язык\\)\\s*:\\s*ru\\s*$' ? 'ru' : 'en'

" Names: a Unicode letter or _, then letters, digits or _.
syn match procdefName "\\<\\%(\\d\\)\\@!\\k\\+"
" Letters glued to a number that are no unit of the file's keyword language
" (P002); the units themselves, defined below, win over this.
syn match procdefBadUnit contained "\\%(\\k\\+\\%(/\\k*\\)\\=\\|/\\k*\\)"

if b:procdef_keywords ==# 'ru'
${section('ru')}
else
${section('en')}
endif

" Numbers and what is glued to them: 35%, 30min, 6h/day, 40/day. Letters
" that are no unit of the file's keyword language are an error (P002).
syn match procdefNumber "\\%(\\k\\|\\.\\)\\@1<!-\\=\\d\\+\\%(\\.\\d\\+\\)\\=" nextgroup=procdefBadUnit,procdefUnit,procdefPercent
syn match procdefPercent contained "%"
syn match procdefDate "\\%(\\k\\)\\@1<!\\d\\+-\\d\\+-\\d\\+"

syn match procdefOperator "->\\|>=\\|<=\\|/"
syn match procdefDelimiter "[{},]"

syn match procdefEscapeBad contained "\\\\.\\="
syn match procdefEscape contained +\\\\\\%(["\\\\nt]\\|u{\\x\\{1,6}}\\)+
syn region procdefString start=+"+ skip=+\\\\\\\\\\|\\\\"+ end=+"+ end=+$+ oneline contains=procdefEscape,procdefEscapeBad
syn region procdefTextBlock start=+"""\\ze\\s*$+ end=+"""+

syn keyword procdefTodo contained TODO FIXME XXX
syn match procdefAllow contained "\\%(#\\+\\s*\\)\\@<=allow(\\@=" nextgroup=procdefAllowList
syn region procdefAllowList contained matchgroup=procdefDelimiter start="(" end=")" oneline
syn match procdefComment "#.*$" contains=procdefAllow,procdefTodo
syn match procdefHeader "\\%1l^\\%ufeff\\=\\s*#\\s*\\%(language\\|язык\\)\\s*:\\s*\\%(en\\|ru\\)\\s*$"

hi def link procdefKeyword     Keyword
hi def link procdefDeclaration Structure
hi def link procdefInclude     Include
hi def link procdefConstant    Constant
hi def link procdefLoop        Repeat
hi def link procdefProcessName Title
hi def link procdefStageName   Function
hi def link procdefTypeName    Type
hi def link procdefMetricName  Identifier
hi def link procdefRoleRef     Type
hi def link procdefStageRef    Function
hi def link procdefNumber      Number
hi def link procdefPercent     Number
hi def link procdefUnit        Special
hi def link procdefBadUnit     Error
hi def link procdefDate        Number
hi def link procdefCurrency    Special
hi def link procdefOperator    Operator
hi def link procdefDelimiter   Delimiter
hi def link procdefEscape      SpecialChar
hi def link procdefEscapeBad   Error
hi def link procdefString      String
hi def link procdefTextBlock   String
hi def link procdefTodo        Todo
hi def link procdefAllow       PreProc
hi def link procdefAllowList   Constant
hi def link procdefComment     Comment
hi def link procdefHeader      PreProc

let b:current_syntax = 'procdef'
let &cpo = s:cpo_save
unlet s:cpo_save
`;
}

// ---------------------------------------------------------------- main

function main() {
  const table = readTable(fs.readFileSync(KEYWORDS_RS, 'utf8'));
  checkGroups(table.keywords);
  const outputs = [
    [GRAMMAR, JSON.stringify(grammar(table), null, 2) + '\n'],
    [VIM_SYNTAX, vimSyntax(table)],
  ];
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [file, text] of outputs) {
    const rel = path.relative(root, file);
    const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
    if (old === text) continue;
    if (check) {
      console.error(`${rel} is not what src/syntax/keywords.rs gives: run \`node editors/generate.js\``);
      stale++;
    } else {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      console.log(`wrote ${rel}`);
    }
  }
  if (stale) process.exit(1);
}

main();
