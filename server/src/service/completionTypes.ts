/** Completion and hover results in offsets, so rules embedded in JSON strings can be mapped. */
import type { OffsetRange } from './rules/ast';

export type CompletionKind = 'property' | 'operator' | 'value' | 'keyword' | 'snippet' | 'variable' | 'enumMember';

export interface ServiceCompletion {
  label: string;
  kind: CompletionKind;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** Text to insert; a snippet (with $1 placeholders) when `snippet` is true. */
  insertText: string;
  snippet?: boolean;
  /** The text the insertion replaces (the partial word at the cursor). */
  range: OffsetRange;
  filterText?: string;
  sortText?: string;
  /** Ask the editor to open completion again after inserting (after `user.`). */
  retrigger?: boolean;
}

export interface ServiceHover {
  /** Markdown. */
  contents: string;
  range: OffsetRange;
}
