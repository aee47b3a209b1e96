// Finds where a JSON text (RFC 8259) first goes wrong, as line, column and offset, because
// JSON.parse in Node 20 does not report a position for every error.

export interface JsonErrorLocation {
  /** 0-based offset in UTF-16 code units, as JSON.parse reports positions. */
  readonly offset: number;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  readonly reason: string;
}

class JsonSyntax {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {}
}

const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const LITERALS = ['true', 'false', 'null'];

/** The first error in text, or undefined when text is valid JSON (or nests too deep to scan). */
export function locateJsonError(text: string): JsonErrorLocation | undefined {
  let i = 0;
  const fail = (reason: string): never => {
    throw new JsonSyntax(i, i >= text.length ? `${reason} (the file ends here)` : `${reason}, found ${JSON.stringify(text[i])}`);
  };
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const string = (): void => {
    i++;
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const c = text[i];
      if (c === '"') break;
      if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else (i++, fail('invalid escape in string'));
      } else if (c.charCodeAt(0) < 0x20) fail('control character in string (escape it)');
      else i++;
    }
    i++;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') return members('}', () => {
      if (text[i] !== '"') fail('expected a double-quoted property name');
      string();
      ws();
      if (text[i] !== ':') fail("expected ':' after the property name");
      i++;
      value();
    });
    if (c === '[') return members(']', value);
    if (c === '"') return string();
    NUMBER.lastIndex = i;
    const number = NUMBER.exec(text);
    if (number !== null && number[0] !== '-' && number[0] !== '') {
      i += number[0].length;
      return;
    }
    const literal = LITERALS.find((l) => text.startsWith(l, i));
    if (literal !== undefined) i += literal.length;
    else fail('expected a value');
  };
  const members = (close: string, member: () => void): void => {
    i++;
    ws();
    if (text[i] === close) return void i++;
    for (;;) {
      if (close === ']') value();
      else (ws(), member());
      ws();
      if (text[i] === close) return void i++;
      if (text[i] !== ',') fail(`expected ',' or '${close}'`);
      i++;
      ws();
      if (text[i] === close) fail(`expected another ${close === '}' ? 'property' : 'element'} after ',' (trailing commas are not JSON)`);
    }
  };
  try {
    value();
    ws();
    if (i < text.length) fail('unexpected text after the JSON value');
    return undefined;
  } catch (error) {
    if (!(error instanceof JsonSyntax)) return undefined; // RangeError: nested too deep to scan
    const before = text.slice(0, error.offset);
    const line = before.split('\n').length;
    const column = error.offset - before.lastIndexOf('\n');
    return { offset: error.offset, line, column, reason: error.reason };
  }
}
