/** Server settings, read through `workspace/configuration`, with defaults for whatever is missing. */
import type { Connection } from 'vscode-languageserver';

export interface ServerSettings {
  casingHints: boolean;
  debounceMs: number;
  maxDocumentLength: number;
}

export const defaultServerSettings: ServerSettings = {
  casingHints: true,
  debounceMs: 200,
  maxDocumentLength: 4 * 1024 * 1024,
};

export async function readSettings(connection: Connection, canRead: boolean): Promise<ServerSettings> {
  if (!canRead) return defaultServerSettings;
  try {
    const raw: unknown = await connection.workspace.getConfiguration('entitlements');
    return fromRaw(raw);
  } catch {
    return defaultServerSettings;
  }
}

/** Accepts `null`, partial or ill-typed settings and falls back field by field. */
export function fromRaw(raw: unknown): ServerSettings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const rules = (r.rules && typeof r.rules === 'object' ? r.rules : {}) as Record<string, unknown>;
  const diagnostics = (r.diagnostics && typeof r.diagnostics === 'object' ? r.diagnostics : {}) as Record<
    string,
    unknown
  >;
  const casing = rules.hintUndocumentedCasing;
  const debounce = diagnostics.debounceMs;
  const maxMb = r.maxDocumentSizeMB;
  return {
    maxDocumentLength:
      typeof maxMb === 'number' && Number.isFinite(maxMb) && maxMb > 0
        ? Math.floor(maxMb * 1024 * 1024)
        : defaultServerSettings.maxDocumentLength,
    casingHints: typeof casing === 'boolean' ? casing : defaultServerSettings.casingHints,
    debounceMs:
      typeof debounce === 'number' && Number.isFinite(debounce) && debounce >= 0
        ? Math.min(debounce, 5000)
        : defaultServerSettings.debounceMs,
  };
}
