/**
 * Entry point of dist/server.js. The transport comes from the command line as
 * vscode-languageserver understands it: `--stdio` (other LSP editors), `--node-ipc` (VS Code).
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

if (
  !process.argv.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe'))
) {
  process.stderr.write('usage: node dist/server.js --stdio | --node-ipc\n');
  process.exit(2);
}
const connection = createConnection(ProposedFeatures.all);
process.on('uncaughtException', (err) => connection.console.error(`uncaught: ${err.stack ?? err.message}`));
startServer(connection);
