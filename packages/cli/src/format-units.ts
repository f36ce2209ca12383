/** Milliseconds as seconds with one decimal: `1234` → `1.2s`. */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** A cost in US dollars with three decimals, or `-` when unknown. */
export function formatDollars(usd: number | undefined): string {
  return usd === undefined ? '-' : `$${usd.toFixed(3)}`;
}
