/** One benchmark figure: the subject's median next to a reference measured in the same run. */
export interface BenchResult {
  name: string;
  /** Median of the subject's samples, in `unit`. */
  median: number;
  /** Median of the reference's samples, in `unit`. */
  reference: number;
  /** `median / reference`. */
  ratio: number;
  unit: string;
  note?: string;
  /** The target, as text for the table (`ratio ≤ 1.5`, `< 200 µs`). */
  target?: string;
}
