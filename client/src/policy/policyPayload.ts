/**
 * Policy documents ↔ Graph bodies. A policy read from Graph is opened without its server-set
 * fields (they would be rejected or ignored on write); a document is sent as written, minus the
 * same fields, with `accessPackage` reduced to its id.
 */
import { parse, type ParseError } from 'jsonc-parser';

const serverSet = ['id', '@odata.context', '@odata.etag', 'createdDateTime', 'modifiedDateTime', 'catalog'];

/** The body to send for a policy document, or the parse problems. */
export function policyBody(
  text: string,
): { ok: true; body: Record<string, unknown> } | { ok: false; message: string; offset: number } {
  const errors: ParseError[] = [];
  const value = parse(text, errors, { allowTrailingComma: true, disallowComments: false }) as unknown;
  if (errors.length > 0)
    return {
      ok: false,
      message: 'The document is not valid JSON; fix the reported problems first.',
      offset: errors[0]!.offset,
    };
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return { ok: false, message: 'A policy document must hold one JSON object.', offset: 0 };
  return { ok: true, body: cleanPolicy(value as Record<string, unknown>) };
}

export function cleanPolicy(policy: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(policy)) if (!serverSet.includes(k)) out[k] = v;
  const pkg = policy.accessPackage as { id?: unknown } | null | undefined;
  if (pkg && typeof pkg === 'object' && typeof pkg.id === 'string') out.accessPackage = { id: pkg.id };
  return out;
}

/** The text of a policy as opened for editing (cleaned, two-space JSON). */
export function policyDocumentText(policy: Record<string, unknown>): string {
  return `${JSON.stringify(cleanPolicy(policy), null, 2)}\n`;
}

/** The access package a policy document targets. */
export function policyPackageId(body: Record<string, unknown>): string | undefined {
  const pkg = body.accessPackage as { id?: unknown } | undefined;
  return pkg && typeof pkg.id === 'string' ? pkg.id : undefined;
}
