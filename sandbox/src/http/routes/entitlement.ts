/** `/identityGovernance/entitlementManagement/...`: catalogs, packages, policies, assignments, requests, approvals. */
import { getOne, listPage, type ListContext } from '../collection';
import { GraphError } from '../errors';
import { route, type Ctx, type Reply, type Route } from '../router';
import { accessPackages, assignments, catalogs, policies, present, requests, type Resource } from '../resources';
import { decide } from '../../engine/approvals';
import { createCatalog, createPackage, deleteCatalog, deletePackage, patchEntity } from '../../engine/directory';
import { mustGet } from '../../engine/engine';
import { createPolicy, deletePolicy, replacePolicy } from '../../engine/policies';
import { createRequest } from '../../engine/requests';
import type { CollectionName, Entity } from '../../store/store';

const EM = 'identityGovernance/entitlementManagement';

function lctx(ctx: Ctx, contextPath: string): ListContext {
  return { store: ctx.eng.store, query: ctx.query, url: ctx.url, base: ctx.base, contextPath: `${EM}/${contextPath}` };
}

/** GET collection, GET one, and optionally POST for one entity set. */
function crud(res: Resource, segment: string, what: string, create?: (ctx: Ctx) => Entity): Route[] {
  const out = [
    route('GET', `${EM}/${segment}`, (ctx) => ({ status: 200, body: listPage(res, lctx(ctx, segment)) })),
    route('GET', `${EM}/${segment}/{}`, (ctx) => ({
      status: 200,
      body: getOne(res, lctx(ctx, segment), mustGet(ctx.eng, res.coll, ctx.params[0]!, what)),
    })),
  ];
  if (create)
    out.push(
      route('POST', `${EM}/${segment}`, (ctx) => ({ status: 201, body: created(res, ctx, create(ctx), segment) })),
    );
  return out;
}

function created(res: Resource, ctx: Ctx, e: Entity, segment: string): Record<string, unknown> {
  return { '@odata.context': `${ctx.base}/$metadata#${EM}/${segment}/$entity`, ...present(res, ctx.eng.store, e) };
}

/** A navigation collection (`catalogs/{id}/accessPackages`): the parent must exist. */
function navList(
  res: Resource,
  parent: CollectionName,
  what: string,
  index: 'packageByCatalog' | 'policyByPackage',
  contextPath: string,
) {
  return (ctx: Ctx): Reply => {
    const p = mustGet(ctx.eng, parent, ctx.params[0]!, what);
    const ids = ctx.eng.store.lookup(index, p.id);
    const source = [...ids].map((i) => ctx.eng.store.get(res.coll, i)!).filter(Boolean);
    return { status: 200, body: listPage(res, lctx(ctx, contextPath), source) };
  };
}

function approvalStages(ctx: Ctx): Reply {
  const approval = mustGet(ctx.eng, 'approvals', ctx.params[0]!, 'approval');
  return {
    status: 200,
    body: {
      '@odata.context': `${ctx.base}/$metadata#${EM}/accessPackageAssignmentApprovals('${approval.id}')/stages`,
      value: approval.stages,
    },
  };
}

function approvalStage(ctx: Ctx): Reply {
  const approval = mustGet(ctx.eng, 'approvals', ctx.params[0]!, 'approval');
  const stage = (approval.stages as Record<string, unknown>[]).find((s) => s.id === ctx.params[1]);
  if (!stage) throw new GraphError(404, 'ResourceNotFound', `No approval stage with id '${ctx.params[1]!}' was found.`);
  return { status: 200, body: stage };
}

function approval(ctx: Ctx): Reply {
  const a = mustGet(ctx.eng, 'approvals', ctx.params[0]!, 'approval');
  return {
    status: 200,
    body: {
      '@odata.context': `${ctx.base}/$metadata#${EM}/accessPackageAssignmentApprovals/$entity`,
      id: a.id,
      stages: a.stages,
    },
  };
}

const packageFields = ['displayName', 'description', 'isHidden'];
const catalogFields = ['displayName', 'description', 'state', 'isExternallyVisible'];
const APPROVALS = `${EM}/accessPackageAssignmentApprovals`;

export const entitlementRoutes: Route[] = [
  ...crud(catalogs, 'catalogs', 'accessPackageCatalog', (ctx) => createCatalog(ctx.eng, ctx.body)),
  route(
    'PATCH',
    `${EM}/catalogs/{}`,
    (ctx) => (patchEntity(ctx.eng, 'catalogs', ctx.params[0]!, ctx.body, catalogFields), { status: 204 }),
  ),
  route('DELETE', `${EM}/catalogs/{}`, (ctx) => (deleteCatalog(ctx.eng, ctx.params[0]!), { status: 204 })),
  route(
    'GET',
    `${EM}/catalogs/{}/accessPackages`,
    navList(accessPackages, 'catalogs', 'accessPackageCatalog', 'packageByCatalog', 'accessPackages'),
  ),
  ...crud(accessPackages, 'accessPackages', 'accessPackage', (ctx) => createPackage(ctx.eng, ctx.body)),
  route(
    'PATCH',
    `${EM}/accessPackages/{}`,
    (ctx) => (patchEntity(ctx.eng, 'accessPackages', ctx.params[0]!, ctx.body, packageFields), { status: 204 }),
  ),
  route('DELETE', `${EM}/accessPackages/{}`, (ctx) => (deletePackage(ctx.eng, ctx.params[0]!), { status: 204 })),
  route(
    'GET',
    `${EM}/accessPackages/{}/assignmentPolicies`,
    navList(policies, 'accessPackages', 'accessPackage', 'policyByPackage', 'assignmentPolicies'),
  ),
  ...crud(policies, 'assignmentPolicies', 'accessPackageAssignmentPolicy', (ctx) => createPolicy(ctx.eng, ctx.body)),
  route('PUT', `${EM}/assignmentPolicies/{}`, (ctx) => ({
    status: 200,
    body: present(policies, ctx.eng.store, replacePolicy(ctx.eng, ctx.params[0]!, ctx.body)),
  })),
  route('DELETE', `${EM}/assignmentPolicies/{}`, (ctx) => (deletePolicy(ctx.eng, ctx.params[0]!), { status: 204 })),
  ...crud(assignments, 'assignments', 'accessPackageAssignment'),
  ...crud(requests, 'assignmentRequests', 'accessPackageAssignmentRequest', (ctx) => createRequest(ctx.eng, ctx.body)),
  route('GET', `${APPROVALS}/{}`, approval),
  route('GET', `${APPROVALS}/{}/stages`, approvalStages),
  route('GET', `${APPROVALS}/{}/stages/{}`, approvalStage),
  route(
    'PATCH',
    `${APPROVALS}/{}/stages/{}`,
    (ctx) => (decide(ctx.eng, ctx.params[0]!, ctx.params[1]!, ctx.body), { status: 204 }),
  ),
];
