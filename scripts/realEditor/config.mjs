// Limits of the real-editor run, in one place.
/** Upper bounds that turn a hang into a failure (never waited out on success). */
export const LIMITS = {
  codeServerStartMs: 60_000,
  extensionTestsMs: 3 * 60_000,
  uiStepMs: 30_000,
};
