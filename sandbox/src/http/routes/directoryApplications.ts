/**
 * `/applications` (create, read), `/applications/{id}/extensionProperties` (register, list) and
 * `POST /directoryObjects/getAvailableExtensionProperties`, in Graph v1.0's shapes.
 */
import { route, type Ctx, type Reply, type Route } from '../router';
import { mustGet } from '../../engine/engine';
import {
  addExtensionProperty,
  availableExtensionProperties,
  createApplication,
  extensionPropertiesOf,
} from '../../engine/directoryApplications';
import type { Entity } from '../../store/store';

function present(app: Entity): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(app)) if (k[0] !== '_') out[k] = v;
  return out;
}

const collection = (ctx: Ctx, path: string, value: unknown[]): Reply => ({
  status: 200,
  body: { '@odata.context': `${ctx.base}/$metadata#${path}`, value },
});

export const applicationRoutes: Route[] = [
  route('POST', 'applications', (ctx) => ({ status: 201, body: present(createApplication(ctx.eng, ctx.body)) })),
  route('GET', 'applications', (ctx) =>
    collection(ctx, 'applications', [...ctx.eng.store.values('applications')].map(present)),
  ),
  route('GET', 'applications/{}', (ctx) => ({
    status: 200,
    body: present(mustGet(ctx.eng, 'applications', ctx.params[0]!, 'application')),
  })),
  route('POST', 'applications/{}/extensionProperties', (ctx) => ({
    status: 201,
    body: addExtensionProperty(ctx.eng, ctx.params[0]!, ctx.body),
  })),
  route('GET', 'applications/{}/extensionProperties', (ctx) =>
    collection(
      ctx,
      'extensionProperties',
      extensionPropertiesOf(mustGet(ctx.eng, 'applications', ctx.params[0]!, 'application')),
    ),
  ),
  {
    ...route('POST', 'directoryObjects/getAvailableExtensionProperties', (ctx) =>
      collection(ctx, 'extensionProperties', availableExtensionProperties(ctx.eng, ctx.body)),
    ),
    write: false,
  },
];
