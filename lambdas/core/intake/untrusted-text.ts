/**
 * Finding fields such as Runtime Monitoring process names and paths are chosen by whoever runs code on
 * the instance. Before they reach a log line, a ledger detail or a notification they are reduced to
 * printable ASCII: every other character (control characters, line separators, bidi overrides, ANSI
 * escapes) is written as a visible `\u{...}` escape, and the text is cut to `max` characters.
 */
export function escapeUntrusted(value: unknown, max = 256): string | undefined {
  if (typeof value !== 'string') return undefined;
  const escaped = value.replace(/\\|[^\x20-\x7e]/gu, (c) =>
    c === '\\' ? '\\\\' : `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`,
  );
  return escaped.length > max ? `${escaped.slice(0, max)}...(${escaped.length - max} more)` : escaped;
}

/** Reads `obj.a.b.c` from an unknown value without trusting its shape. */
export function pick(obj: unknown, ...path: string[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (typeof cur !== 'object' || cur === null || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Runtime Monitoring details worth showing on-call, escaped. Undefined for other findings. */
export function runtimeSummary(runtimeDetails: unknown): Record<string, string> | undefined {
  const process = pick(runtimeDetails, 'process');
  if (process === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const key of ['name', 'executablePath', 'executableSha256', 'pwd'] as const) {
    const v = escapeUntrusted(pick(process, key));
    if (v !== undefined) out[key] = v;
  }
  const pid = pick(process, 'pid');
  if (typeof pid === 'number' && Number.isSafeInteger(pid)) out.pid = String(pid);
  return out;
}
