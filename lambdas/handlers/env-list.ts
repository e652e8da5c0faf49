/** A comma-separated environment variable as a list (blanks dropped). */
export const commaList = (s: string | undefined): string[] =>
  (s ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');

/** COVERED_REGIONS (the home Region and memberRegions, stacks/handler-environment.ts); the home Region when unset. */
export function coveredRegionsFrom(raw: string | undefined, home: string): string[] {
  const regions = commaList(raw);
  return regions.length === 0 ? [home] : regions;
}
