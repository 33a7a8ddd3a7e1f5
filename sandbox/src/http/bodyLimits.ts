/**
 * Shape limits on JSON request bodies, checked on the raw text in one linear pass before the body
 * is parsed, validated or walked: nesting depth and the number of values. Graph's own bodies are
 * a few levels deep with at most a few hundred values, so the limits never refuse a real request;
 * they exist so that no body (deep nesting, tens of thousands of keys under the 1 MB size limit)
 * can overflow a recursive walk or keep the policy validator busy for minutes.
 */
import { GraphError } from './errors';

export interface BodyLimits {
  /** Deepest nesting of objects and arrays. */
  maxDepth: number;
  /** Most values (object members plus array elements, at any depth). */
  maxValues: number;
}

/** Every body. */
export const defaultBodyLimits: BodyLimits = { maxDepth: 64, maxValues: 20_000 };
/** Policy bodies, which the shared language service validates before the write. */
export const policyBodyLimits: BodyLimits = { maxDepth: 32, maxValues: 1_000 };

/**
 * Throws a 400 (Graph's error shape) when the text nests deeper or holds more values than the
 * limits allow. Does not check the syntax: a malformed body within the limits is left to the
 * parser, which reports it.
 */
export function checkBodyShape(text: string, limits: BodyLimits = defaultBodyLimits): void {
  // arrays[d] tells whether the container at depth d is an array (its commas separate values).
  const arrays: boolean[] = [false];
  let depth = 0;
  let values = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    let counted = false;
    if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > limits.maxDepth)
        throw new GraphError(
          400,
          'BadRequest',
          `The request body nests objects and arrays deeper than ${limits.maxDepth} levels (at position ${i}).`,
        );
      arrays[depth] = c === 0x5b;
      counted = true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth = Math.max(0, depth - 1);
    // A member is counted at its ':', an array element at the ',' before it (or as a container).
    else if (c === 0x3a /* : */ || (c === 0x2c /* , */ && arrays[depth])) counted = true;
    if (counted && ++values > limits.maxValues)
      throw new GraphError(
        400,
        'BadRequest',
        `The request body holds more than ${limits.maxValues} members and elements; split it or leave out what the resource does not have.`,
      );
  }
}
