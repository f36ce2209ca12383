/**
 * Stability prices: credits per successful call, by model id (generate endpoints) or by
 * operation (`inpaint`, `erase`, `search-and-replace`, `outpaint`, `remove-background`,
 * `sketch`, `structure`, `style`), and the US dollars one credit costs.
 */
export interface StabilityPrices {
  /** US dollars per credit. */
  readonly usdPerCredit: number;
  /** Credits per successful call, by model id or operation. */
  readonly credits: Readonly<Record<string, number>>;
}

/** What the `prices` setting takes: entries replace the defaults one by one. */
export interface StabilityPriceOverrides {
  /** US dollars per credit. @default defaultStabilityPrices.usdPerCredit */
  readonly usdPerCredit?: number;
  /** Credits per call, by model id or operation; listed keys replace the default entries. */
  readonly credits?: Readonly<Record<string, number>>;
}

/**
 * Stability's published prices, from the v2beta API reference snapshot this adapter was written
 * against (September 2026; check platform.stability.ai/pricing): credits per successful
 * generation, and $0.01 per credit (credits are sold at $10 per 1,000). Failed calls, and
 * calls refused by moderation (403), are not charged; a call whose output was filtered
 * (`CONTENT_FILTERED`) is. Override entries with the `prices` setting of `createStability`.
 */
export const defaultStabilityPrices: StabilityPrices = {
  usdPerCredit: 0.01,
  credits: {
    'stable-image-ultra': 8,
    'stable-image-core': 3,
    'sd3.5-large': 6.5,
    'sd3.5-large-turbo': 4,
    'sd3.5-medium': 3.5,
    'sd3.5-flash': 2.5,
    inpaint: 5,
    erase: 5,
    'search-and-replace': 5,
    outpaint: 4,
    'remove-background': 5,
    sketch: 5,
    structure: 5,
    style: 5,
  },
};

/**
 * The price table with overrides applied entry by entry.
 *
 * @param overrides - the `prices` setting.
 */
export function mergeStabilityPrices(overrides: StabilityPriceOverrides = {}): StabilityPrices {
  return {
    usdPerCredit: overrides.usdPerCredit ?? defaultStabilityPrices.usdPerCredit,
    credits: { ...defaultStabilityPrices.credits, ...overrides.credits },
  };
}

/** What a call costs. */
export interface StabilityCost {
  /** Credits of the call. */
  readonly credits: number;
  /** US dollars, rounded to micro-dollars. */
  readonly usd: number;
}

/**
 * The cost of one successful call to the endpoint priced under `key`.
 *
 * @param prices - the merged table.
 * @param key - a model id or operation.
 * @returns the cost, or `undefined` when the table has no entry for `key`.
 */
export function costOf(prices: StabilityPrices, key: string): StabilityCost | undefined {
  const credits = Object.hasOwn(prices.credits, key) ? prices.credits[key] : undefined;
  if (credits === undefined) return undefined;
  return { credits, usd: Math.round(credits * prices.usdPerCredit * 1_000_000) / 1_000_000 };
}
