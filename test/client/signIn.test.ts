/**
 * What the extension asks of VS Code's Microsoft sign-in, for every combination of settings and
 * every cloud: the scopes (Graph host + permission, `VSCODE_CLIENT_ID:`, `VSCODE_TENANT:`), the
 * provider, Graph's root; which refusals get the "register your app" explanation.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  consentRefusal,
  graphRootFor,
  providerFor,
  scopesFor,
  signInSettings,
  sovereignMismatch,
  type StoredSignInSettings,
} from '../../client/src/auth/scopes';
import { cloudNames, clouds } from '../../client/src/graph/clouds';
import { MicrosoftTenant, type TokenSource } from '../../client/src/tenants/microsoftTenant';

const APP = '0d5b5a3e-7c1f-4f5e-9d7a-2a6b1c3d4e5f';
const OTHER_APP = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const TENANT = 'contoso.onmicrosoft.com';

describe('scopes sent to the provider', () => {
  // [what, stored settings, expected scopes for EntitlementManagement.Read.All in TENANT]
  const cases: [string, StoredSignInSettings, string[]][] = [
    [
      'nothing set: VS Code app, global cloud',
      {},
      ['https://graph.microsoft.com/EntitlementManagement.Read.All', `VSCODE_TENANT:${TENANT}`],
    ],
    [
      'an app id for every tenant',
      { clientId: APP },
      [
        'https://graph.microsoft.com/EntitlementManagement.Read.All',
        `VSCODE_CLIENT_ID:${APP}`,
        `VSCODE_TENANT:${TENANT}`,
      ],
    ],
    [
      "the tenant's own app wins over the global one",
      { clientId: APP, tenantSettings: { [TENANT]: { clientId: OTHER_APP } } },
      [
        'https://graph.microsoft.com/EntitlementManagement.Read.All',
        `VSCODE_CLIENT_ID:${OTHER_APP}`,
        `VSCODE_TENANT:${TENANT}`,
      ],
    ],
    [
      'an empty tenant app falls back to the global one',
      { clientId: APP, tenantSettings: { [TENANT]: { clientId: '' } } },
      [
        'https://graph.microsoft.com/EntitlementManagement.Read.All',
        `VSCODE_CLIENT_ID:${APP}`,
        `VSCODE_TENANT:${TENANT}`,
      ],
    ],
    [
      'a tenant entry matched without regard to case, with a cloud',
      { tenantSettings: { 'CONTOSO.onmicrosoft.com': { cloud: 'usGov' } } },
      ['https://graph.microsoft.us/EntitlementManagement.Read.All', `VSCODE_TENANT:${TENANT}`],
    ],
    [
      'a cloud and an app together',
      { clientId: APP, tenantSettings: { [TENANT]: { cloud: 'china' } } },
      [
        'https://microsoftgraph.chinacloudapi.cn/EntitlementManagement.Read.All',
        `VSCODE_CLIENT_ID:${APP}`,
        `VSCODE_TENANT:${TENANT}`,
      ],
    ],
    [
      'an app id that is not a GUID never reaches the scopes',
      { clientId: 'VSCODE_TENANT:common' },
      ['https://graph.microsoft.com/EntitlementManagement.Read.All', `VSCODE_TENANT:${TENANT}`],
    ],
    [
      'an unknown cloud is the global one',
      { tenantSettings: { [TENANT]: { cloud: 'germany' } } },
      ['https://graph.microsoft.com/EntitlementManagement.Read.All', `VSCODE_TENANT:${TENANT}`],
    ],
    [
      "another tenant's entry does not apply",
      { tenantSettings: { 'fabrikam.onmicrosoft.com': { cloud: 'usGovDoD', clientId: OTHER_APP } } },
      ['https://graph.microsoft.com/EntitlementManagement.Read.All', `VSCODE_TENANT:${TENANT}`],
    ],
    [
      'settings of the wrong shape are ignored',
      { clientId: 42, tenantSettings: ['x'] },
      ['https://graph.microsoft.com/EntitlementManagement.Read.All', `VSCODE_TENANT:${TENANT}`],
    ],
  ];
  for (const [what, stored, expected] of cases)
    it(what, () => {
      assert.deepEqual(scopesFor('EntitlementManagement.Read.All', signInSettings(TENANT, stored)), expected);
    });

  it('each cloud: its Graph host in the scope, its provider, its Graph root', () => {
    const expected = {
      global: ['https://graph.microsoft.com', 'microsoft'],
      usGov: ['https://graph.microsoft.us', 'microsoft-sovereign-cloud'],
      usGovDoD: ['https://dod-graph.microsoft.us', 'microsoft-sovereign-cloud'],
      china: ['https://microsoftgraph.chinacloudapi.cn', 'microsoft-sovereign-cloud'],
    } as const;
    assert.deepEqual(Object.keys(expected).sort(), [...cloudNames].sort());
    for (const cloud of cloudNames) {
      const s = signInSettings(TENANT, { clientId: APP, tenantSettings: { [TENANT]: { cloud } } });
      const [host, provider] = expected[cloud];
      assert.deepEqual(scopesFor('EntitlementManagement.ReadWrite.All', s), [
        `${host}/EntitlementManagement.ReadWrite.All`,
        `VSCODE_CLIENT_ID:${APP}`,
        `VSCODE_TENANT:${TENANT}`,
      ]);
      assert.deepEqual(scopesFor('User.ReadBasic.All', s)[0], `${host}/User.ReadBasic.All`);
      assert.equal(providerFor(s), provider);
      assert.equal(graphRootFor(s), `${host}/v1.0`);
      assert.equal(clouds[cloud].graphHost, host);
    }
  });

  it('a sovereign cloud needs the sovereign provider set to it', () => {
    const gov = signInSettings(TENANT, { tenantSettings: { [TENANT]: { cloud: 'usGovDoD' } } });
    assert.equal(sovereignMismatch(gov, undefined), 'USGovernment');
    assert.equal(sovereignMismatch(gov, 'ChinaCloud'), 'USGovernment');
    assert.equal(sovereignMismatch(gov, 'USGovernment'), undefined);
    const china = signInSettings(TENANT, { tenantSettings: { [TENANT]: { cloud: 'china' } } });
    assert.equal(sovereignMismatch(china, 'ChinaCloud'), undefined);
    assert.equal(sovereignMismatch(signInSettings(TENANT, {}), undefined), undefined);
  });

  it('the old string form still means the global cloud and VS Code app', () => {
    assert.deepEqual(scopesFor('EntitlementManagement.Read.All', TENANT), [
      'https://graph.microsoft.com/EntitlementManagement.Read.All',
      `VSCODE_TENANT:${TENANT}`,
    ]);
  });
});

describe('refusals explained as "register your app"', () => {
  const explained: [string, string][] = [
    [
      'AADSTS65002: Consent between first party application and first party resource must be configured via preauthorization',
      'AADSTS65002',
    ],
    [
      "Error: AADSTS650057: Invalid resource. The client has requested access to a resource which isn't listed",
      'AADSTS650057',
    ],
    ['AADSTS65001: The user or administrator has not consented to use the application', 'AADSTS65001'],
    ['AADSTS90094: The grant requires admin permission.', 'AADSTS90094'],
    [
      'AADSTS7000218: The request body must contain the following parameter: client_assertion or client_secret',
      'AADSTS7000218',
    ],
    ['interaction_required: consent_required', 'ConsentRequired'],
  ];
  for (const [message, code] of explained)
    it(code, () => {
      const r = consentRefusal(message);
      assert.equal(r?.code, code);
      assert.ok((r?.reason.length ?? 0) > 10);
    });
  it('other failures are left alone', () => {
    for (const m of [
      'User did not consent to login.',
      'Cancelled',
      'AADSTS50126: Invalid username or password',
      'network error',
    ])
      assert.equal(consentRefusal(m), undefined, m);
  });
});

describe('tenant row', () => {
  const tokens = (account?: string): TokenSource => ({
    token: () => Promise.resolve('t'),
    account: () => Promise.resolve(account),
  });
  it('shows the account, and the cloud outside the global one', async () => {
    const global = new MicrosoftTenant(TENANT, tokens('alice@contoso.com'));
    assert.equal(global.description, 'Microsoft Entra · signed out');
    assert.equal(await global.isSignedIn(), true);
    assert.equal(global.description, 'Microsoft Entra · alice@contoso.com');
    const gov = new MicrosoftTenant(TENANT, tokens(), {}, 'https://graph.microsoft.us/v1.0', 'usGov');
    assert.equal(await gov.isSignedIn(), false);
    assert.equal(gov.description, 'Microsoft Entra (US Government L4 (GCC High)) · signed out');
    assert.match(gov.tooltip, /graph\.microsoft\.us/);
  });
});
