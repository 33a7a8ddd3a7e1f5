/** A sandbox started in-process for one test file, and a small JSON client for it. */
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/src/http/server';

export const EM = '/identityGovernance/entitlementManagement';

export interface Res {
  status: number;
  headers: Headers;
  json: any;
  text: string;
}

export interface Client {
  sandbox: Sandbox;
  /** `path` is relative to `/v1.0` (or an absolute URL such as an `@odata.nextLink`). */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Res>;
  get(path: string): Promise<Res>;
  /** POST/PUT/PATCH that must succeed; returns the parsed body. */
  ok(method: string, path: string, body?: unknown): Promise<any>;
  hook(path: string, body: unknown): Promise<Res>;
  close(): Promise<void>;
}

export async function client(options: SandboxOptions = { seed: 'empty', testHooks: true }): Promise<Client> {
  const sandbox = await startSandbox(options);
  const origin = new URL(sandbox.url).origin;
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Res> => {
    const url = /^https?:/.test(path) ? path : path.startsWith('/_sandbox') ? origin + path : sandbox.url + path;
    const init: RequestInit = { method, headers: { authorization: `Bearer ${sandbox.token}`, ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const r = await fetch(url, init);
    const text = await r.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: r.status, headers: r.headers, json, text };
  };
  const ok = async (method: string, path: string, body?: unknown): Promise<any> => {
    const r = await call(method, path, body);
    if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${r.text}`);
    return r.json;
  };
  return {
    sandbox,
    call,
    ok,
    get: (p) => call('GET', p),
    hook: (p, b) => call('POST', `/_sandbox/${p}`, b),
    close: () => sandbox.close(),
  };
}

/** A catalog and a package to hang policies on. */
export async function makePackage(c: Client, name = 'Pkg'): Promise<{ catalogId: string; packageId: string }> {
  const cat = await c.ok('POST', `${EM}/catalogs`, { displayName: `${name} catalog` });
  const pkg = await c.ok('POST', `${EM}/accessPackages`, { displayName: name, catalog: { id: cat.id } });
  return { catalogId: cat.id, packageId: pkg.id };
}

export async function makeUser(c: Client, nick: string, fields: Record<string, unknown> = {}): Promise<string> {
  const u = await c.ok('POST', '/users', {
    displayName: nick,
    userPrincipalName: `${nick}@contoso.test`,
    mailNickname: nick,
    accountEnabled: true,
    ...fields,
  });
  return u.id as string;
}

export function directPolicy(packageId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    displayName: 'Direct',
    description: 'admin only',
    allowedTargetScope: 'notSpecified',
    specificAllowedTargets: [],
    expiration: { type: 'noExpiration' },
    requestApprovalSettings: { isApprovalRequiredForAdd: false, isApprovalRequiredForUpdate: false, stages: [] },
    accessPackage: { id: packageId },
    ...extra,
  };
}

export function autoPolicy(
  packageId: string,
  rule: string,
  auto: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    displayName: 'Auto',
    description: 'by rule',
    allowedTargetScope: 'specificDirectoryUsers',
    specificAllowedTargets: [
      { '@odata.type': '#microsoft.graph.attributeRuleMembers', description: 'rule', membershipRule: rule },
    ],
    automaticRequestSettings: { requestAccessForAllowedTargets: true, ...auto },
    accessPackage: { id: packageId },
  };
}

export async function assignmentsOf(c: Client, packageId: string, extra = ''): Promise<any[]> {
  const r = await c.ok(
    'GET',
    `${EM}/assignments?$filter=accessPackage/id eq '${packageId}'${extra}&$expand=target&$top=999`,
  );
  return r.value;
}
