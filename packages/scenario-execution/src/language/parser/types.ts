/** Parser, types and names: type references, identifiers, unit names, qualified names. */
import type * as Ast from '../ast.js';
import { SI_BASE_UNITS, type Token, TokenKind } from '../tokens.js';
import { ParserState } from './state.js';

const PRIMITIVE_TYPES: ReadonlySet<string> = new Set(['int', 'uint', 'float', 'bool', 'string']);

export class TypeParser extends ParserState {
  /** `int|uint|float|bool|string`, `name`, `actor.behavior`, `list of T`. */
  protected parseType(context: string): Ast.TypeRef {
    const start = this.token;
    const isList = this.eatKeyword('list');
    if (isList) this.expectKeyword('of', "after 'list'");
    const token = this.token;
    if (token.kind === TokenKind.Keyword && PRIMITIVE_TYPES.has(token.text)) {
      this.advance();
      const name = this.identifier(token, token.text);
      const primitive = token.text as Ast.PrimitiveTypeName;
      const text = isList ? `list of ${token.text}` : token.text;
      return {
        kind: 'TypeRef',
        loc: this.location(start),
        start: start.start,
        end: this.endOf(start),
        name,
        actor: undefined,
        primitive,
        isList,
        text,
      };
    }
    if (token.kind === TokenKind.Keyword && token.text === 'list')
      this.fail('nested lists are not allowed: expected a type');
    if (token.kind !== TokenKind.Identifier) this.fail(`expected a type ${context}`);
    let name = this.name('type name');
    let actor: Ast.Identifier | undefined;
    if (this.eat(TokenKind.Dot)) {
      actor = name;
      name = this.name(`name after '${actor.name}.'`);
    }
    const base = actor ? `${actor.name}.${name.name}` : name.name;
    const text = isList ? `list of ${base}` : base;
    return {
      kind: 'TypeRef',
      loc: this.location(start),
      start: start.start,
      end: this.endOf(start),
      name,
      actor,
      primitive: undefined,
      isList,
      text,
    };
  }

  /** An identifier; keywords are reserved (write `|name|` to use one as a name). */
  protected name(what: string): Ast.Identifier {
    const token = this.token;
    if (token.kind !== TokenKind.Identifier) {
      if (token.kind === TokenKind.Keyword) {
        this.fail(`expected ${what} ('${token.text}' is a reserved word; write |${token.text}| to use it as a name)`);
      }
      this.fail(`expected ${what}`);
    }
    this.advance();
    return this.identifier(token, token.value);
  }

  /** A unit name: an identifier or an SI base unit name. */
  protected unitName(what: string): Ast.Identifier {
    const token = this.token;
    if (token.kind === TokenKind.Keyword && SI_BASE_UNITS.has(token.text)) {
      this.advance();
      return this.identifier(token, token.text);
    }
    return this.name(what);
  }

  /** `[actor.]name` */
  protected qualifiedName(what: string): Ast.QualifiedName {
    const start = this.token;
    const first = this.name(what);
    if (this.eat(TokenKind.Dot)) {
      const name = this.name(`name after '${first.name}.'`);
      return {
        kind: 'QualifiedName',
        loc: this.location(start),
        start: start.start,
        end: this.endOf(start),
        actor: first,
        name,
        text: `${first.name}.${name.name}`,
      };
    }
    return {
      kind: 'QualifiedName',
      loc: this.location(start),
      start: start.start,
      end: this.endOf(start),
      actor: undefined,
      name: first,
      text: first.name,
    };
  }

  /** A single name wrapped as a QualifiedName (struct/actor bases). */
  protected simpleQualifiedName(what: string): Ast.QualifiedName {
    const start = this.token;
    const name = this.name(what);
    return {
      kind: 'QualifiedName',
      loc: this.location(start),
      start: start.start,
      end: this.endOf(start),
      actor: undefined,
      name,
      text: name.name,
    };
  }

  /** The Identifier node of `token`, just consumed. */
  private identifier(token: Token, name: string): Ast.Identifier {
    return { kind: 'Identifier', loc: this.location(token), start: token.start, end: this.endOf(token), name };
  }
}
