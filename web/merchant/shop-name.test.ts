import { describe, expect, it } from 'vitest';
import { shopName } from './shop-name';

describe('shopName', () => {
  const merchant = { name: '老街面馆', latinName: 'OLD STREET NOODLES' };

  it('is the Chinese name in Chinese, and the registered Latin name in title case in English', () => {
    expect(shopName(merchant, false)).toBe('老街面馆');
    expect(shopName(merchant, true)).toBe('Old Street Noodles');
    expect(shopName({ name: '老街面馆', latinName: 'LAO JIE MIAN GUAN' }, true)).toBe('Lao Jie Mian Guan');
  });

  it('keeps a Latin name written in mixed case as it is, and falls back to the Chinese name', () => {
    expect(shopName({ name: '麦当劳', latinName: "McDonald's" }, true)).toBe("McDonald's");
    expect(shopName({ name: '老街面馆', latinName: '  ' }, true)).toBe('老街面馆');
    expect(shopName({ name: '老街面馆' }, true)).toBe('老街面馆');
  });
});
