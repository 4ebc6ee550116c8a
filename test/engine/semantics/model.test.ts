import * as assert from 'assert';
import { buildNetwork } from '../../../src/engine/semantics/model';
import { parseCell } from '../../../src/engine/language/parser';
import { MAX_DIAGNOSTICS } from '../../../src/engine/semantics/diagnostics';
import { messageOf } from '../../../src/engine/semantics/messages';
import { MAZUR_CELL } from '../fixtures';
import { Session } from '../../../src/engine/session';

function build(text: string) {
  const p = parseCell(text);
  assert.deepStrictEqual(p.errors, [], 'the test cell parses');
  return buildNetwork(text, p.statements);
}
/** Each error as `LINE:COL code`, its args and related places: what the edges turn into words. */
const where = (text: string) => build(text).errors.map((e) => ({ at: `${e.line}:${e.column} ${e.code}`, args: e.args, ...(e.related ? { related: e.related } : {}) }));
const defined = (line: number) => [{ role: 'defined', line }];

describe('model', () => {
  it('maps the 2-2-2 network onto the flat layout, with b1 shared by h1 and h2', () => {
    const { model, errors } = build(MAZUR_CELL);
    assert.deepStrictEqual(errors, []);
    assert.ok(model);
    assert.strictEqual(model.paramCount, 10);
    assert.strictEqual(model.layout.paramCount, 12, 'a shared bias has one slot per neuron');
    // Layout: layer 1 weights row by row (target, then source), its bias slots, then layer 2.
    assert.deepStrictEqual(model.param('w1')!.slots, [0]);
    assert.deepStrictEqual(model.param('w2')!.slots, [1]); // i2 -> h1
    assert.deepStrictEqual(model.param('w3')!.slots, [2]); // i1 -> h2
    assert.deepStrictEqual(model.param('b1')!.slots, [4, 5]);
    assert.deepStrictEqual(model.param('w7')!.slots, [8]); // h1 -> o2
    assert.deepStrictEqual(Array.from(model.declared), [0.15, 0.2, 0.25, 0.3, 0.35, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.6]);
    assert.deepStrictEqual(model.tied, [[4, 5], [10, 11]]);
  });

  it('lists every missing edge at its layer line', () => {
    const e = where('input i1 i2\nlayer h1 h2 sigmoid\nlayer o1 sigmoid\nw1 i1 -> h1 = 0.1\nw2 i2 -> h1 = 0.2\nw3 i1 -> h2 = 0.3\n');
    assert.deepStrictEqual(e, [
      { at: '2:1 missing-weights', args: { count: 1, edges: ['i2 -> h2'], more: 0 } },
      { at: '3:1 missing-weights', args: { count: 2, edges: ['h1 -> o1', 'h2 -> o1'], more: 0 } },
    ]);
  });

  it('cuts a long list of missing edges short and says how many more', () => {
    const e = build('input x[10]\nlayer h[10] sigmoid\n').errors;
    assert.strictEqual(e.length, 1);
    assert.strictEqual(e[0].code, 'missing-weights');
    assert.deepStrictEqual([e[0].args.count, (e[0].args.edges as string[]).length, e[0].args.more], [100, 12, 88]);
    assert.deepStrictEqual((e[0].args.edges as string[]).slice(0, 2), ['x1 -> h1', 'x2 -> h1']);
  });

  it('reports unknown neurons with the nearest declared name', () => {
    assert.deepStrictEqual(where('input i1 i2\nlayer h1 sigmoid\nw1 i1 -> h2 = 0.1\nw2 i3 -> h1 = 0.2\nw3 i1 -> zzz = 1\n'), [
      { at: '3:10 unknown-name', args: { what: 'neuron', name: 'h2', near: 'h1' } },
      { at: '4:4 unknown-name', args: { what: 'neuron', name: 'i3', near: 'i1' } },
      { at: '5:10 unknown-name', args: { what: 'neuron', name: 'zzz' } },
    ]);
  });

  it('reports duplicate names and edges', () => {
    assert.deepStrictEqual(where('input i1 i2\nlayer h1 sigmoid\nw1 i1 -> h1 = 0.1\nw1 i2 -> h1 = 0.2\n'), [{ at: '4:1 duplicate-name', args: { name: 'w1' }, related: defined(3) }]);
    assert.deepStrictEqual(where('input i1 i2\nlayer i1 sigmoid\n'), [{ at: '2:7 duplicate-name', args: { name: 'i1' }, related: defined(1) }]);
    assert.deepStrictEqual(where('input a\nlayer b linear\nw1 a -> b = 1\nw2 a -> b = 2\n'), [{ at: '4:1 edge-has-weight', args: { from: 'a', to: 'b', owner: 'w1' }, related: defined(3) }]);
    assert.deepStrictEqual(where('input a\nlayer b linear\nb a -> b = 1\n'), [{ at: '3:1 duplicate-name', args: { name: 'b' }, related: defined(2) }]);
    assert.deepStrictEqual(where('input a\nlayer b linear\ninput c\nw a -> b = 1\n'), [{ at: '3:1 second-input', args: {}, related: defined(1) }]);
    assert.deepStrictEqual(where('input a\nlayer b linear\nw a -> b = 1\ninit xavier\ninit xavier\n'), [{ at: '5:1 second-init', args: {} }]);
  });

  it('reports edges that skip a layer, biases on inputs and doubled biases', () => {
    assert.deepStrictEqual(where('input a\nlayer b linear\nlayer c linear\nw a -> c = 1\nv b -> c = 1\n'), [
      { at: '4:3 not-an-edge', args: { from: 'a', to: 'c', fromLayer: 0, toLayer: 2 } },
    ]);
    assert.deepStrictEqual(where('input a\nlayer b linear\nw a -> b = 1\nbias c -> a = 1\nbias d -> b = 1\nbias e -> b = 2\n'), [
      { at: '4:11 bias-on-input', args: { name: 'a' } },
      { at: '6:11 neuron-has-bias', args: { name: 'b', owner: 'd' }, related: defined(5) },
    ]);
    assert.deepStrictEqual(where('input a\nlayer b linear\nw a -> b = 1\nbias c -> b b = 1\n'), [{ at: '4:13 bias-listed-twice', args: { name: 'b' } }]);
  });

  it('init fills unnamed weights deterministically and names them w_FROM_TO', () => {
    const text = 'input x1 x2\nlayer h1 relu\nlayer y linear\nmine x1 -> h1 = 7\ninit uniform -1 1 seed 5\n';
    const a = build(text).model!;
    const b = build(text.replace('mine x1 -> h1 = 7\n', '')).model!;
    assert.strictEqual(a.declared[a.param('mine')!.slots[0]], 7);
    assert.strictEqual(a.param('w_x1_h1'), undefined, 'a named edge has no generated name');
    const g = a.param('w_x2_h1')!;
    assert.ok(g.generated);
    // Naming one edge does not move the others' random values.
    assert.strictEqual(a.declared[g.slots[0]], b.declared[b.param('w_x2_h1')!.slots[0]]);
    for (const v of b.declared) assert.ok(v >= -1 && v < 1);
    assert.deepStrictEqual(a.listParams(10).map((p) => p.name), ['mine', 'w_x2_h1', 'w_h1_y']);
  });

  it('refuses a declared name that init would generate for another edge', () => {
    const e = where('input a b\nlayer c linear\nw_b_c a -> c = 1\ninit xavier\n');
    assert.deepStrictEqual(e, [{ at: '3:1 generated-name-clash', args: { name: 'w_b_c', from: 'b', to: 'c' } }]);
  });

  it('refuses networks beyond the parameter limit', () => {
    const e = build('input x[3000]\nlayer h[3000] sigmoid\ninit xavier\n').errors;
    assert.deepStrictEqual(e.map((d) => ({ code: d.code, args: d.args })), [{ code: 'weight-limit', args: { count: 9_000_000, max: 5_000_000 } }]);
  });

  it('suggests generated init names for a misspelt one, and counts "1 parameter" right', () => {
    const s = new Session();
    assert.deepStrictEqual(s.runSync('input x1 x2\nlayer h1 h2 relu\nlayer y linear\ninit xavier seed 2\nsample x1=1 x2=2 -> y=3').errors, []);
    const r = s.runSync('check\n  dE/dw_x1_h3 = 0.1');
    assert.strictEqual(r.errors.length, 1);
    assert.match(messageOf(r.errors[0]), /unknown parameter 'w_x1_h3' — did you mean 'w_x1_h[12]'\?/);
    const one = build('input a\nlayer b linear\nw a -> b = 1').model!;
    assert.strictEqual(one.describe(), 'a 1-1 network (linear), 1 parameter');
  });

  it('reports at most 100 errors of a network, then how many more', () => {
    const lines = Array.from({ length: 500 }, (_, k) => `w${k} a -> nope${k} = 1`).join('\n');
    const e = build(`input a\nlayer b linear\n${lines}\n`).errors;
    assert.strictEqual(e.length, MAX_DIAGNOSTICS + 1);
    assert.deepStrictEqual(e[0].args, { what: 'neuron', name: 'nope0' });
    assert.deepStrictEqual({ code: e[MAX_DIAGNOSTICS].code, args: e[MAX_DIAGNOSTICS].args, line: e[MAX_DIAGNOSTICS].line }, { code: 'more-errors', args: { count: 400 }, line: 103 });
  });

  it('places its errors through the index the parse built, as well as from the text', () => {
    const text = 'input a\nlayer b linear\nw1 a -> c = 1\n';
    const p = parseCell(text);
    assert.deepStrictEqual(buildNetwork(p.lines, p.statements).errors, buildNetwork(text, p.statements).errors);
  });
});
