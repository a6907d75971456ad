/**
 * Parser, behaviour: `do` and its members (serial, parallel, one_of, invocations,
 * wait, emit, call), `on`, `with:` blocks (keep, modifier invocations, until)
 * and event specifications.
 */
import type * as Ast from '../ast.js';
import { didYouMean } from '../suggest.js';
import { type Token, TokenKind } from '../tokens.js';
import { ExpressionParser } from './expressions.js';
import { NO_ITEMS, SkipMember } from './state.js';

/** The keywords that start a `do` member, for "did you mean" hints. */
const BEHAVIOR_KEYWORDS = ['serial', 'parallel', 'one_of', 'wait', 'emit'];

export class BehaviourParser extends ExpressionParser {
  protected parseDo(): Ast.DoDirective {
    const start = this.advance();
    const member = this.parseDoMember();
    return { kind: 'Do', loc: this.location(start), start: start.start, end: member.end, member };
  }

  protected parseOn(): Ast.OnDirective {
    const start = this.advance();
    const specification = this.parseEventSpecification();
    const headerEnd = this.endOf(start);
    this.expect(TokenKind.Colon, "':'", "after the event of 'on'");
    this.expectNewline("after 'on …:'");
    const members = this.parseIndented("after 'on …:'", () => {
      if (this.atKeyword('emit')) return this.parseEmit(undefined, this.token);
      if (this.atKeyword('call')) this.parseCall();
      else this.fail("expected 'emit' or 'call' in the 'on' block");
      return undefined;
    });
    return {
      kind: 'On',
      loc: this.location(start),
      start: start.start,
      end: Math.max(headerEnd, this.lastEnd),
      specification,
      members,
    };
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
    if (label !== undefined && (token.kind === TokenKind.Newline || token.kind === TokenKind.EOF)) {
      // `do seral:` reads as the label `seral` of nothing: most likely a misspelt `serial:`.
      const hint = didYouMean(label.name, BEHAVIOR_KEYWORDS);
      if (hint !== '') {
        this.failExact(
          `'${label.name}' is not a behavior (a name before ':' is a label, and nothing follows it)${hint}`,
          start,
        );
      }
    }
    if (token.kind !== TokenKind.Identifier) {
      this.fail('expected a behavior (serial, parallel, one_of, wait, emit or an invocation like name())');
    }
    return this.parseBehaviorInvocation(label, start);
  }

  private parseComposition(label: Ast.Identifier | undefined, start: Token): Ast.Composition {
    const operatorToken = this.advance();
    const operator = operatorToken.text as Ast.CompositionOperator;
    let args: readonly Ast.Argument[] = NO_ITEMS;
    if (this.eat(TokenKind.LParen)) args = this.parseArguments();
    const headerEnd = this.endOf(start);
    this.expect(TokenKind.Colon, "':'", `after '${operator}'`);
    this.expectNewline(`after '${operator}:'`);
    const members = this.parseIndented(`of behaviors after '${operator}:'`, () => this.parseDoMember());
    const withMembers = this.atKeyword('with') ? this.parseBehaviorWith() : NO_ITEMS;
    return {
      kind: 'Composition',
      loc: this.location(start),
      start: start.start,
      end: Math.max(headerEnd, this.lastEnd),
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
    if (!this.at(TokenKind.LParen) && actor === undefined) {
      // `do seral` (no parentheses): a misspelt keyword rather than an invocation.
      const hint = didYouMean(name.name, BEHAVIOR_KEYWORDS);
      if (hint !== '') this.fail(`expected '(' after behavior name '${name.name}'`, this.token, hint);
    }
    this.expect(TokenKind.LParen, "'('", `after behavior name '${name.name}'`);
    const args = this.parseArguments();
    const headerEnd = this.endOf(start);
    let withMembers: readonly Ast.WithMember[] = NO_ITEMS;
    if (this.atKeyword('with')) withMembers = this.parseBehaviorWith();
    else this.expectNewline("or 'with:' after the behavior invocation");
    return {
      kind: 'BehaviorInvocation',
      loc: this.location(start),
      start: start.start,
      end: Math.max(headerEnd, this.lastEnd),
      label,
      actor,
      name,
      arguments: args,
      withMembers,
    };
  }

  /** `with:` NEWLINE INDENT (keep | modifier invocation | until)+ DEDENT */
  private parseBehaviorWith(): readonly Ast.WithMember[] {
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
        return this.endStatement(this.parseModifierInvocation(), 'after the modifier invocation');
      } else {
        this.fail("expected 'keep(...)', 'until' or a modifier invocation in the 'with:' block");
      }
      return undefined;
    });
  }

  /** `keep([default|hard] expression)` NEWLINE */
  protected parseKeep(): Ast.KeepConstraint {
    const start = this.advance();
    this.expect(TokenKind.LParen, "'('", "after 'keep'");
    let qualifier: 'default' | 'hard' | undefined;
    if (this.atKeyword('default') || this.atKeyword('hard')) qualifier = this.advance().text as 'default' | 'hard';
    const expression = this.parseExpression();
    this.expect(TokenKind.RParen, "')'", 'to close keep(...)');
    return this.endStatement(
      { kind: 'Keep', loc: this.location(start), start: start.start, end: this.endOf(start), qualifier, expression },
      'after keep(...)',
    );
  }

  protected parseRemoveDefault(): void {
    const start = this.advance();
    this.expect(TokenKind.LParen, "'('", "after 'remove_default'");
    this.parsePostfix();
    this.expect(TokenKind.RParen, "')'", 'to close remove_default(...)');
    this.expectNewline('after remove_default(...)');
    this.notSupported('remove_default', start);
  }

  /** `[actor[.behavior].]name(args)` (no line end). */
  protected parseModifierInvocation(): Ast.ModifierInvocation {
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

  private parseWait(label: Ast.Identifier | undefined, start: Token): Ast.WaitDirective {
    this.advance();
    const specification = this.parseEventSpecification();
    return this.endStatement(
      { kind: 'Wait', loc: this.location(start), start: start.start, end: this.endOf(start), label, specification },
      "after 'wait …'",
    );
  }

  private parseEmit(label: Ast.Identifier | undefined, start: Token): Ast.EmitDirective {
    this.advance();
    const event = this.name("event name after 'emit'");
    let args: readonly Ast.Argument[] = NO_ITEMS;
    if (this.eat(TokenKind.LParen)) {
      if (this.at(TokenKind.RParen)) this.fail('expected an argument');
      args = this.parseArguments();
    }
    return this.endStatement(
      {
        kind: 'Emit',
        loc: this.location(start),
        start: start.start,
        end: this.endOf(start),
        label,
        event,
        arguments: args,
      },
      "after 'emit …'",
    );
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
  protected parseEventSpecification(): Ast.EventSpecification {
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
}
