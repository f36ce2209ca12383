import { describe, expect, it } from 'vitest';
import { closestName, levenshteinDistance } from './closest-name.js';

describe('closestName', () => {
  it('finds the nearest candidate by case-insensitive edit distance', () => {
    expect(levenshteinDistance('kitten', 'sitting')).toBe(3);
    expect(closestName('opneai', ['openai', 'sd', 'comfy'])).toBe('openai');
    expect(closestName('a2', ['A', 'A2', 'B'])).toBe('A2');
    expect(closestName('zzzzzz', ['A', 'B'])).toBe('A');
    expect(closestName('x', [])).toBeUndefined();
  });
});
