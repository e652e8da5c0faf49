/** One benchmark figure: printed as `name: value unit` and stored as `name: value` in bench-results.json. */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

/** A benchmark module: `bench/<area>.bench.ts` default-exports one of these. */
export type Bench = () => Promise<ReadonlyArray<Figure>>;

export const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
