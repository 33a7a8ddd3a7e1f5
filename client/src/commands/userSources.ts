/**
 * Where the users of a bulk assignment come from: a search by display name, UPN or mail (users
 * who already hold the package are marked), a CSV file of UPNs, or a group's members. Each
 * source returns user ids and says what it could not resolve.
 */
import * as vscode from 'vscode';
import type { User } from '@microsoft/microsoft-graph-types';
import {
  findGroups,
  findUsers,
  groupMemberUsers,
  packageHolders,
  upnsFromCsv,
  usersByUpn,
} from '../graph/bulkAssignments';
import type { EntitlementsApi } from '../graph/entitlements';

export interface ChosenUsers {
  userIds: string[];
  /** Lines about what was left out (unknown UPNs, users who already hold the package). */
  notes: string[];
}

type Holders = { ids: Set<string>; complete: boolean };

/** Asks where the users come from, then collects them; undefined when the user cancels. */
export async function chooseUsers(api: EntitlementsApi, accessPackageId: string): Promise<ChosenUsers | undefined> {
  const source = await vscode.window.showQuickPick(
    [
      { label: '$(search) Search users', description: 'by display name, UPN or mail', id: 'search' as const },
      { label: '$(file) From a CSV file of UPNs…', description: 'one UPN or mail per row', id: 'csv' as const },
      {
        label: '$(organization) Members of a group…',
        description: "the group's direct user members",
        id: 'group' as const,
      },
    ],
    { title: 'Assign users: who?' },
  );
  if (!source) return undefined;
  // Read once, in the background, so the picker can mark users who already hold the package.
  const holders = packageHolders(api.graph, accessPackageId).catch(() => ({ ids: new Set<string>(), complete: false }));
  if (source.id === 'search') {
    const ids = await searchUsers(api, holders);
    return ids && { userIds: ids, notes: [] };
  }
  const users = source.id === 'csv' ? await fromCsv(api) : await fromGroup(api);
  if (!users) return undefined;
  return withoutHolders(users.users, await holders, users.notes);
}

function withoutHolders(users: User[], holders: Holders, notes: string[]): ChosenUsers | undefined {
  const ids = [...new Set(users.map((u) => u.id).filter((id): id is string => !!id))];
  const already = ids.filter((id) => holders.ids.has(id));
  if (already.length > 0) notes.push(`${already.length} user(s) already hold this package and are left out.`);
  return { userIds: ids.filter((id) => !holders.ids.has(id)), notes };
}

async function fromCsv(api: EntitlementsApi): Promise<{ users: User[]; notes: string[] } | undefined> {
  const files = await vscode.window.showOpenDialog({
    title: 'Assign users: CSV of UPNs',
    canSelectMany: false,
    filters: { 'CSV or text': ['csv', 'txt', 'tsv'] },
  });
  const file = files?.[0];
  if (!file) return undefined;
  const text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(file));
  const upns = upnsFromCsv(text);
  if (upns.length === 0) {
    void vscode.window.showWarningMessage(`No UPN found in ${file.fsPath}.`);
    return undefined;
  }
  const found = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Looking up ${upns.length} UPN(s)…` },
    () => usersByUpn(api.graph, upns),
  );
  const missing = found.filter((f) => !f.ok);
  const notes =
    missing.length > 0 ? [`${missing.length} UPN(s) not found: ${missing.map((m) => m.upn).join(', ')}`] : [];
  return { users: found.flatMap((f) => (f.ok ? [f.user] : [])), notes };
}

async function fromGroup(api: EntitlementsApi): Promise<{ users: User[]; notes: string[] } | undefined> {
  const group = await searchPick('Assign users: group', 'Type the beginning of a group name', async (text) =>
    (await findGroups(api.graph, text)).map((g) => ({
      id: g.id ?? '',
      label: g.displayName ?? g.id ?? '',
      description: g.description ?? '',
    })),
  );
  if (!group) return undefined;
  const users = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Reading the members of ${group.label}…` },
    () => groupMemberUsers(api.graph, group.id),
  );
  return { users, notes: [] };
}

type Item = vscode.QuickPickItem & { id: string };

/** A single-select quick pick whose items come from Graph as the user types. */
function searchPick(
  title: string,
  placeholder: string,
  search: (text: string) => Promise<Item[]>,
): Promise<Item | undefined> {
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = title;
  qp.placeholder = placeholder;
  let seq = 0;
  const run = async (text: string): Promise<void> => {
    const mine = ++seq;
    qp.busy = true;
    try {
      const items = await search(text);
      if (mine === seq) qp.items = items;
    } catch (e) {
      qp.placeholder = `Search failed: ${(e as Error).message}`;
    } finally {
      if (mine === seq) qp.busy = false;
    }
  };
  return new Promise((resolve) => {
    qp.onDidChangeValue((v) => void run(v));
    qp.onDidAccept(() => {
      resolve(qp.selectedItems[0]);
      qp.hide();
    });
    qp.onDidHide(() => {
      resolve(undefined);
      qp.dispose();
    });
    qp.show();
    void run('');
  });
}

/** A multi-select quick pick searching users by display name, UPN or mail; holders are marked. */
async function searchUsers(api: EntitlementsApi, holdersLater: Promise<Holders>): Promise<string[] | undefined> {
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = 'Assign users: search by display name, UPN or mail';
  qp.placeholder = 'Type the beginning of a name, a UPN or a mail address';
  qp.canSelectMany = true;
  qp.matchOnDescription = true;
  const chosen = new Map<string, Item>();
  let holders: Holders = { ids: new Set(), complete: true };
  let seq = 0;
  let lastText = '';
  const search = async (text: string): Promise<void> => {
    const mine = ++seq;
    lastText = text;
    qp.busy = true;
    try {
      const users = await findUsers(api.graph, text);
      if (mine !== seq) return;
      const items = users.map((u): Item => {
        const id = u.id ?? '';
        const holds = holders.ids.has(id);
        return {
          id,
          label: `${holds ? '$(pass-filled) ' : ''}${u.displayName ?? id}`,
          description: u.userPrincipalName ?? u.mail ?? '',
          detail: holds ? 'already holds this access package' : undefined,
        };
      });
      qp.items = [...chosen.values(), ...items.filter((i) => !chosen.has(i.id))];
      qp.selectedItems = qp.items.filter((i) => chosen.has(i.id));
    } catch (e) {
      qp.placeholder = `Search failed: ${(e as Error).message}`;
    } finally {
      if (mine === seq) qp.busy = false;
    }
  };
  void holdersLater.then((h) => {
    holders = h;
    if (!h.complete) qp.title = `${qp.title} (holders marked among the first ${h.ids.size})`;
    void search(lastText);
  });
  return new Promise((resolve) => {
    qp.onDidChangeValue((v) => void search(v));
    qp.onDidChangeSelection((sel) => {
      for (const i of qp.items) if (!sel.includes(i)) chosen.delete(i.id);
      for (const i of sel) chosen.set(i.id, i);
    });
    qp.onDidAccept(() => {
      resolve([...chosen.keys()]);
      qp.hide();
    });
    qp.onDidHide(() => {
      resolve(undefined);
      qp.dispose();
    });
    qp.show();
    void search('');
  });
}
