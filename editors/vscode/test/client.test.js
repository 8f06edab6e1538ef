// The client's start-up, against stand-ins for VS Code and for
// vscode-languageclient: which command it runs, with which options, and
// what it does when the command is missing or a setting changes.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const Module = require('module');
const path = require('path');

// ---------------------------------------------------------------- stand-ins

const settings = new Map();
const shown = [];
let configListener = null;
const vscode = {
  workspace: {
    getConfiguration: (section) => ({
      get: (key, fallback) => (settings.has(`${section}.${key}`) ? settings.get(`${section}.${key}`) : fallback),
    }),
    createFileSystemWatcher: (glob) => ({ glob, dispose() {} }),
    onDidChangeConfiguration: (listener) => {
      configListener = listener;
      return { dispose() {} };
    },
  },
  window: {
    createOutputChannel: (name) => ({ name, dispose() {} }),
    showErrorMessage: async (message) => {
      shown.push(message);
      return undefined;
    },
  },
  commands: {
    registered: new Map(),
    registerCommand(id, fn) {
      this.registered.set(id, fn);
      return { dispose() {} };
    },
    executeCommand() {},
  },
};

const clients = [];
let failStart = false;
class LanguageClient {
  constructor(id, name, serverOptions, clientOptions) {
    Object.assign(this, { id, name, serverOptions, clientOptions, state: 1, stopped: false });
    clients.push(this);
  }
  async start() {
    if (failStart) throw new Error('spawn procdef ENOENT');
    this.state = 2;
  }
  async stop() {
    this.stopped = true;
    this.state = 1;
  }
}
const State = { Stopped: 1, Starting: 3, Running: 2 };

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'vscode') return 'vscode';
  return resolve.call(this, request, ...rest);
};
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode };
const clientPath = require.resolve('vscode-languageclient/node', { paths: [path.join(__dirname, '..')] });
require.cache[clientPath] = { id: clientPath, filename: clientPath, loaded: true, exports: { LanguageClient, State } };

const extension = require('../src/extension.js');
const context = () => ({ subscriptions: [] });

// ---------------------------------------------------------------- tests

test('starts `procdef lsp` from the PATH, with inlay hints on, for procdef files', async () => {
  settings.clear();
  clients.length = 0;
  await extension.activate(context());
  assert.strictEqual(clients.length, 1);
  const c = clients[0];
  assert.strictEqual(c.serverOptions.run.command, 'procdef');
  assert.deepStrictEqual(c.serverOptions.run.args, ['lsp']);
  assert.deepStrictEqual(c.clientOptions.initializationOptions, { inlayHints: true });
  assert.deepStrictEqual(
    c.clientOptions.documentSelector.map((s) => s.language),
    ['procdef', 'procdef'],
  );
  assert.strictEqual(c.state, State.Running);
  await extension.deactivate();
  assert.ok(c.stopped);
});

test('the settings choose the binary and turn inlay hints off', async () => {
  settings.clear();
  settings.set('procdef.path', ' /opt/procdef/bin/procdef ');
  settings.set('procdef.inlayHints.enable', false);
  clients.length = 0;
  await extension.activate(context());
  assert.strictEqual(clients[0].serverOptions.run.command, '/opt/procdef/bin/procdef');
  assert.deepStrictEqual(clients[0].clientOptions.initializationOptions, { inlayHints: false });
  await extension.deactivate();
});

test('a change of the binary restarts the server; other settings do not', async () => {
  settings.clear();
  clients.length = 0;
  await extension.activate(context());
  await configListener({ affectsConfiguration: (s) => s === 'editor.fontSize' });
  assert.strictEqual(clients.length, 1);
  settings.set('procdef.path', '/usr/local/bin/procdef');
  await configListener({ affectsConfiguration: (s) => s === 'procdef.path' });
  assert.strictEqual(clients.length, 2);
  assert.ok(clients[0].stopped);
  assert.strictEqual(clients[1].serverOptions.run.command, '/usr/local/bin/procdef');
  await extension.deactivate();
});

test('a binary that does not start is reported, naming it and the setting', async () => {
  settings.clear();
  settings.set('procdef.path', '/nowhere/procdef');
  clients.length = 0;
  shown.length = 0;
  failStart = true;
  try {
    await extension.activate(context());
  } finally {
    failStart = false;
  }
  assert.strictEqual(shown.length, 1);
  assert.match(shown[0], /\/nowhere\/procdef lsp/);
  assert.match(shown[0], /procdef\.path/);
  await extension.deactivate();
});
