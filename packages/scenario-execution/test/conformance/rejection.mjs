/**
 * Why and where a scenario was rejected, for both engines, in comparable form.
 *
 * The Python engine reports a file it cannot load as one log record,
 *   [ERROR] Parsing of <file>: parsing failed <error>
 * where <error> is one of
 *   <stage>: (line: L, column: C in '<file>') -> <construct>: <message>
 *       C counts from 0; <construct> is the text of the syntax-tree node the error is about
 *       (the whole `global x: int = 3.5`, the call `log(...)`), its whitespace mostly dropped
 *   line L:C <ANTLR message>      a syntax error, at the offending token (C counts from 0)
 *   <message>                     no place (a missing file, a parameter file, no scenario, ...)
 * Ours reports `<file>:<line>:<col>: error: <message>` on stderr (col counts from 1) at the
 * token at fault, or `error: <message>` without a place.
 *
 * Compared:
 * - the place: where Python gives a construct, our place must lie inside it (Python names the
 *   construct, we name the token in it); where Python gives a syntax error's token, ours must be
 *   the same; where Python gives no place, ours is not compared;
 * - the reason: each engine's message is mapped to a category and, where the message names one,
 *   a subject (the unknown name, the types that do not match, the unsupported construct, ...) by
 *   the tables below. A message that no rule knows is `unclassified: <message>`, which matches
 *   nothing: a new kind of rejection needs a rule.
 */

/**
 * @typedef {object} Place
 * @property {number} line 1-based
 * @property {number} column 1-based
 */

/**
 * @typedef {object} PythonRejection
 * @property {Place} [at] where Python's error starts (column converted to 1-based)
 * @property {string} [construct] the text of the construct Python names, when it names one
 * @property {string} message the message without place and construct
 */

/**
 * @typedef {object} OurRejection
 * @property {Place} [at]
 * @property {string} message
 */

const ANSI = /\x1b\[[0-9;]*m/g;

/**
 * The error text of the Python engine's `Parsing of ...: parsing failed` record in its stdout.
 * @param {string} stdout
 * @returns {string | undefined}
 */
export function pythonErrorText(stdout) {
  const lines = stdout.replace(ANSI, '').split('\n');
  const start = lines.findIndex((l) => /^\[scenario_execution\] \[ERROR\] Parsing of .*?: parsing failed /.test(l));
  if (start < 0) return undefined;
  const text = [lines[start].replace(/^.*?: parsing failed /, '')];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('[scenario_execution]') || line.trim() === '') break;
    text.push(line);
  }
  return text.join('\n').trimEnd();
}

/**
 * @param {string} text what {@link pythonErrorText} returns
 * @param {string} source the fixture's text, to find where the construct ends
 * @returns {PythonRejection}
 */
export function parsePythonError(text, source) {
  const syntax = /^line (\d+):(\d+) (.*)$/s.exec(text);
  if (syntax) return { at: { line: Number(syntax[1]), column: Number(syntax[2]) + 1 }, message: syntax[3] };
  const located = /^[^(]*\(line: (\d+), column: (\d+) in '[^']*'\) -> (.*)$/s.exec(text);
  if (!located) return { message: text };
  const at = { line: Number(located[1]), column: Number(located[2]) + 1 };
  const rest = located[3];
  // `<construct>: <message>`: the construct may hold ': ' itself (`with:` and the indentation
  // after it); it is the first prefix found in the source where Python says it starts that is
  // followed by a message, not by more indentation.
  for (let split = rest.indexOf(': '); split >= 0; split = rest.indexOf(': ', split + 1)) {
    const construct = rest.slice(0, split);
    if (!/^\s/.test(rest.slice(split + 2)) && constructEnd(source, at, construct) !== undefined) {
      return { at, construct, message: rest.slice(split + 2) };
    }
  }
  return { at, message: rest };
}

/**
 * Our first error line on stderr.
 * @param {string} stderr
 * @returns {OurRejection | undefined}
 */
export function parseOurError(stderr) {
  for (const line of stderr.replace(ANSI, '').split('\n')) {
    const located = /:(\d+):(\d+): error: (.*)$/.exec(line);
    if (located) return { at: { line: Number(located[1]), column: Number(located[2]) }, message: located[3] };
    const bare = /^error: (.*)$/.exec(line);
    if (bare) return { message: bare[1] };
  }
  return undefined;
}

/**
 * Where a construct whose text (whitespace dropped) starts at `at` ends in the source:
 * the place of its last character, or undefined when the source there is not that text.
 * Comments between its tokens are skipped.
 * @param {string} source
 * @param {Place} at
 * @param {string} construct
 * @returns {Place | undefined}
 */
export function constructEnd(source, at, construct) {
  const wanted = construct.replace(/\s+/g, '');
  if (wanted === '') return undefined;
  const lines = source.split('\n');
  let line = at.line - 1;
  let column = at.column - 1;
  let end;
  let inString = '';
  for (const char of wanted) {
    for (;;) {
      if (line >= lines.length) return undefined;
      const here = lines[line][column];
      if (here === undefined) {
        line += 1;
        column = 0;
        continue;
      }
      if (inString === '' && here === '#' && char !== '#') {
        column = lines[line].length;
        continue;
      }
      if (/\s/.test(here) && here !== char) {
        column += 1;
        continue;
      }
      break;
    }
    const here = lines[line][column];
    if (here !== char) return undefined;
    if (here === '"' || here === "'") inString = inString === '' ? here : inString === here ? '' : inString;
    end = { line: line + 1, column: column + 1 };
    column += 1;
  }
  return end;
}

/**
 * Whether our place agrees with Python's: inside the construct Python names, or the
 * same token for a syntax error; anything when Python gives no place.
 * @param {PythonRejection} python
 * @param {OurRejection} ours
 * @param {string} source
 * @returns {boolean}
 */
export function samePlace(python, ours, source) {
  if (python.at === undefined) return true;
  if (ours.at === undefined) return false;
  if (python.construct === undefined) {
    return python.at.line === ours.at.line && python.at.column === ours.at.column;
  }
  const end = constructEnd(source, python.at, python.construct);
  if (end === undefined) return false;
  return !before(ours.at, python.at) && !before(end, ours.at);
}

/**
 * @param {Place} a
 * @param {Place} b
 */
function before(a, b) {
  return a.line < b.line || (a.line === b.line && a.column < b.column);
}

/** Python's place as text: `L:C` (1-based), `L:C-L:C` for a construct, `-` for none. */
export function describePythonPlace(/** @type {PythonRejection} */ python, /** @type {string} */ source) {
  if (python.at === undefined) return '-';
  const start = `${python.at.line}:${python.at.column}`;
  if (python.construct === undefined) return start;
  const end = constructEnd(source, python.at, python.construct);
  return end === undefined ? `${start}-?` : `${start}-${end.line}:${end.column}`;
}

/** Our place as text: `L:C`, `-` for none. */
export function describeOurPlace(/** @type {OurRejection} */ ours) {
  return ours.at === undefined ? '-' : `${ours.at.line}:${ours.at.column}`;
}

// ---------------------------------------------------------------------------
// Reasons. Categories:
//   syntax               the text is not OSC (parser error)
//   unknown-name X       a name that is not declared: variable, type, enum, member, field,
//                        event, method, actor, base, modifier, parameter in a parameter file
//   unknown-argument X   a named argument the callee does not have
//   too-many-arguments
//   no-implementation X  an action without an implementation (plugin)
//   type-mismatch A,B    a value of one type where another is needed (the two types, sorted)
//   parameter-value P    a parameter file value that does not fit parameter P (dotted path)
//   reserved-name X
//   unsupported X        a construct that is not supported (its keyword)
//   invalid-condition    a wait condition that is not a condition
//   no-scenario, several-scenarios, file-missing, file-extension X
//   not-overridable      (Python) a parameter of a type parameter files cannot set
//   duplicate X          (ours) a name declared twice
//   invalid-keep         (ours) a keep(...) that does not constrain a field of `it`
//   invalid-external     (ours) an external method without a module
//   internal-error       (Python) a Python exception escaped, e.g. "not enough values to unpack"

/** Constructs named by `unsupported`, found in either engine's message. */
const CONSTRUCTS = [
  ['element-access', /element access|\[i\]/i],
  ['enum-extension', /enum type extension/i],
  ['remove-default', /remove[_ ]default/i],
  ['type-test', /type test/i],
  ['keep-relation', /only (relation )?"?`?==/i],
  ['modifier', /^modifier/i],
  ['inherits-condition', /inherits condition/i],
  ['do', /^(do directory|`do`)/i],
  ['elapsed', /elapsed/i],
  ['call', /\bcall\b/i],
  ['cast', /\bcast\b/i],
  ['cover', /\bcover\b/i],
  ['every', /\bevery\b/i],
  ['fall', /\bfall\b/i],
  ['rise', /\brise\b/i],
  ['range', /\brange\b/i],
  ['record', /\brecord\b/i],
  ['sample', /\bsample\b/i],
  ['until', /\buntil\b/i],
];

/** @param {string} message */
function construct(message) {
  return CONSTRUCTS.find(([, pattern]) => pattern.test(message))?.[0] ?? '?';
}

/** A type name as both engines can be compared on: `list of string` and `listofstring` alike. */
function typeName(/** @type {string} */ name) {
  return name.replace(/\s+/g, '');
}

/** @param {string[]} names */
function types(...names) {
  return names.map(typeName).sort().join(',');
}

/** A parameter path: `item inner number` (Python) and `item.inner.number` or `value[1]` (ours) alike. */
function path(/** @type {string} */ text) {
  return text
    .trim()
    .replace(/\[\d+\]/g, '')
    .split(/[\s.]+/)
    .join('.');
}

/** @typedef {[RegExp, (m: RegExpExecArray) => string]} Rule */

/** @type {Rule[]} */
const PYTHON_RULES = [
  [/^(no viable alternative|extraneous input|mismatched input|missing |token recognition error)/, () => 'syntax'],
  [/^Identifier "[^"]*": Could not resolved (\S+?)\.?$/, (m) => `unknown-name ${m[1]}`],
  [/^Identifier "([^"]+)" not defined\.$/, (m) => `unknown-name ${m[1]}`],
  [/^Type "([^"]+)" not defined\.$/, (m) => `unknown-name ${m[1]}`],
  [/^Enum type \S+ unknown\.$/, (m) => `unknown-name ${/^Enum type (\S+)/.exec(m[0])?.[1]}`],
  [/does not have a member "([^"]+)"\.$/, (m) => `unknown-name ${m[1]}`],
  [/refers to unknown event (\S+?)\.$/, (m) => `unknown-name ${m[1]}`],
  [/inherits from unknown "([^"]+)"\.$/, (m) => `unknown-name ${m[1]}`],
  [/refers to unknown actor "([^"]+)"\.$/, (m) => `unknown-name ${m[1]}`],
  [/refers to unknown physical name "([^"]+)"\.$/, (m) => `unknown-name ${m[1]}`],
  [/^keep reference \S+ not found in \S+\. Unknown key "([^"]+)"$/, (m) => `unknown-name ${m[1]}`],
  [/^BehaviorInvocation uses unknown behavior "([^"]+)"\.$/, (m) => `unknown-name ${m[1]}`],
  [/^Unknown modifier "([^"]+)"\./, (m) => `unknown-name ${m[1]}`],
  [/^(?:[\w ]+ )?Unknown override values found: (.+)$/, (m) => `unknown-name ${m[1]}`],
  [/^Scenario Parameter Overrides contain unknown (?:parameter|scenario)\(s\): (.+)$/, (m) => `unknown-name ${m[1]}`],
  [/^Named argument (\S+) unknown\.$/, (m) => `unknown-argument ${m[1]}`],
  [/^Too many positional arguments\.$/, () => 'too-many-arguments'],
  [/^No plugins found for action "([^"]+)"\.$/, (m) => `no-implementation ${m[1]}`],
  [/^Parameter type "([^"]+)" does not match value type "([^"]+)"\.$/, (m) => `type-mismatch ${types(m[1], m[2])}`],
  [
    /^List entry does not have valid type\. Expected "([^"]+)", found "([^"]+)"\.$/,
    (m) => `type-mismatch ${types(m[1], m[2])}`,
  ],
  [
    /^([\w ]+?) (?:Expected [\w, ]+, got \w+|[\w ]+ expected, found \w+|Invalid physical literal\.)$/,
    (m) => `parameter-value ${path(m[1])}`,
  ],
  [/^\w+ Type not supported \(supported: [^)]*\): /, () => 'not-overridable'],
  [/^[\w ]+ Unknown override type \(supported: /, () => 'unsupported override-value'],
  [/^Type name starting with listof is not allowed\.$/, () => 'reserved-name listof'],
  [/uses reserved (?:name |paramater name ")(\w+)"?\.$/, (m) => `reserved-name ${m[1]}`],
  [
    /(not (yet )?supported|currently only support|only supports|is currently supported)/,
    (m) => `unsupported ${construct(m.input)}`,
  ],
  [/^Invalid event condition /, () => 'invalid-condition'],
  [/^No scenario defined\.$/, () => 'no-scenario'],
  [/^More than one scenario defined\.$/, () => 'several-scenarios'],
  [/^File does not exist$/, () => 'file-missing'],
  [/^File has unknown extension '([^']+)'/, (m) => `file-extension ${m[1]}`],
  [/^(not enough values to unpack|'\w+' codec can't decode|'\w+' object has no attribute)/, () => 'internal-error'],
];

/** @type {Rule[]} */
const OUR_RULES = [
  [/^expected .*, found /, () => 'syntax'],
  [/^unknown (?:name|type|enum type|event|actor) `([^`]+)`$/, (m) => `unknown-name ${m[1]}`],
  [/^`[^`]+` has no (?:method|field|member) `([^`]+)`$/, (m) => `unknown-name ${m[1]}`],
  [/^enum `[^`]+` has no member `([^`]+)`$/, (m) => `unknown-name ${m[1]}`],
  [/inherits from unknown `([^`]+)`$/, (m) => `unknown-name ${m[1]}`],
  [/refers to unknown actor `([^`]+)`$/, (m) => `unknown-name ${m[1]}`],
  [/^unit `[^`]+` is of unknown physical type `([^`]+)`$/, (m) => `unknown-name ${m[1]}`],
  [/^Unknown modifier "([^"]+)"\./, (m) => `unknown-name ${m[1]}`],
  [
    /^scenario parameter file '[^']*': parameter `[^`]+`: `[^`]+` has no field\(s\) (.+)$/,
    (m) => `unknown-name ${m[1]}`,
  ],
  [
    /^scenario parameter file '[^']*': unknown (?:parameter\(s\) of scenario `[^`]+`|scenario\(s\)): (.+)$/,
    (m) => `unknown-name ${m[1]}`,
  ],
  [/^scenario parameter file '[^']*': parameter `([^`]+)`: expected /, (m) => `parameter-value ${path(m[1])}`],
  [/^\w+ `[^`]+` has no parameter `([^`]+)`/, (m) => `unknown-argument ${m[1]}`],
  [/^too many arguments: /, () => 'too-many-arguments'],
  [/^no implementation found for action '([^']+)'/, (m) => `no-implementation ${m[1]}`],
  [
    /^(?:`[^`]+`: |argument `[^`]+` of `[^`]+`: )?expected (.+), got ([^,;]+)$/,
    (m) => `type-mismatch ${types(m[1], m[2])}`,
  ],
  [/^list elements must have one type: expected (.+), got (.+)$/, (m) => `type-mismatch ${types(m[1], m[2])}`],
  [/^cannot \w+ (\S+) and (\S+)$/, (m) => `type-mismatch ${types(m[1], m[2])}`],
  [/^`([^`]+)` is a reserved \w+ name$/, (m) => `reserved-name ${m[1]}`],
  [/uses the reserved parameter name `([^`]+)`$/, (m) => `reserved-name ${m[1]}`],
  [/(is not supported|is only supported|only `==` is supported)/, (m) => `unsupported ${construct(m.input)}`],
  [/^elapsed\(…\) needs a time such as `[^`]+`, got (\w+)$/, (m) => `type-mismatch ${types('time', m[1])}`],
  [/^keep\(…\) must constrain a field of `it`/, () => 'invalid-keep'],
  [/^external method `[^`]+` needs a module/, () => 'invalid-external'],
  [/^a wait condition must be a bool/, () => 'invalid-condition'],
  [/^No scenario defined\.$/, () => 'no-scenario'],
  [/^More than one scenario defined/, () => 'several-scenarios'],
  [/: file does not exist$/, () => 'file-missing'],
  [/: file has unknown extension '([^']+)'/, (m) => `file-extension ${m[1]}`],
  [/^`([^`]+)` is already declared/, (m) => `duplicate ${m[1]}`],
];

/**
 * @param {Rule[]} rules
 * @param {string} message
 */
function classify(rules, message) {
  for (const [pattern, reason] of rules) {
    const match = pattern.exec(message);
    if (match) return reason(match);
  }
  return `unclassified: ${message}`;
}

/** The normalised reason of a Python error message. */
export function pythonReason(/** @type {string} */ message) {
  return classify(PYTHON_RULES, message);
}

/** The normalised reason of one of our error messages. */
export function ourReason(/** @type {string} */ message) {
  return classify(OUR_RULES, message);
}

/**
 * Whether two normalised reasons agree: the same category and, where both name a subject,
 * the same subject, or one a dotted part of the other (`random.seed` and `random`).
 * @param {string} python
 * @param {string} ours
 */
export function sameReason(python, ours) {
  if (python.startsWith('unclassified') || ours.startsWith('unclassified')) return false;
  const [category, subject = ''] = python.split(/ (.*)/s);
  const [ourCategory, ourSubject = ''] = ours.split(/ (.*)/s);
  if (category !== ourCategory) return false;
  if (subject === '' || ourSubject === '' || subject === ourSubject) return true;
  const parts = subject.split('.');
  const ourParts = ourSubject.split('.');
  return parts.includes(ourSubject) || ourParts.includes(subject);
}

/**
 * Our rejection as deliberate.ts records it (place and normalised reason), or undefined
 * when the run was no rejection (the scenario loaded, exited 0, or said nothing on stderr).
 * @param {{ exit: number, loaded: boolean }} outcome
 * @param {string} stderr
 * @returns {{ at: string, reason: string } | undefined}
 */
export function ourRejection(outcome, stderr) {
  if (outcome.exit === 0 || outcome.loaded) return undefined;
  const ours = parseOurError(stderr);
  return ours && { at: describeOurPlace(ours), reason: ourReason(ours.message) };
}

/**
 * Our rejection against Python's: `{ place: 'same', reason: 'same' }` when they agree,
 * else what each engine says.
 * @param {string} pythonText the error text Python recorded ({@link pythonErrorText})
 * @param {string} stderr what our engine wrote to stderr
 * @param {string} source the fixture's text
 * @returns {{ place: string, reason: string }}
 */
export function compareRejections(pythonText, stderr, source) {
  const python = parsePythonError(pythonText, source);
  const pythonWhy = pythonReason(python.message);
  const ours = parseOurError(stderr);
  if (ours === undefined) return { place: 'ours: no error on stderr', reason: `ours: none, Python: ${pythonWhy}` };
  const ourWhy = ourReason(ours.message);
  return {
    place: samePlace(python, ours, source)
      ? 'same'
      : `ours: ${describeOurPlace(ours)}, Python: ${describePythonPlace(python, source)}`,
    reason: sameReason(pythonWhy, ourWhy) ? 'same' : `ours: ${ourWhy}, Python: ${pythonWhy}`,
  };
}
