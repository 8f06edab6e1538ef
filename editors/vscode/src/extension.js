// The procdef extension: starts `procdef lsp` over stdio for `.proc` files.
'use strict';

const vscode = require('vscode');
const { LanguageClient, State } = require('vscode-languageclient/node');

/** @type {LanguageClient | undefined} */
let client;
/** @type {vscode.OutputChannel | undefined} */
let output;

/** The binary: the `procdef.path` setting, else `procdef` from the PATH. */
function binary() {
  const configured = vscode.workspace.getConfiguration('procdef').get('path', '');
  return configured && configured.trim() ? configured.trim() : 'procdef';
}

function serverOptions() {
  const command = binary();
  // The same for run and debug: the server has no debug mode of its own.
  const executable = { command, args: ['lsp'], options: { env: process.env } };
  return { run: executable, debug: executable };
}

function clientOptions() {
  const config = vscode.workspace.getConfiguration('procdef');
  return {
    documentSelector: [
      { scheme: 'file', language: 'procdef' },
      { scheme: 'untitled', language: 'procdef' },
    ],
    // The server reads this once, at `initialize`.
    initializationOptions: { inlayHints: config.get('inlayHints.enable', true) },
    synchronize: {
      // procdef.toml sets the rules' levels: a change re-checks the files.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{procdef.toml,*.proc}'),
    },
    outputChannel: output,
    traceOutputChannel: output,
  };
}

async function start(context) {
  client = new LanguageClient('procdef', 'procdef', serverOptions(), clientOptions());
  try {
    await client.start();
  } catch (error) {
    const command = binary();
    const choice = await vscode.window.showErrorMessage(
      `procdef: could not start \`${command} lsp\` (${error && error.message ? error.message : error}). ` +
        'Install procdef (`cargo install --path .` in its repository) or set `procdef.path`.',
      'Open settings',
    );
    if (choice === 'Open settings') {
      vscode.commands.executeCommand('workbench.action.openSettings', 'procdef.path');
    }
    client = undefined;
  }
}

async function stop() {
  if (client && client.state !== State.Stopped) {
    await client.stop();
  }
  client = undefined;
}

async function activate(context) {
  output = vscode.window.createOutputChannel('procdef');
  context.subscriptions.push(output);
  context.subscriptions.push(
    vscode.commands.registerCommand('procdef.restartServer', async () => {
      await stop();
      await start(context);
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      // The binary and the initialization options are read at start.
      if (event.affectsConfiguration('procdef.path') || event.affectsConfiguration('procdef.inlayHints')) {
        await stop();
        await start(context);
      }
    }),
  );
  await start(context);
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate };
