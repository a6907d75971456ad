/**
 * Hand-written recursive-descent parser: tokens → syntax tree (ast.ts).
 *
 * Follows the reference grammar (OpenSCENARIO2.g4). Constructs the reference
 * engine always rejects are parsed (so their syntax is still checked) and then
 * reported as `<construct> is not supported` at their first token; they do
 * not appear in the tree (see the list at the top of ast.ts).
 *
 * Errors: a syntax error abandons the current line (or block) and parsing
 * resumes at the next line of the same block, so several errors can be
 * reported at once by `parseWithErrors`.
 */
import type * as Ast from './ast.js';
import { type Location, OscError, type SourceFile } from './diagnostics.js';
import { tokenize } from './lexer.js';
import { describeToken, SI_BASE_UNITS, type Token, TokenKind } from './tokens.js';

export interface ParseResult {
  /** The tree; parts that had errors are left out. */
  readonly ast: Ast.OscFile;
  /** Syntax errors first (in source order), then constructs that are not supported (in source order). */
  readonly errors: OscError[];
}

/** Parses a file; throws the first error as an `OscError`. */
export function parse(file: SourceFile): Ast.OscFile {
  const result = parseWithErrors(file);
  const first = result.errors[0];
  if (first) throw first;
  return result.ast;
}

/** Parses a file, collecting all errors found (with line-level recovery). */
export function parseWithErrors(file: SourceFile): ParseResult {
  const syntaxErrors: OscError[] = [];
  const tokens = tokenize(file, syntaxErrors);
  const parser = new Parser(file, tokens, syntaxErrors);
  const ast = parser.parseFile();
  const byPosition = (a: OscError, b: OscError) =>
    (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.column ?? 0) - (b.location?.column ?? 0);
  syntaxErrors.sort(byPosition);
  parser.unsupported.sort(byPosition);
  return { ast, errors: [...syntaxErrors, ...parser.unsupported] };
}

/** Thrown inside the parser to abandon the current line; caught at line/block level. */
class ParseAbort extends Error {}

const PRIMITIVE_TYPES: ReadonlySet<string> = new Set(['int', 'uint', 'float', 'bool', 'string']);

const RELATIONAL: Partial<Record<TokenKind, Ast.RelationalOperator>> = {
  [TokenKind.Eq]: '==',
  [TokenKind.NotEq]: '!=',
  [TokenKind.Lt]: '<',
  [TokenKind.LtEq]: '<=',
  [TokenKind.Gt]: '>',
  [TokenKind.GtEq]: '>=',
};

/** Which members a body may hold. */
enum BodyKind {
  /** struct, actor: fields, events, methods, keep */
  Struct = 0,
  /** modifier: struct members and modifier invocations */
  Modifier = 1,
  /** scenario, action, extend: everything including `do` / `on` */
  Scenario = 2,
}

class Parser {
  readonly unsupported: OscError[] = [];
  private pos = 0;
  /** End offset of the last real (non-layout) token consumed. */
  private lastEnd = 0;

  constructor(
    private readonly file: SourceFile,
    private readonly tokens: readonly Token[],
    private readonly errors: OscError[],
  ) {}

  // -------------------------------------------------------------------------
  // Token helpers

  private get token(): Token {
    return this.tokens[this.pos] as Token;
  }

  private peek(offset: number): Token {
    const index = Math.min(this.pos + offset, this.tokens.length - 1);
    return this.tokens[index] as Token;
  }

  private advance(): Token {
    const token = this.token;
    if (token.kind !== TokenKind.EOF) this.pos++;
    if (token.kind > TokenKind.Dedent) this.lastEnd = token.end;
    return token;
  }

  private at(kind: TokenKind): boolean {
    return this.token.kind === kind;
  }

  private atKeyword(word: string): boolean {
    const token = this.token;
    return token.kind === TokenKind.Keyword && token.text === word;
  }

  private eat(kind: TokenKind): boolean {
    if (this.token.kind !== kind) return false;
    this.advance();
    return true;
  }

  private eatKeyword(word: string): boolean {
    if (!this.atKeyword(word)) return false;
    this.advance();
    return true;
  }

  /** Consumes a token of `kind` or fails with `expected <what> <context>`. */
  private expect(kind: TokenKind, what: string, context: string): Token {
    if (this.token.kind !== kind) {
      if (kind === TokenKind.RParen || kind === TokenKind.RBracket) this.failClose(`expected ${what} ${context}`);
      this.fail(`expected ${what} ${context}`);
    }
    return this.advance();
  }

  /**
   * A closing bracket is missing. Line breaks inside brackets do not end a
   * line, so the error may show up lines later: then name the open bracket.
   */
  private failClose(message: string): never {
    let depth = 0;
    for (let i = this.pos - 1; i >= 0; i--) {
      const token = this.tokens[i] as Token;
      const kind = token.kind;
      if (kind === TokenKind.Newline) break;
      if (kind === TokenKind.RParen || kind === TokenKind.RBracket) depth++;
      else if (kind === TokenKind.LParen || kind === TokenKind.LBracket) {
        if (depth === 0) {
          if (token.line < this.token.line) {
            const found = `${message}, found ${describeToken(this.token)}`;
            return this.failExact(`${found} (unclosed '${token.text}' at line ${token.line})`, this.token);
          }
          break;
        }
        depth--;
      }
    }
    return this.fail(message);
  }

  private expectKeyword(word: string, context: string): Token {
    if (!this.atKeyword(word)) this.fail(`expected '${word}' ${context}`);
    return this.advance();
  }

  /** Ends a statement: expects the end of the logical line. */
  private expectNewline(context: string): void {
    if (this.token.kind === TokenKind.Newline) {
      this.advance();
      return;
    }
    this.fail(`expected end of line ${context}`);
  }

  private location(token: Token): Location {
    return { file: this.file, line: token.line, column: token.column };
  }

  /** Records a syntax error at the current token and abandons the line. */
  private fail(message: string, at: Token = this.token): never {
    const text = at.kind === TokenKind.Indent ? 'unexpected indent' : `${message}, found ${describeToken(at)}`;
    return this.failExact(text, at);
  }

  /** Records a syntax error with an exact message (no "found …" suffix) and abandons the line. */
  private failExact(message: string, at: Token): never {
    this.report(message, at);
    throw new ParseAbort(message);
  }

  /** Records a syntax error without abandoning the line; one error per line is enough. */
  private report(message: string, at: Token): void {
    if (this.errors.some((error) => error.location?.line === at.line)) return;
    this.errors.push(new OscError(message, this.location(at)));
  }

  /** Records `<construct> is not supported` at `at`; parsing goes on. */
  private notSupported(construct: string, at: Token | Location): void {
    const loc = 'kind' in at ? this.location(at) : at;
    this.unsupported.push(new OscError(`${construct} is not supported`, loc));
  }

  /** Base fields of a node starting at `start`, ending at the last consumed token. */
  /** End offset of a node that started at `start` and ends with the last consumed token. */
  private endOf(start: Token): number {
    return Math.max(this.lastEnd, start.end);
  }

  private node(start: Token): { loc: Location; start: number; end: number } {
    return { loc: this.location(start), start: start.start, end: Math.max(this.lastEnd, start.end) };
  }

  /**
   * Skips the rest of a broken line: up to and including its Newline, plus any
   * indented block that follows it. Stops before a Dedent closing the current block.
   */
  private recover(): void {
    let depth = 0;
    while (true) {
      const kind = this.token.kind;
      if (kind === TokenKind.EOF) return;
      if (kind === TokenKind.Indent) depth++;
      else if (kind === TokenKind.Dedent) {
        if (depth === 0) return;
        depth--;
        this.advance();
        if (depth === 0 && !this.at(TokenKind.Indent)) return;
        continue;
      } else if (kind === TokenKind.Newline && depth === 0) {
        this.advance();
        if (!this.at(TokenKind.Indent)) return;
        continue;
      }
      this.advance();
    }
  }

  // -------------------------------------------------------------------------
  // File and declarations

  parseFile(): Ast.OscFile {
    const first = this.token;
    const imports: Ast.ImportStatement[] = [];
    const declarations: Ast.Declaration[] = [];
    while (!this.at(TokenKind.EOF)) {
      const start = this.token;
      try {
        if (this.at(TokenKind.Newline)) {
          this.advance();
        } else if (this.atKeyword('import')) {
          const statement = this.parseImport();
          if (declarations.length > 0) this.report('import statements must come before all declarations', start);
          imports.push(statement);
        } else {
          const declaration = this.parseDeclaration();
          if (declaration) declarations.push(declaration);
        }
      } catch (error) {
        if (!(error instanceof ParseAbort)) throw error;
        this.recover();
        // A stray Dedent here (after a broken indented line) has no block to close.
        while (this.at(TokenKind.Dedent)) this.advance();
      }
    }
    return {
      kind: 'File',
      file: this.file,
      loc: this.location(first),
      start: 0,
      end: this.file.text.length,
      imports,
      declarations,
    };
  }

  private parseImport(): Ast.ImportStatement {
    const start = this.advance();
    if (this.at(TokenKind.String)) {
      const path = this.advance();
      this.expectNewline("after the imported file's name");
      return {
        kind: 'Import',
        loc: this.location(start),
        start: start.start,
        end: this.endOf(start),
        source: 'file',
        name: path.value,
        parts: [path.value],
      };
    }
    const parts: string[] = [this.name('library name or file name (a string) after import').name];
    while (this.eat(TokenKind.Dot)) parts.push(this.name("name after '.' in the import").name);
    const node = {
      kind: 'Import' as const,
      loc: this.location(start),
      start: start.start,
      end: this.endOf(start),
      source: 'library' as const,
      name: parts.join('.'),
      parts,
    };
    this.expectNewline('after the imported library name');
    return node;
  }

  private parseDeclaration(): Ast.Declaration | undefined {
    const token = this.token;
    if (token.kind === TokenKind.Keyword) {
      switch (token.text) {
        case 'type':
          return this.parsePhysicalType();
        case 'unit':
          return this.parseUnit();
        case 'enum':
          return this.parseEnum();
        case 'struct':
        case 'actor':
          return this.parseStructLike(token.text);
        case 'action':
        case 'scenario':
          return this.parseBehaviorDeclaration(token.text);
        case 'modifier':
          return this.parseModifierDeclaration();
        case 'extend':
          return this.parseExtension();
        case 'global':
          return this.parseGlobal();
      }
    }
    if (token.kind === TokenKind.Dedent) this.failExact('unexpected dedent', token);
    return this.fail(
      'expected a declaration (type, unit, enum, struct, actor, action, scenario, modifier, extend, global or import)',
    );
  }

  /** `SI(m: 1, s: -2[, factor: f][, offset: o])` */
  private parseSI(allowFactor: boolean): {
    exponents: Ast.SIExponent[];
    factor: Ast.NumberValue | undefined;
    offset: Ast.NumberValue | undefined;
  } {
    this.expectKeyword('SI', "after 'is'");
    this.expect(TokenKind.LParen, "'('", "after 'SI'");
    const exponents: Ast.SIExponent[] = [];
    let factor: Ast.NumberValue | undefined;
    let offset: Ast.NumberValue | undefined;
    do {
      const start = this.token;
      if (allowFactor && start.kind === TokenKind.Keyword && (start.text === 'factor' || start.text === 'offset')) {
        if (exponents.length === 0) this.fail('expected an SI base unit exponent (e.g. m: 1) before factor/offset');
        if (start.text === 'factor' && (factor || offset)) this.fail("'factor' must come once, before 'offset'");
        if (start.text === 'offset' && offset) this.fail("'offset' must come only once");
        this.advance();
        this.expect(TokenKind.Colon, "':'", `after '${start.text}'`);
        const value = this.numberValue(true, `as SI ${start.text}`);
        if (start.text === 'factor') factor = value;
        else offset = value;
        continue;
      }
      if (factor || offset) this.fail("expected ')' after factor/offset");
      if (start.kind !== TokenKind.Keyword || !SI_BASE_UNITS.has(start.text)) {
        this.fail(
          `expected an SI base unit name (kg, m, s, A, K, mol, cd, rad)${allowFactor ? ', factor or offset' : ''}`,
        );
      }
      this.advance();
      this.expect(TokenKind.Colon, "':'", `after SI base unit '${start.text}'`);
      const exponent = this.numberValue(false, 'as SI exponent');
      exponents.push({
        kind: 'SIExponent',
        loc: this.location(start),
        start: start.start,
        end: this.endOf(start),
        unit: start.text as Ast.SIBaseUnitName,
        exponent: exponent.value,
      });
    } while (this.eat(TokenKind.Comma));
    this.expect(TokenKind.RParen, "')'", 'to close SI(...)');
    return { exponents, factor, offset };
  }

  /** An optionally signed integer (or float if allowed). */
  private numberValue(allowFloat: boolean, context: string): Ast.NumberValue {
    const start = this.token;
    let sign = '';
    if (this.at(TokenKind.Minus) || (allowFloat && this.at(TokenKind.Plus))) sign = this.advance().text;
    const token = this.token;
    if (token.kind === TokenKind.Integer || token.kind === TokenKind.HexInteger) {
      if (token.kind === TokenKind.HexInteger && sign) this.fail(`expected an integer ${context}`);
      this.advance();
      const magnitude =
        token.kind === TokenKind.HexInteger ? Number.parseInt(token.text.slice(2), 16) : Number(token.text);
      const value = sign === '-' ? -magnitude : magnitude;
      return {
        kind: 'NumberValue',
        loc: this.location(start),
        start: start.start,
        end: this.endOf(start),
        value,
        isFloat: false,
        text: sign + token.text,
      };
    }
    if (allowFloat && token.kind === TokenKind.Float) {
      this.advance();
      const value = sign === '-' ? -Number(token.text) : Number(token.text);
      return {
        kind: 'NumberValue',
        loc: this.location(start),
        start: start.start,
        end: this.endOf(start),
        value,
        isFloat: true,
        text: sign + token.text,
      };
    }
    return this.fail(`expected ${allowFloat ? 'a number' : 'an integer'} ${context}`);
  }

  private parsePhysicalType(): Ast.PhysicalTypeDeclaration {
    const start = this.advance();
    const name = this.name("physical type name after 'type'");
    this.expectKeyword('is', `after type name '${name.name}'`);
    const si = this.parseSI(false);
    const node: Ast.PhysicalTypeDeclaration = {
      kind: 'PhysicalType',
      loc: this.location(start),
      start: start.start,
      end: this.endOf(start),
      name,
      exponents: si.exponents,
    };
    this.expectNewline('after the type declaration');
    return node;
  }

  private parseUnit(): Ast.UnitDeclaration {
    const start = this.advance();
    const name = this.unitName("unit name after 'unit'");
    this.expectKeyword('of', `after unit name '${name.name}'`);
    const physicalType = this.name("physical type name after 'of'");
    this.expectKeyword('is', `after '${physicalType.name}'`);
    const si = this.parseSI(true);
    const node: Ast.UnitDeclaration = {
      kind: 'Unit',
      loc: this.location(start),
      start: start.start,
      end: this.endOf(start),
      name,
      physicalType,
      exponents: si.exponents,
      factor: si.factor,
      offset: si.offset,
    };
    this.expectNewline('after the unit declaration');
    return node;
  }

  /** `[a, b = 1, c = 0x2]` after `enum e:` / `extend e:`. */
  private parseEnumMembers(): Ast.EnumMember[] {
    this.expect(TokenKind.LBracket, "'['", 'to start the enum members');
    const members: Ast.EnumMember[] = [];
    do {
      const start = this.token;
      const name = this.name('enum member name');
      let value: Ast.NumberValue | undefined;
      if (this.eat(TokenKind.Assign)) {
        if (!this.at(TokenKind.Integer) && !this.at(TokenKind.HexInteger)) {
          this.fail(`expected an unsigned integer value for enum member '${name.name}'`);
        }
        value = this.numberValue(false, 'as enum value');
      }
      members.push({
        kind: 'EnumMember',
        loc: this.location(start),
        start: start.start,
        end: this.endOf(start),
        name,
        value,
      });
    } while (this.eat(TokenKind.Comma));
    this.expect(TokenKind.RBracket, "']' or ','", 'in the enum member list');
    return members;
  }

  private parseEnum(): Ast.EnumDeclaration {
    const start = this.advance();
    const name = this.name("enum name after 'enum'");
    this.expect(TokenKind.Colon, "':'", `after enum name '${name.name}'`);
    const members = this.parseEnumMembers();
    const node: Ast.EnumDeclaration = {
      kind: 'Enum',
      loc: this.location(start),
      start: start.start,
      end: this.endOf(start),
      name,
      members,
    };
    this.expectNewline('after the enum declaration');
    return node;
  }

  /** `inherits name [(field == value)]` */
  private parseInherits(qualified: boolean): Ast.InheritsClause | undefined {
    const start = this.token;
    if (!this.eatKeyword('inherits')) return undefined;
    const name = qualified
      ? this.qualifiedName("base name after 'inherits'")
      : this.simpleQualifiedName("base name after 'inherits'");
    if (this.at(TokenKind.LParen)) {
      // inheritsCondition: '(' fieldName '==' (enumValueReference | BoolLiteral) ')'
      const open = this.advance();
      this.name('field name in the inherits condition');
      this.expect(TokenKind.Eq, "'=='", 'in the inherits condition');
      if (this.atKeyword('true') || this.atKeyword('false')) this.advance();
      else {
        this.name('enum value (enum!member) or true/false in the inherits condition');
        this.expect(TokenKind.Bang, "'!'", 'in the enum value of the inherits condition');
        this.name("enum member name after '!'");
      }
      this.expect(TokenKind.RParen, "')'", 'to close the inherits condition');
      this.notSupported('inherits condition', open);
    }
    return { kind: 'Inherits', loc: this.location(start), start: start.start, end: this.endOf(start), name };
  }

  private parseStructLike(keyword: 'struct' | 'actor'): Ast.StructDeclaration | Ast.ActorDeclaration {
    const start = this.advance();
    const name = this.name(`${keyword} name after '${keyword}'`);
    const inherits = this.parseInherits(false);
    const header = this.node(start);
    const members = this.parseBody(BodyKind.Struct, `${keyword} '${name.name}'`) as Ast.StructMember[];
    if (keyword === 'struct') return { kind: 'Struct', ...header, name, inherits, members };
    return { kind: 'Actor', ...header, name, inherits, members };
  }

  private parseBehaviorDeclaration(keyword: 'action' | 'scenario'): Ast.ActionDeclaration | Ast.ScenarioDeclaration {
    const start = this.advance();
    const name = this.qualifiedName(`${keyword} name after '${keyword}'`);
    const inherits = this.parseInherits(true);
    const header = this.node(start);
    const members = this.parseBody(BodyKind.Scenario, `${keyword} '${name.text}'`);
    if (keyword === 'action') return { kind: 'Action', ...header, name, inherits, members };
    return { kind: 'Scenario', ...header, name, inherits, members };
  }

  private parseModifierDeclaration(): Ast.ModifierDeclaration {
    const start = this.advance();
    let name = this.name("modifier name after 'modifier'");
    if (this.eat(TokenKind.Dot)) {
      name = this.name("modifier name after '.'");
      this.notSupported('modifier of an actor (modifier actor.name)', start);
    }
    if (this.atKeyword('of')) {
      this.advance();
      this.qualifiedName("behavior name after 'of'");
      this.notSupported("modifier for a behavior ('of')", start);
    }
    const header = this.node(start);
    const members = this.parseBody(BodyKind.Modifier, `modifier '${name.name}'`);
    return { kind: 'Modifier', ...header, name, members };
  }

  /** Structured type extension; an enum extension is checked, reported and left out. */
  private parseExtension(): Ast.TypeExtension | undefined {
    const start = this.advance();
    const target = this.qualifiedName("type name after 'extend'");
    const header = this.node(start);
    this.expect(TokenKind.Colon, "':'", `after 'extend ${target.text}'`);
    if (this.at(TokenKind.LBracket)) {
      if (target.actor) this.fail("expected an enum name before ':' in enum extension");
      this.parseEnumMembers();
      this.expectNewline('after the enum extension');
      this.notSupported('enum type extension', start);
      return undefined;
    }
    const members = this.parseBlock(BodyKind.Scenario, `'extend ${target.text}'`);
    return { kind: 'Extend', ...header, target, members };
  }

  private parseGlobal(): Ast.GlobalParameterDeclaration {
    const start = this.advance();
    const name = this.fieldNames("global parameter name after 'global'", start);
    this.expect(TokenKind.Colon, "':'", `after global parameter name '${name.name}'`);
    const type = this.parseType(`of global parameter '${name.name}'`);
    const defaultValue = this.eat(TokenKind.Assign) ? this.parseExpression() : undefined;
    const header = this.node(start);
    const constraints = this.parseParameterWith();
    const end = Math.max(header.end, this.lastEnd);
    return { kind: 'Global', ...header, end, name, type, defaultValue, constraints };
  }

  /**
   * `a` or `a, b, c`: several names are parsed but not supported (reported at
   * the declaration's first token); returns the first.
   */
  private fieldNames(what: string, declarationStart: Token): Ast.Identifier {
    const name = this.name(what);
    let several = false;
    while (this.eat(TokenKind.Comma)) {
      this.name("field name after ','");
      several = true;
    }
    if (several) this.notSupported('declaring several fields at once (a, b: type)', declarationStart);
    return name;
  }

  // -------------------------------------------------------------------------
  // Bodies and members

  /** `: NEWLINE INDENT members DEDENT` or just `NEWLINE` (empty body). */
  private parseBody(kind: BodyKind, owner: string): Ast.ScenarioMember[] {
    if (this.at(TokenKind.Colon)) {
      this.advance();
      return this.parseBlock(kind, owner);
    }
    if (this.at(TokenKind.Newline)) {
      this.advance();
      return [];
    }
    return this.fail(`expected ':' or end of line after ${owner}`);
  }

  /** After `:`: the line break and an indented block of members. */
  private parseBlock(kind: BodyKind, owner: string): Ast.ScenarioMember[] {
    this.expectNewline(`after ':' of ${owner}`);
    return this.parseIndented(`of members for ${owner}`, () => this.parseMember(kind));
  }

  /**
   * An indented block (after its `:` and line break): items until the closing
   * Dedent. A broken item is skipped (with its own nested block); a missing
   * block is reported and yields no items.
   */
  private parseIndented<T>(what: string, parseItem: () => T | undefined): T[] {
    const items: T[] = [];
    if (!this.at(TokenKind.Indent)) {
      this.report(`expected an indented block ${what}, found ${describeToken(this.token)}`, this.token);
      return items;
    }
    this.advance();
    while (!this.at(TokenKind.Dedent) && !this.at(TokenKind.EOF)) {
      try {
        if (this.at(TokenKind.Indent)) this.failExact('unexpected indent', this.token);
        const item = parseItem();
        if (item !== undefined) items.push(item);
      } catch (error) {
        if (error instanceof SkipMember) continue;
        if (!(error instanceof ParseAbort)) throw error;
        this.recover();
      }
    }
    this.eat(TokenKind.Dedent);
    return items;
  }

  /** One member line (or block); undefined for an unsupported member that was skipped. */
  private parseMember(kind: BodyKind): Ast.ScenarioMember | undefined {
    const token = this.token;
    if (token.kind === TokenKind.Indent) this.failExact('unexpected indent', token);
    if (token.kind === TokenKind.Keyword) {
      switch (token.text) {
        case 'event':
          return this.parseEventDeclaration();
        case 'var':
          return this.parseVariable();
        case 'keep':
          return this.parseKeep();
        case 'def':
          return this.parseMethod();
        case 'remove_default':
          this.parseRemoveDefault();
          return undefined;
        case 'cover':
        case 'record':
          this.parseCoverage(token.text);
          return undefined;
        case 'do':
          if (kind !== BodyKind.Scenario) this.failExact("'do' is only allowed in a scenario or an action", token);
          return this.parseDo();
        case 'on':
          if (kind !== BodyKind.Scenario) this.failExact("'on' is only allowed in a scenario or an action", token);
          return this.parseOn();
      }
    }
    if (token.kind === TokenKind.Identifier) {
      const next = this.peek(1).kind;
      if (next === TokenKind.Colon || next === TokenKind.Comma) return this.parseParameter();
      if (next === TokenKind.LParen || next === TokenKind.Dot) {
        if (kind === BodyKind.Struct) {
          this.failExact('modifier invocations are only allowed in a scenario, action or modifier', token);
        }
        const invocation = this.parseModifierInvocation();
        this.expectNewline('after the modifier invocation');
        return invocation;
      }
      return this.fail(`expected ':' after field name '${token.value}'`, this.peek(1));
    }
    return this.fail(
      kind === BodyKind.Struct
        ? 'expected a member (field, var, event, def, keep)'
        : 'expected a member (field, var, event, def, keep, modifier invocation, do)',
    );
  }

  /** `name: type [= default] (with: block | NEWLINE)` */
  private parseParameter(): Ast.ParameterDeclaration {
    const start = this.token;
    const name = this.fieldNames('field name', start);
    this.expect(TokenKind.Colon, "':'", `after field name '${name.name}'`);
    const type = this.parseType(`of field '${name.name}'`);
    const defaultValue = this.eat(TokenKind.Assign) ? this.parseExpression() : undefined;
    const header = this.node(start);
    const constraints = this.parseParameterWith();
    const end = Math.max(header.end, this.lastEnd);
    return { kind: 'Parameter', ...header, end, name, type, defaultValue, constraints };
  }

  /** `with:` block of a parameter (keep constraints), or the end of the line. */
  private parseParameterWith(): Ast.KeepConstraint[] {
    if (!this.atKeyword('with')) {
      this.expectNewline("or 'with:' after the field declaration");
      return [];
    }
    this.advance();
    this.expect(TokenKind.Colon, "':'", "after 'with'");
    this.expectNewline("after 'with:'");
    return this.parseIndented("after 'with:'", () => {
      if (this.atKeyword('keep')) return this.parseKeep();
      if (this.atKeyword('remove_default')) this.parseRemoveDefault();
      else if (this.atKeyword('cover') || this.atKeyword('record')) this.parseCoverage(this.token.text);
      else this.fail("expected 'keep(...)' in the 'with:' block of a field");
      return undefined;
    });
  }

  private parseVariable(): Ast.VariableDeclaration {
    const start = this.advance();
    const name = this.fieldNames("variable name after 'var'", start);
    this.expect(TokenKind.Colon, "':'", `after variable name '${name.name}'`);
    const type = this.parseType(`of variable '${name.name}'`);
    let defaultValue: Ast.Expression | undefined;
    if (this.eat(TokenKind.Assign)) {
      if (this.atKeyword('sample')) {
        this.parseSample();
      } else {
        const valueStart = this.token;
        defaultValue = this.parseExpression();
        if (!isValueExpression(defaultValue)) {
          this.failExact(
            `the initial value of variable '${name.name}' must be a literal, a name, an enum value or a list`,
            valueStart,
          );
        }
      }
    }
    const node: Ast.VariableDeclaration = {
      kind: 'Variable',
      loc: this.location(start),
      start: start.start,
      end: this.endOf(start),
      name,
      type,
      defaultValue,
    };
    this.expectNewline('after the variable declaration');
    return node;
  }

  /** `sample(expression, eventSpecification[, default])` — parsed, then reported. */
  private parseSample(): void {
    const start = this.advance();
    this.expect(TokenKind.LParen, "'('", "after 'sample'");
    this.parseExpression();
    this.expect(TokenKind.Comma, "','", 'after the sampled expression');
    this.parseEventSpecification();
    if (this.eat(TokenKind.Comma)) this.parseExpression();
    this.expect(TokenKind.RParen, "')'", 'to close sample(...)');
    this.notSupported('sample expression', start);
  }

  private parseEventDeclaration(): Ast.EventDeclaration {
    const start = this.advance();
    const name = this.name("event name after 'event'");
    let parameters: Ast.ParameterSpecification[] = [];
    if (this.eat(TokenKind.LParen)) {
      parameters = this.parseParameterSpecifications(true);
      this.expect(TokenKind.RParen, "')' or ','", 'in the event parameters');
    }
    const specification = this.eatKeyword('is') ? this.parseEventSpecification() : undefined;
    const node: Ast.EventDeclaration = {
      kind: 'Event',
      loc: this.location(start),
      start: start.start,
      end: this.endOf(start),
      name,
      parameters,
      specification,
    };
    this.expectNewline('after the event declaration');
    return node;
  }

  /** `a: type [= default], …` (at least one if `required`). */
  private parseParameterSpecifications(required: boolean): Ast.ParameterSpecification[] {
    const list: Ast.ParameterSpecification[] = [];
    if (!required && this.at(TokenKind.RParen)) return list;
    do {
      const start = this.token;
      const name = this.name('parameter name');
      this.expect(TokenKind.Colon, "':'", `after parameter name '${name.name}'`);
      const type = this.parseType(`of parameter '${name.name}'`);
      const defaultValue = this.eat(TokenKind.Assign) ? this.parseExpression() : undefined;
      list.push({
        kind: 'ParameterSpecification',
        loc: this.location(start),
        start: start.start,
        end: this.endOf(start),
        name,
        type,
        defaultValue,
      });
    } while (this.eat(TokenKind.Comma));
    return list;
  }

  private parseMethod(): Ast.MethodDeclaration {
    const start = this.advance();
    const name = this.name("method name after 'def'");
    this.expect(TokenKind.LParen, "'('", `after method name '${name.name}'`);
    const parameters = this.parseParameterSpecifications(false);
    this.expect(TokenKind.RParen, "')' or ','", `in the parameters of method '${name.name}'`);
    const returnType = this.eat(TokenKind.Arrow)
      ? this.parseType(`as return type of method '${name.name}'`)
      : undefined;
    const bodyStart = this.expectKeyword('is', `after the signature of method '${name.name}'`);
    const only = this.eatKeyword('only');
    let body: Ast.MethodBody;
    if (this.eatKeyword('external')) {
      const targetParts: Ast.Identifier[] = [this.name("external function name after 'external'")];
      while (this.eat(TokenKind.Dot)) targetParts.push(this.name("name after '.'"));
      this.expect(TokenKind.LParen, "'('", 'after the external function name');
      const args = this.parseArguments();
      body = {
        kind: 'ExternalMethod',
        loc: this.location(bodyStart),
        start: bodyStart.start,
        end: this.endOf(bodyStart),
        only,
        target: targetParts.map((part) => part.name).join('.'),
        targetParts,
        arguments: args,
      };
    } else if (this.eatKeyword('expression')) {
      const expression = this.parseExpression();
      body = {
        kind: 'ExpressionMethod',
        loc: this.location(bodyStart),
        start: bodyStart.start,
        end: this.endOf(bodyStart),
        only,
        expression,
      };
    } else if (this.eatKeyword('undefined')) {
      body = {
        kind: 'UndefinedMethod',
        loc: this.location(bodyStart),
        start: bodyStart.start,
        end: this.endOf(bodyStart),
        only,
      };
    } else {
      return this.fail("expected 'external', 'expression' or 'undefined' after 'is'");
    }
    const node: Ast.MethodDeclaration = {
      kind: 'Method',
      loc: this.location(start),
      start: start.start,
      end: this.endOf(start),
      name,
      parameters,
      returnType,
      body,
    };
    this.expectNewline('after the method declaration');
    return node;
  }

  /** `keep([default|hard] expression)` NEWLINE */
  private parseKeep(): Ast.KeepConstraint {
    const start = this.advance();
    this.expect(TokenKind.LParen, "'('", "after 'keep'");
    let qualifier: 'default' | 'hard' | undefined;
    if (this.atKeyword('default') || this.atKeyword('hard')) qualifier = this.advance().text as 'default' | 'hard';
    const expression = this.parseExpression();
    this.expect(TokenKind.RParen, "')'", 'to close keep(...)');
    const node: Ast.KeepConstraint = {
      kind: 'Keep',
      loc: this.location(start),
      start: start.start,
      end: this.endOf(start),
      qualifier,
      expression,
    };
    this.expectNewline('after keep(...)');
    return node;
  }

  private parseRemoveDefault(): void {
    const start = this.advance();
    this.expect(TokenKind.LParen, "'('", "after 'remove_default'");
    this.parsePostfix();
    this.expect(TokenKind.RParen, "')'", 'to close remove_default(...)');
    this.expectNewline('after remove_default(...)');
    this.notSupported('remove_default', start);
  }

  /** `cover(...)` / `record(...)` — parsed loosely (balanced arguments), then reported. */
  private parseCoverage(keyword: string): void {
    const start = this.advance();
    this.expect(TokenKind.LParen, "'('", `after '${keyword}'`);
    let depth = 1;
    while (depth > 0) {
      const kind = this.token.kind;
      if (kind === TokenKind.EOF || kind === TokenKind.Newline) this.fail(`expected ')' to close ${keyword}(...)`);
      if (kind === TokenKind.LParen || kind === TokenKind.LBracket) depth++;
      else if (kind === TokenKind.RParen || kind === TokenKind.RBracket) depth--;
      this.advance();
    }
    this.expectNewline(`after ${keyword}(...)`);
    this.notSupported(`${keyword} declaration`, start);
  }

  /** `[actor[.behavior].]name(args)` (no line end). */
  private parseModifierInvocation(): Ast.ModifierInvocation {
    const start = this.token;
    const names: Ast.Identifier[] = [this.name('modifier name')];
    while (this.eat(TokenKind.Dot)) {
      if (names.length === 3) this.fail("expected '(' after the modifier name");
      names.push(this.name("name after '.'"));
    }
    this.expect(TokenKind.LParen, "'('", `after modifier name '${(names[names.length - 1] as Ast.Identifier).name}'`);
    const args = this.parseArguments();
    const name = names[names.length - 1] as Ast.Identifier;
    const actor = names.length > 1 ? names[0] : undefined;
    const behavior = names.length > 2 ? names[1] : undefined;
    return {
      kind: 'ModifierInvocation',
      loc: this.location(start),
      start: start.start,
      end: this.endOf(start),
      actor,
      behavior,
      name,
      arguments: args,
    };
  }

  // -------------------------------------------------------------------------
  // Behaviour

  private parseDo(): Ast.DoDirective {
    const start = this.advance();
    const member = this.parseDoMember();
    return { kind: 'Do', loc: this.location(start), start: start.start, end: member.end, member };
  }

  private parseOn(): Ast.OnDirective {
    const start = this.advance();
    const specification = this.parseEventSpecification();
    const header = this.node(start);
    this.expect(TokenKind.Colon, "':'", "after the event of 'on'");
    this.expectNewline("after 'on …:'");
    const members = this.parseIndented("after 'on …:'", () => {
      if (this.atKeyword('emit')) return this.parseEmit(undefined, this.token);
      if (this.atKeyword('call')) this.parseCall();
      else this.fail("expected 'emit' or 'call' in the 'on' block");
      return undefined;
    });
    return { kind: 'On', ...header, end: Math.max(header.end, this.lastEnd), specification, members };
  }

  /** One `do` member. `call` is checked, reported as not supported and left out (SkipMember). */
  private parseDoMember(): Ast.DoMember {
    const start = this.token;
    let label: Ast.Identifier | undefined;
    if (start.kind === TokenKind.Identifier && this.peek(1).kind === TokenKind.Colon) {
      label = this.name('label');
      this.advance();
    }
    const token = this.token;
    if (token.kind === TokenKind.Keyword) {
      switch (token.text) {
        case 'serial':
        case 'parallel':
        case 'one_of':
          return this.parseComposition(label, start);
        case 'wait':
          return this.parseWait(label, start);
        case 'emit':
          return this.parseEmit(label, start);
        case 'call':
          this.parseCall();
          // The reference engine rejects `call` outright; nothing to put in the tree.
          throw new SkipMember();
      }
    }
    if (token.kind === TokenKind.Indent) this.failExact('unexpected indent', token);
    if (token.kind !== TokenKind.Identifier) {
      this.fail('expected a behavior (serial, parallel, one_of, wait, emit or an invocation like name())');
    }
    return this.parseBehaviorInvocation(label, start);
  }

  private parseComposition(label: Ast.Identifier | undefined, start: Token): Ast.Composition {
    const operatorToken = this.advance();
    const operator = operatorToken.text as Ast.CompositionOperator;
    let args: Ast.Argument[] = [];
    if (this.eat(TokenKind.LParen)) args = this.parseArguments();
    const header = this.node(start);
    this.expect(TokenKind.Colon, "':'", `after '${operator}'`);
    this.expectNewline(`after '${operator}:'`);
    const members = this.parseIndented(`of behaviors after '${operator}:'`, () => this.parseDoMember());
    const withMembers = this.atKeyword('with') ? this.parseBehaviorWith() : [];
    return {
      kind: 'Composition',
      ...header,
      end: Math.max(header.end, this.lastEnd),
      label,
      operator,
      operatorLoc: this.location(operatorToken),
      arguments: args,
      members,
      withMembers,
    };
  }

  /** `[actor.]name(args)` then `with:` block or end of line. */
  private parseBehaviorInvocation(label: Ast.Identifier | undefined, start: Token): Ast.BehaviorInvocation {
    let name = this.name('behavior name');
    let actor: Ast.Identifier | undefined;
    if (this.eat(TokenKind.Dot)) {
      actor = name;
      name = this.name(`behavior name after '${actor.name}.'`);
    }
    this.expect(TokenKind.LParen, "'('", `after behavior name '${name.name}'`);
    const args = this.parseArguments();
    const header = this.node(start);
    let withMembers: Ast.WithMember[] = [];
    if (this.atKeyword('with')) withMembers = this.parseBehaviorWith();
    else this.expectNewline("or 'with:' after the behavior invocation");
    return {
      kind: 'BehaviorInvocation',
      ...header,
      end: Math.max(header.end, this.lastEnd),
      label,
      actor,
      name,
      arguments: args,
      withMembers,
    };
  }

  /** `with:` NEWLINE INDENT (keep | modifier invocation | until)+ DEDENT */
  private parseBehaviorWith(): Ast.WithMember[] {
    this.advance();
    this.expect(TokenKind.Colon, "':'", "after 'with'");
    this.expectNewline("after 'with:'");
    return this.parseIndented("after 'with:'", (): Ast.WithMember | undefined => {
      const token = this.token;
      if (this.atKeyword('keep')) return this.parseKeep();
      if (this.atKeyword('remove_default')) {
        this.parseRemoveDefault();
      } else if (this.atKeyword('until')) {
        this.advance();
        this.parseEventSpecification();
        this.expectNewline("after 'until …'");
        this.notSupported("'until'", token);
      } else if (token.kind === TokenKind.Identifier) {
        const invocation = this.parseModifierInvocation();
        this.expectNewline('after the modifier invocation');
        return invocation;
      } else {
        this.fail("expected 'keep(...)', 'until' or a modifier invocation in the 'with:' block");
      }
      return undefined;
    });
  }

  private parseWait(label: Ast.Identifier | undefined, start: Token): Ast.WaitDirective {
    this.advance();
    const specification = this.parseEventSpecification();
    const node: Ast.WaitDirective = {
      kind: 'Wait',
      loc: this.location(start),
      start: start.start,
      end: this.endOf(start),
      label,
      specification,
    };
    this.expectNewline("after 'wait …'");
    return node;
  }

  private parseEmit(label: Ast.Identifier | undefined, start: Token): Ast.EmitDirective {
    this.advance();
    const event = this.name("event name after 'emit'");
    let args: Ast.Argument[] = [];
    if (this.eat(TokenKind.LParen)) {
      if (this.at(TokenKind.RParen)) this.fail('expected an argument');
      args = this.parseArguments();
    }
    const node: Ast.EmitDirective = {
      kind: 'Emit',
      loc: this.location(start),
      start: start.start,
      end: this.endOf(start),
      label,
      event,
      arguments: args,
    };
    this.expectNewline("after 'emit …'");
    return node;
  }

  /** `call method(args)` — parsed, then reported. */
  private parseCall(): void {
    const start = this.advance();
    const target = this.parsePostfix();
    if (target.kind !== 'Call') this.fail("expected a method invocation like name(...) after 'call'");
    this.expectNewline("after 'call …'");
    this.notSupported("'call' directive", start);
  }

  /**
   * `@[path.]event [[as name] if condition]`, `elapsed(d)`, `rise(…)`,
   * `fall(…)`, `every(…)` or a boolean expression.
   */
  private parseEventSpecification(): Ast.EventSpecification {
    const start = this.token;
    if (this.eat(TokenKind.At)) {
      const path = this.parsePostfix();
      let scope: Ast.Expression | undefined;
      let event: Ast.Identifier;
      if (path.kind === 'Reference') {
        event = path.parts[path.parts.length - 1] as Ast.Identifier;
        if (path.parts.length > 1) {
          const parts = path.parts.slice(0, -1);
          const last = parts[parts.length - 1] as Ast.Identifier;
          scope = {
            kind: 'Reference',
            loc: path.loc,
            start: path.start,
            end: last.end,
            parts,
            name: parts.map((part) => part.name).join('.'),
          };
        }
      } else if (path.kind === 'Member') {
        scope = path.object;
        event = path.member;
      } else {
        return this.failExact("expected an event name after '@'", this.tokenAt(path.start));
      }
      const pathText = this.file.text.slice(path.start, path.end).replace(/\s+/g, '');
      let fieldName: Ast.Identifier | undefined;
      let condition: Ast.EventCondition | undefined;
      if (this.eatKeyword('as')) {
        fieldName = this.name("field name after 'as'");
        if (!this.atKeyword('if')) this.fail("expected 'if' after 'as …'");
      }
      if (this.eatKeyword('if')) condition = this.parseEventCondition();
      return {
        kind: 'EventReference',
        loc: this.location(start),
        start: start.start,
        end: this.endOf(start),
        scope,
        event,
        path: pathText,
        fieldName,
        condition,
      };
    }
    return this.parseEventCondition();
  }

  /** Token starting at a given offset (for errors that point at an already parsed node). */
  private tokenAt(offset: number): Token {
    for (let i = this.pos; i >= 0; i--) {
      const token = this.tokens[i] as Token;
      if (token.start === offset && token.kind > TokenKind.Dedent) return token;
    }
    return this.token;
  }

  private parseEventCondition(): Ast.EventCondition {
    const start = this.token;
    if (start.kind === TokenKind.Keyword) {
      switch (start.text) {
        case 'elapsed': {
          this.advance();
          this.expect(TokenKind.LParen, "'('", "after 'elapsed'");
          const duration = this.parseExpression();
          this.expect(TokenKind.RParen, "')'", 'to close elapsed(...)');
          return { kind: 'Elapsed', loc: this.location(start), start: start.start, end: this.endOf(start), duration };
        }
        case 'rise':
        case 'fall': {
          this.advance();
          this.expect(TokenKind.LParen, "'('", `after '${start.text}'`);
          const expression = this.parseExpression();
          this.expect(TokenKind.RParen, "')'", `to close ${start.text}(...)`);
          this.notSupported(`${start.text} expression`, start);
          return {
            kind: 'BoolCondition',
            loc: this.location(start),
            start: start.start,
            end: this.endOf(start),
            expression,
          };
        }
        case 'every': {
          this.advance();
          this.expect(TokenKind.LParen, "'('", "after 'every'");
          const expression = this.parseExpression();
          if (this.eat(TokenKind.Comma)) {
            this.expectKeyword('offset', "after ',' in every(...)");
            this.expect(TokenKind.Colon, "':'", "after 'offset'");
            this.parseExpression();
          }
          this.expect(TokenKind.RParen, "')'", 'to close every(...)');
          this.notSupported('every expression', start);
          return {
            kind: 'BoolCondition',
            loc: this.location(start),
            start: start.start,
            end: this.endOf(start),
            expression,
          };
        }
      }
    }
    const expression = this.parseExpression();
    return { kind: 'BoolCondition', loc: this.location(start), start: start.start, end: this.endOf(start), expression };
  }

  // -------------------------------------------------------------------------
  // Arguments

  /** After `(`: `positional…, named…` then `)`. */
  private parseArguments(): Ast.Argument[] {
    const args: Ast.Argument[] = [];
    if (this.eat(TokenKind.RParen)) return args;
    let sawNamed = false;
    do {
      const start = this.token;
      const named = this.peek(1).kind === TokenKind.Colon;
      if (named && (start.kind === TokenKind.Identifier || start.kind === TokenKind.Keyword)) {
        const name = this.name('argument name');
        this.advance();
        const value = this.parseExpression();
        args.push({
          kind: 'Argument',
          loc: this.location(start),
          start: start.start,
          end: this.endOf(start),
          name,
          value,
        });
        sawNamed = true;
      } else {
        const value = this.parseExpression();
        if (sawNamed) this.failExact('positional argument follows a named argument', start);
        args.push({
          kind: 'Argument',
          loc: this.location(start),
          start: start.start,
          end: this.endOf(start),
          name: undefined,
          value,
        });
      }
    } while (this.eat(TokenKind.Comma));
    this.expect(TokenKind.RParen, "')' or ','", 'in the argument list');
    return args;
  }

  // -------------------------------------------------------------------------
  // Types and names

  /** `int|uint|float|bool|string`, `name`, `actor.behavior`, `list of T`. */
  private parseType(context: string): Ast.TypeRef {
    const start = this.token;
    const isList = this.eatKeyword('list');
    if (isList) this.expectKeyword('of', "after 'list'");
    const token = this.token;
    if (token.kind === TokenKind.Keyword && PRIMITIVE_TYPES.has(token.text)) {
      this.advance();
      const name: Ast.Identifier = {
        kind: 'Identifier',
        loc: this.location(token),
        start: token.start,
        end: this.endOf(token),
        name: token.text,
      };
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
  private name(what: string): Ast.Identifier {
    const token = this.token;
    if (token.kind !== TokenKind.Identifier) {
      if (token.kind === TokenKind.Keyword) {
        this.fail(`expected ${what} ('${token.text}' is a reserved word; write |${token.text}| to use it as a name)`);
      }
      this.fail(`expected ${what}`);
    }
    this.advance();
    return {
      kind: 'Identifier',
      loc: this.location(token),
      start: token.start,
      end: this.endOf(token),
      name: token.value,
    };
  }

  /** A unit name: an identifier or an SI base unit name. */
  private unitName(what: string): Ast.Identifier {
    const token = this.token;
    if (token.kind === TokenKind.Keyword && SI_BASE_UNITS.has(token.text)) {
      this.advance();
      return {
        kind: 'Identifier',
        loc: this.location(token),
        start: token.start,
        end: this.endOf(token),
        name: token.text,
      };
    }
    return this.name(what);
  }

  /** `[actor.]name` */
  private qualifiedName(what: string): Ast.QualifiedName {
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
  private simpleQualifiedName(what: string): Ast.QualifiedName {
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

  // -------------------------------------------------------------------------
  // Expressions

  /** expression: implication ['?' expression ':' expression] */
  private parseExpression(): Ast.Expression {
    const start = this.token;
    const condition = this.parseImplication();
    if (this.at(TokenKind.Question)) {
      this.advance();
      this.parseExpression();
      this.expect(TokenKind.Colon, "':'", "in the conditional expression '… ? … : …'");
      this.parseExpression();
      this.notSupported("conditional expression '… ? … : …'", start);
    }
    return condition;
  }

  private parseImplication(): Ast.Expression {
    const start = this.token;
    const left = this.parseBinary(0);
    if (this.at(TokenKind.FatArrow)) {
      while (this.eat(TokenKind.FatArrow)) this.parseBinary(0);
      this.notSupported("implication '=>'", start);
    }
    return left;
  }

  /**
   * Binary operators by level: 0 `or`, 1 `and`, 2 `not` (prefix), 3 relational,
   * 4 additive, 5 multiplicative; all left-associative.
   */
  private parseBinary(level: number): Ast.Expression {
    if (level === 2) {
      const token = this.token;
      if (token.kind === TokenKind.Keyword && token.text === 'not') {
        this.advance();
        const operand = this.parseBinary(2);
        return {
          kind: 'Unary',
          loc: this.location(token),
          start: token.start,
          end: this.endOf(token),
          operator: 'not',
          operand,
        };
      }
      return this.parseBinary(3);
    }
    if (level === 6) return this.parseFactor();
    const start = this.token;
    let left = this.parseBinary(level + 1);
    while (true) {
      const token = this.token;
      const operator = binaryOperator(token, level);
      if (operator === undefined) return left;
      this.advance();
      const right = this.parseBinary(level + 1);
      left = {
        kind: 'Binary',
        loc: this.location(start),
        start: start.start,
        end: this.endOf(start),
        operator,
        operatorLoc: this.location(token),
        left,
        right,
      };
    }
  }

  /** factor: '-' factor | postfix. A sign right before a number is folded into the literal. */
  private parseFactor(): Ast.Expression {
    const token = this.token;
    if (token.kind === TokenKind.Minus || token.kind === TokenKind.Plus) {
      const next = this.peek(1).kind;
      if (next === TokenKind.Integer || next === TokenKind.HexInteger || next === TokenKind.Float) {
        this.advance();
        return this.parsePostfixFrom(this.parseNumber(token));
      }
      if (token.kind === TokenKind.Plus) this.fail('expected an expression');
      this.advance();
      const operand = this.parseFactor();
      return {
        kind: 'Unary',
        loc: this.location(token),
        start: token.start,
        end: this.endOf(token),
        operator: '-',
        operand,
      };
    }
    return this.parsePostfix();
  }

  private parsePostfix(): Ast.Expression {
    return this.parsePostfixFrom(this.parsePrimary());
  }

  /** `.name`, `.as(T)`, `.is(T)`, `[index]`, `(args)` after a primary expression. */
  private parsePostfixFrom(primary: Ast.Expression): Ast.Expression {
    let expression = primary;
    const startToken = this.tokenAt(primary.start);
    while (true) {
      const token = this.token;
      if (token.kind === TokenKind.Dot) {
        this.advance();
        const after = this.token;
        if (after.kind === TokenKind.Keyword && (after.text === 'as' || after.text === 'is')) {
          this.advance();
          this.expect(TokenKind.LParen, "'('", `after '.${after.text}'`);
          this.parseType(`in .${after.text}(...)`);
          this.expect(TokenKind.RParen, "')'", `to close .${after.text}(...)`);
          this.notSupported(
            after.text === 'as' ? "cast expression '.as()'" : "type test expression '.is()'",
            startToken,
          );
          continue;
        }
        const member = this.name("field name after '.'");
        if (expression.kind === 'Reference') {
          const parts = [...expression.parts, member];
          expression = {
            kind: 'Reference',
            loc: this.location(startToken),
            start: startToken.start,
            end: this.endOf(startToken),
            parts,
            name: `${expression.name}.${member.name}`,
          };
        } else {
          expression = {
            kind: 'Member',
            loc: this.location(startToken),
            start: startToken.start,
            end: this.endOf(startToken),
            object: expression,
            member,
          };
        }
      } else if (token.kind === TokenKind.LParen) {
        this.advance();
        const args = this.parseArguments();
        expression = {
          kind: 'Call',
          loc: this.location(startToken),
          start: startToken.start,
          end: this.endOf(startToken),
          callee: expression,
          arguments: args,
        };
      } else if (token.kind === TokenKind.LBracket) {
        this.advance();
        const index = this.parseExpression();
        this.expect(TokenKind.RBracket, "']'", 'to close the element access');
        expression = {
          kind: 'ElementAccess',
          loc: this.location(startToken),
          start: startToken.start,
          end: this.endOf(startToken),
          object: expression,
          index,
        };
      } else {
        return expression;
      }
    }
  }

  private parsePrimary(): Ast.Expression {
    const token = this.token;
    switch (token.kind) {
      case TokenKind.Integer:
      case TokenKind.HexInteger:
      case TokenKind.Float:
        return this.parseNumber(undefined);
      case TokenKind.String:
        this.advance();
        return {
          kind: 'String',
          loc: this.location(token),
          start: token.start,
          end: this.endOf(token),
          value: token.value,
          raw: token.text,
        };
      case TokenKind.Identifier: {
        const name = this.name('name');
        if (this.at(TokenKind.Bang)) {
          this.advance();
          const member = this.name(`enum member name after '${name.name}!'`);
          return {
            kind: 'EnumValue',
            loc: this.location(token),
            start: token.start,
            end: this.endOf(token),
            enumName: name,
            member,
          };
        }
        return {
          kind: 'Reference',
          loc: this.location(token),
          start: token.start,
          end: this.endOf(token),
          parts: [name],
          name: name.name,
        };
      }
      case TokenKind.LParen: {
        this.advance();
        const expression = this.parseExpression();
        this.expect(TokenKind.RParen, "')'", 'to close the parenthesis');
        return { kind: 'Paren', loc: this.location(token), start: token.start, end: this.endOf(token), expression };
      }
      case TokenKind.LBracket:
        return this.parseList();
      case TokenKind.Keyword:
        switch (token.text) {
          case 'true':
          case 'false':
            this.advance();
            return {
              kind: 'Bool',
              loc: this.location(token),
              start: token.start,
              end: this.endOf(token),
              value: token.text === 'true',
            };
          case 'it':
            this.advance();
            return { kind: 'It', loc: this.location(token), start: token.start, end: this.endOf(token) };
          case 'range': {
            this.advance();
            this.expect(TokenKind.LParen, "'('", "after 'range'");
            const low = this.parseExpression();
            this.expect(TokenKind.Comma, "','", 'between the bounds of range(...)');
            this.parseExpression();
            this.expect(TokenKind.RParen, "')'", 'to close range(...)');
            this.notSupported('range', token);
            return low;
          }
        }
        break;
    }
    if (token.kind === TokenKind.Indent) return this.failExact('unexpected indent', token);
    return this.fail('expected an expression');
  }

  /** `[a, b, …]` or the range form `[a..b]`. */
  private parseList(): Ast.Expression {
    const start = this.advance();
    const elements: Ast.Expression[] = [this.parseExpression()];
    if (this.eat(TokenKind.DotDot)) {
      this.parseExpression();
      this.expect(TokenKind.RBracket, "']'", 'to close the range');
      this.notSupported("range '[…..…]'", start);
      return elements[0] as Ast.Expression;
    }
    while (this.eat(TokenKind.Comma)) elements.push(this.parseExpression());
    this.expect(TokenKind.RBracket, "']' or ','", 'in the list');
    return { kind: 'List', loc: this.location(start), start: start.start, end: this.endOf(start), elements };
  }

  /** A number (the current token), with an optional sign already consumed, and an optional unit after it. */
  private parseNumber(sign: Token | undefined): Ast.Expression {
    const token = this.advance();
    const start = sign ?? token;
    const negative = sign?.kind === TokenKind.Minus;
    const signText = sign ? sign.text : '';
    let magnitude: number;
    if (token.kind === TokenKind.HexInteger) magnitude = Number.parseInt(token.text.slice(2), 16);
    else magnitude = Number(token.text);
    const value = negative ? -magnitude : magnitude;
    const text = signText + token.text;
    const isFloat = token.kind === TokenKind.Float;
    if (sign?.kind === TokenKind.Plus && !isFloat)
      this.fail("expected an expression ('+' may only precede a float)", sign);
    const unitToken = this.token;
    // The unit must follow on the same line (only matters inside brackets).
    if (
      unitToken.line === token.line &&
      (unitToken.kind === TokenKind.Identifier ||
        (unitToken.kind === TokenKind.Keyword && SI_BASE_UNITS.has(unitToken.text)))
    ) {
      const unit = this.unitName('unit name');
      return {
        kind: 'Physical',
        loc: this.location(start),
        start: start.start,
        end: this.endOf(start),
        value,
        isFloat,
        text,
        unit,
      };
    }
    if (isFloat)
      return { kind: 'Float', loc: this.location(start), start: start.start, end: this.endOf(start), value, text };
    return {
      kind: 'Integer',
      loc: this.location(start),
      start: start.start,
      end: this.endOf(start),
      value,
      text,
      hex: token.kind === TokenKind.HexInteger,
    };
  }
}

/** Thrown for a `do` member that was reported as not supported and left out. */
class SkipMember extends Error {}

function binaryOperator(token: Token, level: number): Ast.BinaryOperator | undefined {
  switch (level) {
    case 0:
      return token.kind === TokenKind.Keyword && token.text === 'or' ? 'or' : undefined;
    case 1:
      return token.kind === TokenKind.Keyword && token.text === 'and' ? 'and' : undefined;
    case 3:
      if (token.kind === TokenKind.Keyword) return token.text === 'in' ? 'in' : undefined;
      return RELATIONAL[token.kind];
    case 4:
      if (token.kind === TokenKind.Plus) return '+';
      return token.kind === TokenKind.Minus ? '-' : undefined;
    case 5:
      if (token.kind === TokenKind.Star) return '*';
      if (token.kind === TokenKind.Slash) return '/';
      return token.kind === TokenKind.Percent ? '%' : undefined;
    default:
      return undefined;
  }
}

/** The grammar's valueExp: what `var x: T = …` may be initialised with. */
function isValueExpression(expression: Ast.Expression): boolean {
  switch (expression.kind) {
    case 'Integer':
    case 'Float':
    case 'Bool':
    case 'String':
    case 'Physical':
    case 'EnumValue':
    case 'List':
    case 'Reference':
      return true;
    default:
      return false;
  }
}
