/** Parser, expressions: operators by precedence, postfix forms, literals, argument lists. */
import type * as Ast from '../ast.js';
import { SI_BASE_UNITS, type Token, TokenKind } from '../tokens.js';
import { exactList, NO_ITEMS } from './state.js';
import { TypeParser } from './types.js';

const RELATIONAL: Partial<Record<TokenKind, Ast.RelationalOperator>> = {
  [TokenKind.Eq]: '==',
  [TokenKind.NotEq]: '!=',
  [TokenKind.Lt]: '<',
  [TokenKind.LtEq]: '<=',
  [TokenKind.Gt]: '>',
  [TokenKind.GtEq]: '>=',
};

export class ExpressionParser extends TypeParser {
  /** expression: implication ['?' expression ':' expression] */
  protected parseExpression(): Ast.Expression {
    const start = this.token;
    // A lone literal or name (most arguments: `log("…")`, `increment(counter)`) is its own
    // expression: read it at once instead of descending through every operator level.
    if (isSimpleOperand(start.kind) && endsOperand(this.peek(1).kind)) return this.parsePrimary();
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

  protected parsePostfix(): Ast.Expression {
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
          const name = `${expression.name}.${member.name}`;
          expression = {
            kind: 'Reference',
            loc: this.location(startToken),
            start: startToken.start,
            end: this.endOf(startToken),
            parts,
            name,
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

  /** After `(`: `positional…, named…` then `)`. */
  protected parseArguments(): readonly Ast.Argument[] {
    if (this.eat(TokenKind.RParen)) return NO_ITEMS;
    const args: Ast.Argument[] = [];
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
    return exactList(args);
  }
}

/** Tokens that are a whole operand on their own (no sign, no keyword, no bracket). */
function isSimpleOperand(kind: TokenKind): boolean {
  return (
    kind === TokenKind.String ||
    kind === TokenKind.Identifier ||
    kind === TokenKind.Integer ||
    kind === TokenKind.Float ||
    kind === TokenKind.HexInteger
  );
}

/**
 * Tokens after which no operator, unit, member access, call or index can continue an
 * expression: a simple operand followed by one of them is the whole expression.
 */
function endsOperand(kind: TokenKind): boolean {
  return (
    kind === TokenKind.RParen ||
    kind === TokenKind.Comma ||
    kind === TokenKind.RBracket ||
    kind === TokenKind.Newline ||
    kind === TokenKind.EOF
  );
}

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
