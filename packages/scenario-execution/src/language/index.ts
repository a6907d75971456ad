/** Front end of the OpenSCENARIO DSL 2 language: text → syntax tree. */
export type * from './ast.js';
export { OscError, SourceFile } from './diagnostics.js';
export type { Location } from './diagnostics.js';
export { tokenize } from './lexer.js';
export type { Token } from './tokens.js';
export { TokenKind, KEYWORDS } from './tokens.js';
export { parse, parseWithErrors } from './parser.js';
export type { ParseResult } from './parser.js';
