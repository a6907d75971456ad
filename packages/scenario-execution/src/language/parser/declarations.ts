/**
 * Parser, declarations: the file, imports, top-level declarations (type, unit,
 * enum, struct, actor, action, scenario, modifier, extend, global) and the
 * members of their bodies (fields, variables, events, methods, keep, …).
 */
import type * as Ast from '../ast.js';
import { didYouMean } from '../suggest.js';
import { SI_BASE_UNITS, type Token, TokenKind } from '../tokens.js';
import { BehaviourParser } from './behaviours.js';
import { NO_ITEMS, ParseAbort, ParseStop } from './state.js';

/** Which members a body may hold. */
enum BodyKind {
  /** struct, actor: fields, events, methods, keep */
  Struct = 0,
  /** modifier: struct members and modifier invocations */
  Modifier = 1,
  /** scenario, action, extend: everything including `do` / `on` */
  Scenario = 2,
}

/** The keywords that start a top-level declaration, for "did you mean" hints. */
const DECLARATION_KEYWORDS = [
  'type',
  'unit',
  'enum',
  'struct',
  'actor',
  'action',
  'scenario',
  'modifier',
  'extend',
  'global',
  'import',
];

export class DeclarationParser extends BehaviourParser {
  /** Whether parsing ended at the error limit, before the end of the file. */
  stopped = false;

  parseFile(): Ast.OscFile {
    const first = this.token;
    const imports: Ast.ImportStatement[] = [];
    const declarations: Ast.Declaration[] = [];
    try {
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
    } catch (error) {
      // The error limit: the tree holds what was parsed before.
      if (!(error instanceof ParseStop)) throw error;
      this.stopped = true;
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
    const node: Ast.ImportStatement = {
      kind: 'Import',
      loc: this.location(start),
      start: start.start,
      end: this.endOf(start),
      source: 'library',
      name: parts.join('.'),
      parts,
    };
    return this.endStatement(node, 'after the imported library name');
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
    // `scenari test:`: a misspelt keyword.
    const hint = token.kind === TokenKind.Identifier ? didYouMean(token.value, DECLARATION_KEYWORDS) : '';
    return this.fail(
      'expected a declaration (type, unit, enum, struct, actor, action, scenario, modifier, extend, global or import)',
      token,
      hint,
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
    const integer = token.kind === TokenKind.Integer || token.kind === TokenKind.HexInteger;
    if (!integer && !(allowFloat && token.kind === TokenKind.Float)) {
      return this.fail(`expected ${allowFloat ? 'a number' : 'an integer'} ${context}`);
    }
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
      isFloat: !integer,
      text: sign + token.text,
    };
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
    return this.endStatement(node, 'after the type declaration');
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
    return this.endStatement(node, 'after the unit declaration');
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
    return this.endStatement(
      { kind: 'Enum', loc: this.location(start), start: start.start, end: this.endOf(start), name, members },
      'after the enum declaration',
    );
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
    const headerEnd = this.endOf(start);
    const members = this.parseBody(BodyKind.Struct, `${keyword} '${name.name}'`) as readonly Ast.StructMember[];
    if (keyword === 'struct')
      return { kind: 'Struct', loc: this.location(start), start: start.start, end: headerEnd, name, inherits, members };
    return { kind: 'Actor', loc: this.location(start), start: start.start, end: headerEnd, name, inherits, members };
  }

  private parseBehaviorDeclaration(keyword: 'action' | 'scenario'): Ast.ActionDeclaration | Ast.ScenarioDeclaration {
    const start = this.advance();
    const name = this.qualifiedName(`${keyword} name after '${keyword}'`);
    const inherits = this.parseInherits(true);
    const headerEnd = this.endOf(start);
    const members = this.parseBody(BodyKind.Scenario, `${keyword} '${name.text}'`);
    if (keyword === 'action')
      return { kind: 'Action', loc: this.location(start), start: start.start, end: headerEnd, name, inherits, members };
    return { kind: 'Scenario', loc: this.location(start), start: start.start, end: headerEnd, name, inherits, members };
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
    const headerEnd = this.endOf(start);
    const members = this.parseBody(BodyKind.Modifier, `modifier '${name.name}'`);
    return { kind: 'Modifier', loc: this.location(start), start: start.start, end: headerEnd, name, members };
  }

  /** Structured type extension; an enum extension is checked, reported and left out. */
  private parseExtension(): Ast.TypeExtension | undefined {
    const start = this.advance();
    const target = this.qualifiedName("type name after 'extend'");
    const headerEnd = this.endOf(start);
    this.expect(TokenKind.Colon, "':'", `after 'extend ${target.text}'`);
    if (this.at(TokenKind.LBracket)) {
      if (target.actor) this.fail("expected an enum name before ':' in enum extension");
      this.parseEnumMembers();
      this.expectNewline('after the enum extension');
      this.notSupported('enum type extension', start);
      return undefined;
    }
    const members = this.parseBlock(BodyKind.Scenario, `'extend ${target.text}'`);
    return { kind: 'Extend', loc: this.location(start), start: start.start, end: headerEnd, target, members };
  }

  private parseGlobal(): Ast.GlobalParameterDeclaration {
    const start = this.advance();
    const name = this.fieldNames("global parameter name after 'global'", start);
    return this.parameterRest('Global', start, name, 'global parameter');
  }

  /** `name: type [= default] (with: block | NEWLINE)` */
  private parseParameter(): Ast.ParameterDeclaration {
    const start = this.token;
    const name = this.fieldNames('field name', start);
    return this.parameterRest('Parameter', start, name, 'field');
  }

  /**
   * A field or global parameter after its name: `: type [= default]` then a
   * `with:` block or the end of the line.
   */
  private parameterRest<K extends 'Parameter' | 'Global'>(
    kind: K,
    start: Token,
    name: Ast.Identifier,
    what: string,
  ): { kind: K } & Omit<Ast.ParameterDeclaration, 'kind'> {
    this.expect(TokenKind.Colon, "':'", `after ${what} name '${name.name}'`);
    const type = this.parseType(`of ${what} '${name.name}'`);
    const defaultValue = this.eat(TokenKind.Assign) ? this.parseExpression() : undefined;
    const headerEnd = this.endOf(start);
    const constraints = this.parseParameterWith();
    const end = Math.max(headerEnd, this.lastEnd);
    return { kind, loc: this.location(start), start: start.start, end, name, type, defaultValue, constraints };
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

  /** `: NEWLINE INDENT members DEDENT` or just `NEWLINE` (empty body). */
  private parseBody(kind: BodyKind, owner: string): readonly Ast.ScenarioMember[] {
    if (this.at(TokenKind.Colon)) {
      this.advance();
      return this.parseBlock(kind, owner);
    }
    if (this.at(TokenKind.Newline)) {
      this.advance();
      return NO_ITEMS;
    }
    return this.fail(`expected ':' or end of line after ${owner}`);
  }

  /** After `:`: the line break and an indented block of members. */
  private parseBlock(kind: BodyKind, owner: string): readonly Ast.ScenarioMember[] {
    this.expectNewline(`after ':' of ${owner}`);
    return this.parseIndented(`of members for ${owner}`, () => this.parseMember(kind));
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
        return this.endStatement(this.parseModifierInvocation(), 'after the modifier invocation');
      }
      return this.fail(`expected ':' after field name '${token.value}'`, this.peek(1));
    }
    return this.fail(
      kind === BodyKind.Struct
        ? 'expected a member (field, var, event, def, keep)'
        : 'expected a member (field, var, event, def, keep, modifier invocation, do)',
    );
  }

  /** `with:` block of a parameter (keep constraints), or the end of the line. */
  private parseParameterWith(): readonly Ast.KeepConstraint[] {
    if (!this.atKeyword('with')) {
      this.expectNewline("or 'with:' after the field declaration");
      return NO_ITEMS;
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
    return this.endStatement(
      {
        kind: 'Variable',
        loc: this.location(start),
        start: start.start,
        end: this.endOf(start),
        name,
        type,
        defaultValue,
      },
      'after the variable declaration',
    );
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
    return this.endStatement(
      {
        kind: 'Event',
        loc: this.location(start),
        start: start.start,
        end: this.endOf(start),
        name,
        parameters,
        specification,
      },
      'after the event declaration',
    );
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
      const target = targetParts.map((part) => part.name).join('.');
      body = {
        kind: 'ExternalMethod',
        loc: this.location(bodyStart),
        start: bodyStart.start,
        end: this.endOf(bodyStart),
        only,
        target,
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
    return this.endStatement(node, 'after the method declaration');
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
