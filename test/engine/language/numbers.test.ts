import * as assert from 'assert';
import { formatNumber, parseNumber, readNumber, scanNumber, withinTolerance } from '../../../src/engine/language/numbers';

describe('numbers', () => {
  it('parses the ways students write numbers, decimal commas included', () => {
    assert.strictEqual(parseNumber('0.15')!.value, 0.15);
    assert.strictEqual(parseNumber('.15')!.value, 0.15);
    assert.strictEqual(parseNumber('-2')!.value, -2);
    assert.strictEqual(parseNumber('3.5e-5')!.value, 0.000035);
    assert.strictEqual(parseNumber('0,15')!.value, 0.15);
    assert.strictEqual(parseNumber(',5')!.value, 0.5);
    assert.strictEqual(parseNumber('+1E3')!.value, 1000);
    // The minus sign of typeset notes (U+2212), in the number and in its exponent.
    assert.strictEqual(parseNumber('\u22120.217')!.value, -0.217);
    assert.strictEqual(parseNumber('4,33e\u22124')!.value, 0.000433);
    assert.strictEqual(parseNumber('4,33e\u22124')!.halfUnit, 5e-7);
  });

  it('rejects what is not a number', () => {
    for (const t of ['', 'abc', '1.2.3', '1,000.5', '0x10', 'NaN', 'Infinity', '1e', '--1', '1e999', '.', '\u2212\u22121', '\u2013 1']) assert.strictEqual(parseNumber(t), undefined, t);
  });

  it('knows half a unit of the last written digit', () => {
    assert.strictEqual(parseNumber('0.359')!.halfUnit, 0.0005);
    assert.strictEqual(parseNumber('0,359')!.halfUnit, 0.0005);
    assert.strictEqual(parseNumber('2')!.halfUnit, 0.5);
    assert.strictEqual(parseNumber('0.35891648')!.halfUnit, 5e-9);
    assert.strictEqual(parseNumber('3.5e-5')!.halfUnit, 5e-7);
    assert.strictEqual(parseNumber('4.33e2')!.halfUnit, 0.5);
  });

  it('tolerance: 0.359 and 0.3589 match 0.35891648, 0.3590 and 0.358 do not', () => {
    const exact = 0.35891648;
    const ok = (t: string) => { const p = parseNumber(t)!; return withinTolerance(p.value, exact, p.halfUnit); };
    assert.strictEqual(ok('0.359'), true); // |0.359 − 0.35891648| = 0.0000835 ≤ 0.0005
    assert.strictEqual(ok('0.3589'), true); // 0.0000165 ≤ 0.00005
    assert.strictEqual(ok('0.3590'), false); // 0.0000835 > 0.00005
    assert.strictEqual(ok('0.358'), false); // 0.00092 > 0.0005
    assert.strictEqual(ok('0.35891648'), true);
    assert.strictEqual(ok('0.35891649'), false); // 1e-8 > 5e-9
    assert.strictEqual(withinTolerance(1, NaN, 1), false);
  });

  it('formats with significant digits, dropping trailing zeros', () => {
    assert.strictEqual(formatNumber(0.08216704056), '0.082167');
    assert.strictEqual(formatNumber(0.7413650695, 3), '0.741');
    assert.strictEqual(formatNumber(1.2), '1.2');
    assert.strictEqual(formatNumber(-1.92), '-1.92');
    assert.strictEqual(formatNumber(0), '0');
    assert.strictEqual(formatNumber(-0), '0');
    assert.strictEqual(formatNumber(3.5e-5), '3.5e-5');
    assert.strictEqual(formatNumber(123456.7), '123457');
    assert.strictEqual(formatNumber(1234567), '1.23457e6');
    assert.strictEqual(formatNumber(0.000438568, 3), '0.000439');
    assert.strictEqual(formatNumber(0.35891647971788465, 9), '0.35891648');
    assert.strictEqual(formatNumber(NaN), 'NaN');
    assert.strictEqual(formatNumber(-Infinity), '-Infinity');
  });

  it('reads exactly the documented grammar, as a regular expression of it says, with the value Number() gives', () => {
    // The grammar of docs/language.md written as a regular expression: the scanner must agree with it.
    const GRAMMAR = /^[+\-\u2212]?(\d+([.,]\d*)?|[.,]\d+)([eE][+\-\u2212]?\d+)?$/;
    const alphabet = ['0', '1', '7', '9', '.', ',', 'e', 'E', '+', '-', '\u2212', 'x', ' '];
    let seed = 12345;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    let accepted = 0;
    for (let k = 0; k < 20_000; k++) {
      let t = '';
      const n = 1 + Math.floor(next() * 8);
      for (let i = 0; i < n; i++) t += alphabet[Math.floor(next() * alphabet.length)];
      const p = parseNumber(t);
      const expected = GRAMMAR.test(t) ? Number(t.replace(',', '.').replace(/\u2212/g, '-')) : undefined;
      const finite = expected !== undefined && Number.isFinite(expected) ? (expected === 0 ? 0 : expected) : undefined;
      assert.strictEqual(p?.value, finite, JSON.stringify(t));
      if (p) accepted++;
    }
    assert.ok(accepted > 500, `enough numbers among the cases (${accepted})`);
  });

  it('scans a number inside a longer text, between offsets', () => {
    const text = 'w1 i1 -> h1 = 0,15 # and 3.5e-5';
    const at = text.indexOf('0,15');
    assert.deepStrictEqual(scanNumber(text, at, at + 4), { value: 0.15, halfUnit: 0.005 });
    assert.strictEqual(readNumber(text, at, at + 3), 0.1);
    assert.strictEqual(readNumber(text, at - 2, at + 4), undefined);
    const e = text.indexOf('3.5e-5');
    assert.deepStrictEqual(scanNumber(text, e, text.length), { value: 3.5e-5, halfUnit: 5e-7 });
  });

  it('rounds correctly on both of its paths: short mantissas with small exponents, and long ones or large exponents', () => {
    let seed = 777;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const digits = (n: number) => Array.from({ length: n }, () => String(Math.floor(next() * 10))).join('');
    for (let k = 0; k < 20_000; k++) {
      const int = digits(Math.floor(next() * 12));
      const frac = digits(Math.floor(next() * 12));
      const exp = next() < 0.5 ? '' : `e${next() < 0.5 ? '-' : ''}${Math.floor(next() * 40)}`;
      const t = `${next() < 0.3 ? '-' : ''}${int}.${frac || (int ? '' : '5')}${exp}`;
      const expected = Number(t);
      assert.strictEqual(parseNumber(t)?.value, expected === 0 ? 0 : expected, t);
      assert.strictEqual(parseNumber(t.replace('.', ','))?.value, expected === 0 ? 0 : expected, t);
    }
    // Where the fast path would round twice, the slow one is taken: 2^53 + 1 and 17 digits.
    assert.strictEqual(parseNumber('9007199254740993')!.value, 9007199254740992);
    assert.strictEqual(parseNumber('0.30000000000000004')!.value, 0.1 + 0.2);
    assert.strictEqual(parseNumber('1e-400')!.value, 0);
  });
});
