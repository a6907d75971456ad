/**
 * A small XML reader and writer for JUnit result files.
 *
 * The reader builds the element tree Python's ElementTree builds (comments and
 * processing instructions dropped, CDATA as text, attribute values normalised
 * as an XML parser must), so that a merged file can be written in the layout
 * Python's `scenario_batch_execution` writes: its `ElementTree.indent` with a
 * tab and `write(..., xml_declaration=True)`. Namespaces, DTDs and encodings
 * other than UTF-8 are not supported: a JUnit file has none of them.
 */

/** An element: its tag, attributes in document order, text before the first child, children with their tails. */
export interface XmlElement {
  tag: string;
  attributes: [string, string][];
  /** Text before the first child (or all text of a leaf); undefined when none. */
  text: string | undefined;
  children: XmlElement[];
  /** Text after the element's end tag, up to the next sibling or the parent's end. */
  tail: string | undefined;
}

/** A document that is not well-formed XML (or uses a feature this reader does not support). */
export class XmlSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlSyntaxError';
  }
}

export function element(tag: string, attributes: [string, string][] = []): XmlElement {
  return { tag, attributes, text: undefined, children: [], tail: undefined };
}

export function getAttribute(node: XmlElement, name: string): string | undefined {
  return node.attributes.find(([key]) => key === name)?.[1];
}

/** Set an attribute, keeping its place when it exists (as a Python dict does). */
export function setAttribute(node: XmlElement, name: string, value: string): void {
  const existing = node.attributes.find(([key]) => key === name);
  if (existing) existing[1] = value;
  else node.attributes.push([name, value]);
}

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const NAME = /^[A-Za-z_:\u00C0-\uFFFF][-A-Za-z0-9_:.\u00B7\u00C0-\uFFFF]*/;

/** Parse a document; throws XmlSyntaxError with the offset of the first problem. */
export function parseXml(source: string): XmlElement {
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  let pos = 0;
  const fail = (what: string): never => {
    const line = text.slice(0, pos).split('\n').length;
    throw new XmlSyntaxError(`${what} (line ${line})`);
  };
  const skipSpace = () => {
    while (pos < text.length && /\s/.test(text[pos] as string)) pos++;
  };
  const expect = (literal: string) => {
    if (!text.startsWith(literal, pos)) fail(`expected '${literal}'`);
    pos += literal.length;
  };
  const readName = (): string => {
    const match = NAME.exec(text.slice(pos, pos + 1000));
    if (!match) return fail('expected a name');
    pos += match[0].length;
    return match[0];
  };
  const decode = (raw: string): string =>
    raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);|&/g, (whole, ref: string | undefined) => {
      if (ref === undefined) return fail('stray & (not a reference)');
      if (ref.startsWith('#')) {
        const code = ref.startsWith('#x') ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
        if (!(code > 0 && code <= 0x10ffff)) return fail(`bad character reference ${whole}`);
        return String.fromCodePoint(code);
      }
      const value = PREDEFINED[ref];
      return value ?? fail(`undefined entity ${whole}`);
    });
  /** Skip comments, processing instructions and white space between markup outside the root. */
  const skipMisc = (allowDoctype: boolean) => {
    for (let guard = 0; guard < text.length + 1; guard++) {
      skipSpace();
      if (text.startsWith('<!--', pos)) {
        const end = text.indexOf('-->', pos + 4);
        if (end < 0) fail('unterminated comment');
        pos = end + 3;
      } else if (text.startsWith('<?', pos)) {
        const end = text.indexOf('?>', pos + 2);
        if (end < 0) fail('unterminated processing instruction');
        pos = end + 2;
      } else if (allowDoctype && text.startsWith('<!DOCTYPE', pos)) {
        const end = text.indexOf('>', pos);
        if (end < 0 || text.slice(pos, end).includes('[')) fail('DTDs are not supported');
        pos = end + 1;
      } else return;
    }
  };

  const readElement = (depth: number): XmlElement => {
    if (depth > 1000) fail('elements nested too deeply');
    expect('<');
    const node = element(readName());
    for (;;) {
      const before = pos;
      skipSpace();
      if (text.startsWith('/>', pos)) {
        pos += 2;
        return node;
      }
      if (text[pos] === '>') {
        pos++;
        break;
      }
      if (pos === before) fail(`expected white space, '>' or '/>' in <${node.tag}>`);
      const name = readName();
      if (node.attributes.some(([key]) => key === name)) fail(`duplicate attribute ${name}`);
      skipSpace();
      expect('=');
      skipSpace();
      const quote = text[pos];
      if (quote !== '"' && quote !== "'") return fail('expected a quoted attribute value');
      const end = text.indexOf(quote, pos + 1);
      if (end < 0) fail('unterminated attribute value');
      const raw = text.slice(pos + 1, end);
      if (raw.includes('<')) fail("'<' in an attribute value");
      // Attribute-value normalisation: literal white space characters become spaces.
      node.attributes.push([name, decode(raw.replace(/[\t\n]/g, ' '))]);
      pos = end + 1;
    }
    // Content: text, CDATA, comments, PIs and child elements, up to the end tag.
    let pending = '';
    const flush = () => {
      if (pending === '') return;
      const last = node.children.at(-1);
      if (last) last.tail = (last.tail ?? '') + pending;
      else node.text = (node.text ?? '') + pending;
      pending = '';
    };
    for (;;) {
      if (pos >= text.length) fail(`unclosed <${node.tag}>`);
      const lt = text.indexOf('<', pos);
      if (lt < 0) fail(`unclosed <${node.tag}>`);
      if (lt > pos) {
        const raw = text.slice(pos, lt);
        if (raw.includes(']]>')) fail("']]>' in text");
        pending += decode(raw);
        pos = lt;
      }
      if (text.startsWith('</', pos)) {
        pos += 2;
        const name = readName();
        if (name !== node.tag) fail(`</${name}> closes <${node.tag}>`);
        skipSpace();
        expect('>');
        flush();
        return node;
      }
      if (text.startsWith('<![CDATA[', pos)) {
        const end = text.indexOf(']]>', pos);
        if (end < 0) fail('unterminated CDATA section');
        pending += text.slice(pos + 9, end);
        pos = end + 3;
      } else if (text.startsWith('<!--', pos)) {
        const end = text.indexOf('-->', pos + 4);
        if (end < 0) fail('unterminated comment');
        pos = end + 3;
      } else if (text.startsWith('<?', pos)) {
        const end = text.indexOf('?>', pos + 2);
        if (end < 0) fail('unterminated processing instruction');
        pos = end + 2;
      } else if (text.startsWith('<!', pos)) {
        fail('unsupported markup declaration');
      } else {
        flush();
        node.children.push(readElement(depth + 1));
      }
    }
  };

  skipMisc(true);
  if (text[pos] !== '<') fail(pos >= text.length ? 'no element found' : 'text before the root element');
  const root = readElement(0);
  skipMisc(false);
  if (pos < text.length) fail('junk after the root element');
  return root;
}

/** Escape text content as ElementTree writes it. */
function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escape an attribute value as ElementTree writes it. */
function escapeAttribute(text: string): string {
  return escapeText(text)
    .replace(/"/g, '&quot;')
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#09;');
}

/** Python's `str.strip()` emptiness: undefined, empty or white space only. */
function isBlank(text: string | undefined): boolean {
  return text === undefined || text.trim() === '';
}

/** Re-indent a tree as `ElementTree.indent(tree, space)`: only white-space-only text and tails change. */
export function indentTree(root: XmlElement, space: string): void {
  const indentation = (level: number) => `\n${space.repeat(level)}`;
  const indentChildren = (node: XmlElement, level: number) => {
    const childIndentation = indentation(level + 1);
    if (isBlank(node.text)) node.text = childIndentation;
    for (const child of node.children) {
      if (child.children.length > 0) indentChildren(child, level + 1);
      if (isBlank(child.tail)) child.tail = childIndentation;
    }
    const last = node.children.at(-1) as XmlElement;
    if (isBlank(last.tail)) last.tail = indentation(level);
  };
  if (root.children.length > 0) indentChildren(root, 0);
}

/** Serialise as `ElementTree.write(file, encoding='utf-8', xml_declaration=True)` (no tail after the root). */
export function serializeXml(root: XmlElement): string {
  const out: string[] = ["<?xml version='1.0' encoding='utf-8'?>\n"];
  const write = (node: XmlElement) => {
    out.push(`<${node.tag}`);
    for (const [name, value] of node.attributes) out.push(` ${name}="${escapeAttribute(value)}"`);
    if (node.text || node.children.length > 0) {
      out.push('>');
      if (node.text) out.push(escapeText(node.text));
      for (const child of node.children) {
        write(child);
        if (child.tail) out.push(escapeText(child.tail));
      }
      out.push(`</${node.tag}>`);
    } else {
      out.push(' />');
    }
  };
  write(root);
  return out.join('');
}
