/** Shared helpers for the front-end tests. */
import { expect } from 'vitest';
import type * as Ast from '../../src/language/ast.js';
import { type OscError, SourceFile } from '../../src/language/diagnostics.js';
import { parse, parseWithErrors } from '../../src/language/parser.js';

/** Joins lines into a source text ending with a line break. */
export function lines(...text: string[]): string {
  return `${text.join('\n')}\n`;
}

export function source(text: string, path = 'test.osc'): SourceFile {
  return new SourceFile(path, text);
}

/** Parses text that must be error-free. */
export function parseText(text: string): Ast.OscFile {
  return parse(source(text));
}

/** All errors of a text that must have at least one. */
export function errorsOf(text: string): OscError[] {
  const { errors } = parseWithErrors(source(text));
  expect(errors.length).toBeGreaterThan(0);
  return errors;
}

/** The error `parse` throws for a text. */
export function thrownBy(text: string): OscError {
  try {
    parse(source(text));
  } catch (error) {
    return error as OscError;
  }
  throw new Error('expected a parse error');
}

/** `[line, column, message]` of the first error. */
export function firstError(text: string): [number, number, string] {
  const error = thrownBy(text);
  return [error.location?.line ?? 0, error.location?.column ?? 0, error.message];
}

export function declaration<K extends Ast.Declaration['kind']>(
  file: Ast.OscFile,
  kind: K,
  index = 0,
): Extract<Ast.Declaration, { kind: K }> {
  const found = file.declarations.filter((d) => d.kind === kind);
  const result = found[index];
  if (!result) throw new Error(`no ${kind} declaration #${index}`);
  return result as Extract<Ast.Declaration, { kind: K }>;
}

/** The expression of `global x: T = <text>`. */
export function expression(text: string): Ast.Expression {
  const file = parseText(`global x: int = ${text}\n`);
  const global = declaration(file, 'Global');
  if (!global.defaultValue) throw new Error('no default value');
  return global.defaultValue;
}

/** Renders an expression fully parenthesised, to check structure and precedence. */
export function show(e: Ast.Expression): string {
  switch (e.kind) {
    case 'Binary':
      return `(${show(e.left)} ${e.operator} ${show(e.right)})`;
    case 'Unary':
      return e.operator === 'not' ? `(not ${show(e.operand)})` : `(-${show(e.operand)})`;
    case 'Reference':
      return e.name;
    case 'Member':
      return `${show(e.object)}.${e.member.name}`;
    case 'Call':
      return `${show(e.callee)}(${e.arguments.map((a) => (a.name ? `${a.name.name}: ` : '') + show(a.value)).join(', ')})`;
    case 'It':
      return 'it';
    case 'Paren':
      return `[${show(e.expression)}]`;
    case 'Integer':
    case 'Float':
      return e.text;
    case 'Bool':
      return String(e.value);
    case 'String':
      return JSON.stringify(e.value);
    case 'Physical':
      return `${e.text}<${e.unit.name}>`;
    case 'EnumValue':
      return `${e.enumName.name}!${e.member.name}`;
    case 'List':
      return `list(${e.elements.map(show).join(', ')})`;
    case 'ElementAccess':
      return `${show(e.object)}[${show(e.index)}]`;
  }
}

/** `line:column` of a node. */
export function at(node: { loc: { line: number; column: number } }): string {
  return `${node.loc.line}:${node.loc.column}`;
}
