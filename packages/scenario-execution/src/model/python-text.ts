/**
 * Python's `str()` of a model value: the text the Python engine makes of a
 * value an action uses as text (`log(my_struct)`). Built from the model value,
 * not its wire form, because only the model knows that `42.0` is a float and
 * that an enum value is a `(name, number)` tuple rather than a list.
 */
import { pyFloat, pyStr } from '../shared/py-format.js';
import type { Value } from './model.js';

/** Python's `str()`: a string as it is, anything else as {@link pythonRepr}. */
export function pythonStr(value: Value): string {
  return value.kind === 'string' ? value.value : pythonRepr(value);
}

/**
 * Python's `repr()` of the value as the Python engine holds it: floats with
 * `.0`, physical values as their SI number (an int when Python computed it
 * from ints), enum values as tuples, structs as dicts in field order.
 */
export function pythonRepr(value: Value): string {
  switch (value.kind) {
    case 'int':
      return String(value.value);
    case 'float':
      return pyFloat(value.value);
    case 'bool':
      return value.value ? 'True' : 'False';
    case 'string':
      return pyStr(value.value);
    case 'physical':
      return value.integral && Number.isInteger(value.si) ? String(value.si) : pyFloat(value.si);
    case 'enum':
      return `(${pyStr(value.name)}, ${value.value})`;
    case 'list':
      return `[${value.items.map(pythonRepr).join(', ')}]`;
    case 'struct': {
      const fields = Object.entries(value.fields).map(([name, field]) => `${pyStr(name)}: ${pythonRepr(field)}`);
      return `{${fields.join(', ')}}`;
    }
    case 'none':
      return 'None';
  }
}
