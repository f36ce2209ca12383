import { describe, expect, it } from 'vitest';
import { parseCssColor } from './css-color.js';

describe('parseCssColor', () => {
  it.each([
    ['#f4efe6', { r: 244, g: 239, b: 230, a: 1 }],
    ['#FFF', { r: 255, g: 255, b: 255, a: 1 }],
    ['#00ff0080', { r: 0, g: 255, b: 0, a: 128 / 255 }],
    ['#0f08', { r: 0, g: 255, b: 0, a: 136 / 255 }],
    ['transparent', { r: 0, g: 0, b: 0, a: 0 }],
    ['RebeccaPurple', { r: 102, g: 51, b: 153, a: 1 }],
    ['rgb(255, 0, 10)', { r: 255, g: 0, b: 10, a: 1 }],
    ['rgba(255,0,10,0.5)', { r: 255, g: 0, b: 10, a: 0.5 }],
    ['rgb(100% 0% 50% / 25%)', { r: 255, g: 0, b: 128, a: 0.25 }],
    ['hsl(120, 100%, 50%)', { r: 0, g: 255, b: 0, a: 1 }],
    ['hsl(0.5turn 100% 25% / 0.5)', { r: 0, g: 128, b: 128, a: 0.5 }],
    ['  white  ', { r: 255, g: 255, b: 255, a: 1 }],
  ])('%s', (text, expected) => {
    expect(parseCssColor(text)).toEqual(expected);
  });

  it.each([
    '',
    '#ff',
    '#ggg',
    'blurple',
    'rgb(1,2)',
    'rgb(1,2,3,4,5)',
    'hsl(10, 20, 30)',
    'url(x)',
    '#12345',
  ])('refuses %j', (text) => {
    expect(parseCssColor(text)).toBeUndefined();
  });
});
