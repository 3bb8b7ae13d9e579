import { describe, expect, test } from 'vitest';
import { maskCard, maskName, maskPhone, groupDigits } from './mask';
import { formatFen, parseYuan, toFen } from './money';

describe('money at the edge', () => {
  test('formats integer fen as ¥1,234.50, from numbers, strings and bigints', () => {
    expect(formatFen(123450)).toBe('¥1,234.50');
    expect(formatFen('123450')).toBe('¥1,234.50');
    expect(formatFen(5n)).toBe('¥0.05');
    expect(formatFen(0)).toBe('¥0.00');
    expect(formatFen(-8850)).toBe('-¥88.50');
    expect(formatFen(8850, { sign: true })).toBe('+¥88.50');
    expect(formatFen('900719925474099100')).toBe('¥9,007,199,254,740,991.00');
  });

  test('refuses anything that is not an integer number of fen', () => {
    expect(() => toFen(88.5)).toThrow();
    expect(() => toFen('88.50')).toThrow();
    expect(() => toFen(Number.MAX_SAFE_INTEGER + 2)).toThrow();
  });

  test('parses what people type into fen, without floats', () => {
    expect(parseYuan('88')).toBe(8800n);
    expect(parseYuan('88.5')).toBe(8850n);
    expect(parseYuan('1,234.56')).toBe(123456n);
    expect(parseYuan('0.1')).toBe(10n);
    expect(parseYuan('0.07')).toBe(7n);
    for (const bad of ['', '0', '0.00', '-1', '1.234', 'abc', '1e3', '.5']) expect(parseYuan(bad), bad).toBeNull();
  });
});

describe('masking', () => {
  test('phones, names, cards and codes', () => {
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskPhone('+8613800138000')).toBe('138****8000');
    expect(maskName('张三')).toBe('*三');
    expect(maskName('欧阳娜娜')).toBe('***娜');
    expect(maskName('*三')).toBe('*三');
    expect(maskCard('6222 0202 0011 2233 445')).toBe('**** 3445');
    expect(groupDigits('281234567812345678')).toBe('2812 3456 7812 3456 78');
  });
});
