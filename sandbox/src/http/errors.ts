/**
 * Graph's error shape: `{"error": {"code", "message", "details"?, "innerError"}}`. Handlers throw
 * GraphError; the server turns it into a response, so no handler writes error bodies itself.
 */
import { randomUUID } from 'node:crypto';

export interface ErrorDetail {
  code: string;
  message: string;
  target?: string;
}

export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export function errorBody(code: string, message: string, details?: ErrorDetail[]): string {
  const error: Record<string, unknown> = { code, message };
  if (details && details.length > 0) error.details = details;
  const id = randomUUID();
  error.innerError = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    'request-id': id,
    'client-request-id': id,
  };
  return JSON.stringify({ error });
}

export const badRequest = (message: string, details?: ErrorDetail[]): GraphError =>
  new GraphError(400, 'BadRequest', message, details);
export const unsupportedQuery = (message: string): GraphError =>
  new GraphError(400, 'Request_UnsupportedQuery', message);
export const notFound = (what: string, id: string): GraphError =>
  new GraphError(404, 'ResourceNotFound', `${what} with id '${id}' was not found.`);
export const directoryNotFound = (id: string): GraphError =>
  new GraphError(
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
