/**
 * Fault injection for client tests: the `x-sandbox-fault` request header forces one fault
 * (`429`, `503`, `500`, `403`, `404`, `reset`, `truncate`); `--fault-rate R --fault F` answers a
 * seeded share R of requests with F. Faults mimic what Graph and the network do: throttling
 * with `Retry-After`, an outage, a dropped connection, a body cut short.
 */
import type * as http from 'node:http';
import { GraphError } from './errors';
import type { Prng } from '../seed/prng';
import { send } from './server';

export interface FaultPlan {
  rate: number;
  fault: string;
  prng: Prng;
}

export const faultKinds = ['429', '503', '500', '403', '404', 'reset', 'truncate'];

export function pickFault(req: http.IncomingMessage, plan: FaultPlan): string | undefined {
  const asked = req.headers['x-sandbox-fault'];
  if (typeof asked === 'string' && asked !== '') return asked.toLowerCase();
  if (plan.rate > 0 && plan.prng.next() < plan.rate) return plan.fault;
  return undefined;
}

export const faultErrors: Record<string, () => GraphError> = {
  '429': () =>
    new GraphError(
      429,
      'TooManyRequests',
      'Too many requests. Retry after the time in the Retry-After header.',
      undefined,
      { 'Retry-After': '1' },
    ),
  '503': () =>
    new GraphError(503, 'ServiceUnavailable', 'The service is temporarily unavailable. Retry later.', undefined, {
      'Retry-After': '1',
    }),
  '500': () => new GraphError(500, 'InternalServerError', 'An internal server error occurred (injected).'),
  '403': () => new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
  '404': () => new GraphError(404, 'ResourceNotFound', 'The requested resource was not found (injected).'),
};

/** Answers with the fault when it replaces the response; false for `truncate`, which needs the real answer first. */
export function sendFault(fault: string, req: http.IncomingMessage, res: http.ServerResponse): boolean {
  if (fault === 'truncate') return false;
  req.resume();
  if (fault === 'reset') {
    req.socket.destroy();
    return true;
  }
  const make = faultErrors[fault];
  const err = make
    ? make()
    : new GraphError(400, 'BadRequest', `Unknown x-sandbox-fault '${fault}'; use one of ${faultKinds.join(', ')}.`);
  send(res, { status: err.status, body: err });
  return true;
}
