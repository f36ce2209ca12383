import { describe, expect, it } from 'vitest';
import { calculatePredictionCost, estimatePredictionCost } from './calculate-prediction-cost.js';

describe('prediction cost', () => {
  it('bills per output image', () => {
    expect(calculatePredictionCost({ perImage: 0.003 }, { images: 2, predictSeconds: 9 })).toBe(
      0.006,
    );
    expect(estimatePredictionCost({ perImage: 0.04 })).toBe(0.04);
  });

  it('bills by predict_time, and estimates from estimatedSeconds', () => {
    const price = { perSecond: 0.000725, estimatedSeconds: 10 };
    expect(calculatePredictionCost(price, { images: 1, predictSeconds: 3.2 })).toBe(0.00232);
    expect(
      calculatePredictionCost(price, { images: 1, predictSeconds: undefined }),
    ).toBeUndefined();
    expect(estimatePredictionCost(price)).toBe(0.00725);
    expect(estimatePredictionCost({ perSecond: 0.001 })).toBeUndefined();
  });

  it('knows no cost without a price', () => {
    expect(calculatePredictionCost(undefined, { images: 1, predictSeconds: 1 })).toBeUndefined();
    expect(estimatePredictionCost(undefined)).toBeUndefined();
  });
});
