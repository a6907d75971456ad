/**
 * Values of declarations written without one, as the Python engine resolves
 * them (the conformance fixtures `param_*_no_value`, `vars_struct_list_of_struct_field`
 * hold its recorded outcomes); here the cases it has no outcome for.
 */
import { describe, expect, it } from 'vitest';
import { evaluate, fromWire, toWire } from '../../src/model/index.js';
import { load, MapStore } from './helpers.js';

describe('a struct field of type `list of` struct without value', () => {
  it('holds one element struct, once, when the struct contains a list of itself', async () => {
    const model = await load(`
struct node:
    label: string = "n"
    children: list of node

scenario test:
    tree: node
`);
    const tree = model.scenario.parameters.find((p) => p.name === 'tree');
    // The Python engine recurses without end here (RecursionError); one level, then none, ends.
    expect(toWire(evaluate(tree!.value!, new MapStore()))).toEqual({
      label: 'n',
      children: { label: 'n', children: null },
    });
  });

  it('reads back from a variable as that element struct, not as text', async () => {
    const model = await load(`
struct leaf:
    weight: float = 2.0

struct holder:
    leaves: list of leaf

scenario test:
    h: holder
`);
    const holder = model.scenario.parameters.find((p) => p.name === 'h')!;
    const listType = holder.type.kind === 'struct' ? holder.type.decl.fields[0]!.type : undefined;
    expect(listType?.kind).toBe('list');
    const value = fromWire({ weight: 2 }, listType!);
    expect(value.kind).toBe('struct');
    expect(toWire(value)).toEqual({ weight: 2 });
  });
});
