/**
 * A package with N delivered assignments (one user each), built directly in the store because
 * the request path would be needlessly slow for 50k items. Used by paging tests and the bench.
 */
import { reconcileAll } from '../engine/autoAssign';
import { createCatalog, createPackage } from '../engine/directory';
import type { Engine } from '../engine/engine';
import { createPolicy } from '../engine/policies';

export interface BulkResult {
  accessPackageId: string;
  policyId: string;
}

export function seedAssignments(eng: Engine, n: number): BulkResult {
  return eng.store.transact(() => {
    const catalog = createCatalog(eng, {
      displayName: `Load test ${eng.store.size('catalogs') + 1}`,
      description: 'Bulk assignments for paging tests and benchmarks',
    });
    const pkg = createPackage(eng, { displayName: `Bulk package (${n} assignments)`, catalog: { id: catalog.id } });
    const policy = createPolicy(eng, {
      displayName: 'Bulk direct assignment',
      description: 'Administrator assignments',
      allowedTargetScope: 'notSpecified',
      specificAllowedTargets: [],
      expiration: { type: 'noExpiration' },
      accessPackage: { id: pkg.id },
    });
    const start = eng.clock.iso();
    const schedule = {
      startDateTime: start,
      recurrence: null,
      expiration: { type: 'noExpiration', duration: null, endDateTime: null },
    };
    for (let i = 0; i < n; i++) {
      const name = `Load User ${pkg.id.slice(0, 4)}-${i}`;
      const upn = `load.${pkg.id.slice(0, 8)}.${i}@contoso.onmicrosoft.com`;
      const user = eng.store.put('users', {
        id: eng.newId(),
        displayName: name,
        userPrincipalName: upn,
        mail: upn,
        department: 'Load test',
        userType: 'Member',
        accountEnabled: true,
        businessPhones: [],
        otherMails: [],
        proxyAddresses: [],
        createdDateTime: start,
      });
      const subject = eng.store.put('subjects', {
        id: eng.newId(),
        displayName: name,
        email: upn,
        principalName: upn,
        objectId: user.id,
        onPremisesSecurityIdentifier: null,
        subjectType: 'user',
      });
      eng.store.put('assignments', {
        id: eng.newId(),
        state: 'delivered',
        status: 'Delivered',
        expiredDateTime: null,
        schedule,
        customExtensionCalloutInstances: [],
        _pkg: pkg.id,
        _catalog: catalog.id,
        _policy: policy.id,
        _user: user.id,
        _target: subject.id,
      });
    }
    // The new users may fall under existing automatic policies.
    reconcileAll(eng);
    return { accessPackageId: pkg.id, policyId: policy.id };
  });
}
