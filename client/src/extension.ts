/**
 * The composition root of the extension: builds the objects, registers everything, and pushes
 * every disposable to `context.subscriptions`. An activation failure is shown to the user.
 *
 * `activate()` returns the API the tests use: `{ sandbox(): Promise<{url, token}>, tree }`.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { configuredSignIn, MicrosoftTokens, PROVIDERS } from './auth/microsoftAuth';
import { graphRootFor } from './auth/scopes';
import { assign } from './commands/assign';
import type { CommandContext } from './commands/context';
import { createAccessPackage } from './commands/createAccessPackage';
import { createPolicy } from './commands/createPolicy';
import { deletePolicy } from './commands/deletePolicy';
import { applyFolder } from './commands/applyFolder';
import { compareWithDeployed } from './commands/compareWithDeployed';
import { deployPolicy } from './commands/deployPolicy';
import { planFolder } from './commands/planFolder';
import { pullTenant } from './commands/pullTenant';
import { PAC_SCHEME, PacSession } from './pacEditor/session';
import { exportAssignments } from './commands/exportAssignments';
import { newPolicy } from './commands/newPolicy';
import { openPolicy } from './commands/openPolicy';
import { PREVIEW_SCHEME, PreviewDocuments, previewMatches } from './commands/previewMatches';
import { removeAssignment } from './commands/removeAssignment';
import { setCloud } from './commands/setCloud';
import { switchAccount } from './commands/switchAccount';
import { addTenant, configuredTenants, signIn, signOut } from './commands/tenantCommands';
import { copyId, filterAssignments, loadMore, refresh, retry } from './commands/treeCommands';
import { createLanguageClient } from './languageClient';
import { AuthoringDirectories, inlayHintsEnabled, notifyChanged, registerDirectoryBridge } from './directory/bridge';
import { RuleMatchLens } from './directory/matchLens';
import { revealDirectoryObject } from './directory/reveal';
import { registerPolicyGlobs } from './policy/fileGlobs';
import { PolicyDocuments } from './policy/policyDocuments';
import { MicrosoftTenant } from './tenants/microsoftTenant';
import { externalSandbox, SandboxProcess, type SandboxEndpoint } from './tenants/sandboxProcess';
import { SandboxTenant } from './tenants/sandboxTenant';
import { deployTargetStatus, serverStatus } from './status/languageStatus';
import { registerConsole } from './commands/console';
import type { Tenant } from './tenants/tenant';
import { ExplorerRoot } from './tree/explorerRoot';
import { EntitlementsTreeProvider } from './tree/treeProvider';

let client: LanguageClient | undefined;

export interface EntitlementsApi {
  /** Starts the sandbox tenant if needed; its endpoint. */
  sandbox(): Promise<SandboxEndpoint>;
  tree: EntitlementsTreeProvider;
  /** The tenant directories behind tenant-aware authoring (tests read their caches). */
  directories: AuthoringDirectories;
  matchLens: RuleMatchLens;
}

export async function activate(context: vscode.ExtensionContext): Promise<EntitlementsApi> {
  const output = vscode.window.createOutputChannel('Entra Entitlements', { log: true });
  context.subscriptions.push(output);
  const api = activateExplorer(context, output);
  context.subscriptions.push(
    registerPolicyGlobs(),
    vscode.commands.registerCommand('entitlements.showOutput', () => output.show()),
    vscode.commands.registerCommand('entitlements.newPolicy', (accessPackageId?: unknown) =>
      newPolicy(typeof accessPackageId === 'string' ? accessPackageId : undefined),
    ),
    vscode.commands.registerCommand('entitlements.restartServer', async () => {
      await client?.restart();
      output.info('language server restarted');
    }),
  );
  try {
    client = createLanguageClient(context, output, { directoryBridge: true, inlayHints: inlayHintsEnabled() });
    const started = client;
    context.subscriptions.push(
      client,
      serverStatus(client),
      registerDirectoryBridge(client, api.directories),
      vscode.commands.registerCommand('entitlements.refreshDirectory', async () => {
        api.directories.clear();
        api.matchLens.clear();
        await notifyChanged(started);
      }),
    );
    await client.start();
    output.info('language server started');
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    output.error(`the language server failed to start: ${message}`);
    void vscode.window
      .showErrorMessage(`Entra Entitlements: the language server failed to start (${message}).`, 'Show Log')
      .then((choice) => {
        if (choice) output.show();
      });
  }
  return api;
}

/** The tenant explorer: tenants, tree, policy documents, commands. */
function activateExplorer(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): EntitlementsApi {
  const sandbox = new SandboxProcess({
    script: context.asAbsolutePath(path.join('dist', 'sandbox.js')),
    dataDir: vscode.Uri.joinPath(context.globalStorageUri, 'sandbox').fsPath,
    log: (l) => output.info(l),
    external: externalSandbox(process.env, (l) => output.warn(l)),
  });
  context.subscriptions.push({ dispose: () => sandbox.dispose() });
  const graphLog = (l: string): void => output.debug(l);
  const sandboxTenant = new SandboxTenant(() => sandbox.endpoint(), { log: graphLog });
  const tokens = new MicrosoftTokens();
  const microsoft = new Map<string, MicrosoftTenant>();
  const tenants = (): Tenant[] => {
    const list: Tenant[] = [];
    if (vscode.workspace.getConfiguration('entitlements').get<boolean>('sandbox.enabled', true))
      list.push(sandboxTenant);
    for (const key of configuredTenants()) {
      if (!microsoft.has(key)) {
        const s = configuredSignIn(key);
        microsoft.set(key, new MicrosoftTenant(key, tokens, { log: graphLog }, graphRootFor(s), s.cloud));
      }
      list.push(microsoft.get(key)!);
    }
    return list;
  };
  const root = new ExplorerRoot(tenants);
  const tree = new EntitlementsTreeProvider(root);
  const view = vscode.window.createTreeView('entitlements.explorer', {
    treeDataProvider: tree,
    showCollapseAll: true,
    canSelectMany: true,
  });
  const documents = new PolicyDocuments(
    context.globalState,
    (key) => tenants().find((t) => t.key === key)?.label ?? key,
  );
  const previews = new PreviewDocuments();
  const ctx: CommandContext = { extension: context, output, tree, root, documents, tenants };
  const pac = new PacSession(ctx);
  const directories = new AuthoringDirectories(tenants, (uri) => documents.origin(uri)?.tenantKey);
  const matchLens = new RuleMatchLens(directories, output);
  const setContext = (): void => {
    void vscode.commands.executeCommand('setContext', 'entitlements.noTenants', tenants().length === 0);
  };
  setContext();
  const register = (id: string, f: (...args: unknown[]) => unknown): vscode.Disposable =>
    vscode.commands.registerCommand(id, f);
  context.subscriptions.push(
    tree,
    view,
    documents,
    vscode.languages.registerCodeLensProvider([{ language: 'entra-policy' }], documents),
    vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, previews),
    pac,
    vscode.workspace.registerTextDocumentContentProvider(PAC_SCHEME, pac),
    vscode.languages.registerCodeLensProvider([{ language: 'entra-policy', scheme: 'file' }], pac),
    vscode.window.registerFileDecorationProvider(pac),
    register('entitlements.pullTenant', (arg) => pullTenant(ctx, pac, arg)),
    register('entitlements.plan', (arg) => planFolder(ctx, pac, arg)),
    register('entitlements.apply', (arg) => applyFolder(ctx, pac, arg)),
    register('entitlements.compareWithDeployed', (arg) => compareWithDeployed(ctx, pac, arg)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('entitlements.tenants') || e.affectsConfiguration('entitlements.sandbox.enabled')) {
        setContext();
        tree.refresh();
      }
      // Another cloud or app: the tenants are rebuilt (new Graph host, new scopes).
      if (e.affectsConfiguration('entitlements.tenantSettings') || e.affectsConfiguration('entitlements.auth')) {
        microsoft.clear();
        tree.refresh();
      }
    }),
    vscode.authentication.onDidChangeSessions((e) => {
      if (!(PROVIDERS as readonly string[]).includes(e.provider.id)) return;
      for (const t of root.children()) if (t.tenant.kind === 'microsoft') t.reset();
      tree.refresh();
    }),
    register('entitlements.refresh', (node) => refresh(ctx, node)),
    register('entitlements.loadMore', (node) => loadMore(ctx, node)),
    register('entitlements.retry', (node) => retry(ctx, node)),
    register('entitlements.copyId', (node) => copyId(ctx, node)),
    register('entitlements.filterAssignments', (arg) => filterAssignments(ctx, arg)),
    register('entitlements.addTenant', (arg) => addTenant(ctx, tokens, arg)),
    register('entitlements.signIn', (arg) => signIn(ctx, tokens, arg)),
    register('entitlements.signOut', (arg) => signOut(ctx, arg)),
    register('entitlements.switchAccount', (arg) => switchAccount(ctx, tokens, arg)),
    register('entitlements.setCloud', (arg) => setCloud(ctx, arg)),
    register('entitlements.createAccessPackage', (arg) => createAccessPackage(ctx, arg)),
    register('entitlements.createPolicy', (arg) => createPolicy(ctx, arg)),
    register('entitlements.openPolicy', (arg) => openPolicy(ctx, arg)),
    register('entitlements.deployPolicy', (arg) => deployPolicy(ctx, arg, pac)),
    register('entitlements.deletePolicy', (arg) => deletePolicy(ctx, arg)),
    register('entitlements.assign', (arg) => assign(ctx, arg)),
    register('entitlements.removeAssignment', (arg, selection) => removeAssignment(ctx, arg, selection)),
    register('entitlements.previewMatches', (arg) => previewMatches(ctx, previews, arg)),
    register('entitlements.exportAssignments', (arg) => exportAssignments(ctx, arg)),
    deployTargetStatus(documents, (key) => tenants().find((t) => t.key === key)?.label ?? key),
    ...registerConsole(ctx),
    register('entitlements.revealDirectoryObject', (arg) => revealDirectoryObject(tree, view, directories, arg)),
    matchLens,
    vscode.languages.registerCodeLensProvider([{ language: 'entra-rule' }, { language: 'entra-policy' }], matchLens),
  );
  return { sandbox: () => sandbox.endpoint(), tree, directories, matchLens };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
