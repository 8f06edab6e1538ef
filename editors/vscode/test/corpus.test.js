// The grammar on every .proc file of the repository: the examples and the
// test fixtures. A file procdef reads without P002 (a bad literal) must
// have nothing marked invalid, and each file's keywords must be found in
// its keyword language, Russian under the `# language: ru` header.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const textmate = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const repo = path.resolve(__dirname, '../../..');
const grammarPath = path.join(__dirname, '../syntaxes/procdef.tmLanguage.json');

function procFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return procFiles(p);
    return e.name.endsWith('.proc') ? [p] : [];
  });
}

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async () => textmate.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath),
  });
  return registry.loadGrammar('source.procdef');
}

// Every token of a file, as [line, text, innermost scope, all scopes].
function tokenize(grammar, text) {
  // An editor drops the byte-order mark before the grammar sees the text.
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  let stack = textmate.INITIAL;
  const out = [];
  lines.forEach((line, i) => {
    const r = grammar.tokenizeLine(line, stack);
    stack = r.ruleStack;
    for (const t of r.tokens) {
      out.push([i + 1, line.slice(t.startIndex, t.endIndex), t.scopes[t.scopes.length - 1], t.scopes]);
    }
  });
  return out;
}

const files = [...procFiles(path.join(repo, 'examples')), ...procFiles(path.join(repo, 'tests/fixtures'))];

test('the repository has .proc files to read', () => {
  assert.ok(files.length >= 20, `only ${files.length} .proc files under examples/ and tests/fixtures/`);
});

test('no file procdef reads without P002 has a token marked invalid', async () => {
  const grammar = await loadGrammar();
  const wrong = [];
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    if (/^# expect:.*\bP002\b/m.test(text)) continue;
    for (const [line, token, scope] of tokenize(grammar, text)) {
      if (scope.startsWith('invalid')) wrong.push(`${path.relative(repo, file)}:${line}: ${scope} ${JSON.stringify(token)}`);
    }
  }
  assert.deepStrictEqual(wrong, []);
});

test('each file opens with a keyword of its own keyword language', async () => {
  const grammar = await loadGrammar();
  const header = /^\uFEFF?\s*#\s*(?:language|язык)\s*:\s*ru\s*(?:\r?\n|$)/;
  const wrong = [];
  let russian = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const ru = header.test(text);
    const word = ru ? /^\s*(?:процесс|библиотека)\s/m : /^\s*(?:process|library)\s/m;
    if (!word.test(text)) continue; // a fixture of a file without a process
    russian += ru ? 1 : 0;
    const declarations = tokenize(grammar, text).filter(([, , scope]) => scope.startsWith('keyword.declaration.'));
    const first = declarations.find(([, , scope]) => /\.(process|library)\.procdef$/.test(scope));
    const inRussian = first && first[3].includes('meta.keywords.ru.procdef');
    if (!first || inRussian !== ru) wrong.push(`${path.relative(repo, file)}: ${first ? first[1] : 'no process keyword'}`);
  }
  assert.deepStrictEqual(wrong, []);
  assert.ok(russian > 0, 'no file with the Russian header was read');
});
