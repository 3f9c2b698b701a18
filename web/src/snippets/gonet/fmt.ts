// Go's fmt for snippets: sprintf with Go's common verbs (%v %+v %d %s %q %x %X %c %t %f %e %T %p %%, widths,
// precision, '-' and '0' flags), println / printf / print to the console, and errorf with %w wrapping. Formatting is pure.
import { GoError } from './errors';
import { output } from './host';

function isBytes(v: unknown): v is Uint8Array {
  return v instanceof Uint8Array;
}

/** Go's %v for a JavaScript value. */
export function formatValue(v: unknown, plus = false, depth = 0): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) || !Number.isFinite(v) ? formatNumber(v) : String(v);
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (typeof v === 'function') return `func ${v.name || ''}`.trim();
  if (typeof v === 'symbol') return v.toString();
  if (v instanceof Error) return v.message;
  if (depth > 4) return '…';
  if (isBytes(v) || Array.isArray(v))
    return `[${Array.from(v as ArrayLike<unknown>, (x) => formatValue(x, plus, depth + 1)).join(' ')}]`;
  if (v instanceof Map)
    return `map[${[...v].map(([k, x]) => `${formatValue(k, plus, depth + 1)}:${formatValue(x, plus, depth + 1)}`).join(' ')}]`;
  if (v instanceof Set) return `[${[...v].map((x) => formatValue(x, plus, depth + 1)).join(' ')}]`;
  const custom = (v as { toString?: () => string; string?: () => string }).string;
  if (typeof custom === 'function') return String(custom.call(v));
  const own = (v as { toString?: () => string }).toString;
  if (typeof own === 'function' && own !== Object.prototype.toString) return String(own.call(v));
  const entries = Object.entries(v as object);
  return `{${entries.map(([k, x]) => (plus ? `${k}:${formatValue(x, plus, depth + 1)}` : formatValue(x, plus, depth + 1))).join(' ')}}`;
}

function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return String(n);
}

function typeName(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (v instanceof Uint8Array) return '[]uint8';
  if (Array.isArray(v)) return '[]interface {}';
  if (v instanceof Error) return `*${v.name}`;
  return (v as object).constructor?.name ?? 'object';
}

function quote(s: string): string {
  return JSON.stringify(s);
}

function hex(v: unknown, upper: boolean): string {
  let out: string;
  if (typeof v === 'number' || typeof v === 'bigint')
    out = (typeof v === 'number' && v < 0 ? '-' : '') + Math.abs(Number(v)).toString(16);
  else if (typeof v === 'string')
    out = Array.from(new TextEncoder().encode(v), (b) => b.toString(16).padStart(2, '0')).join('');
  else if (isBytes(v)) out = Array.from(v, (b) => b.toString(16).padStart(2, '0')).join('');
  else out = formatValue(v);
  return upper ? out.toUpperCase() : out;
}

function pad(s: string, width: number | null, left: boolean, zero: boolean): string {
  if (width === null || s.length >= width) return s;
  if (left) return s.padEnd(width);
  if (zero) {
    const sign = s.startsWith('-') ? '-' : '';
    return sign + s.slice(sign.length).padStart(width - sign.length, '0');
  }
  return s.padStart(width);
}

/** Go's fmt.Sprintf. Missing or extra arguments are reported in the text as Go does (%!d(MISSING), %!(EXTRA …)). */
export function sprintf(format: string, ...args: unknown[]): string {
  let out = '';
  let argi = 0;
  const re = /%([-+ 0#]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/g;
  let last = 0;
  for (let m = re.exec(format); m; m = re.exec(format)) {
    out += format.slice(last, m.index);
    last = re.lastIndex;
    const [, flags = '', w, p, verb] = m;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const v = args[argi++];
    const width = w === undefined ? null : Number(w);
    const prec = p === undefined ? null : Number(p);
    let s: string;
    switch (verb) {
      case 'v':
        s = formatValue(v, flags.includes('+'));
        break;
      case 'd':
        s =
          typeof v === 'number' || typeof v === 'bigint'
            ? String(typeof v === 'number' ? Math.trunc(v) : v)
            : `%!d(${typeName(v)}=${formatValue(v)})`;
        if (flags.includes('+') && typeof v === 'number' && v >= 0) s = `+${s}`;
        break;
      case 's':
        s = formatValue(v);
        if (prec !== null) s = s.slice(0, prec);
        break;
      case 'q':
        s = typeof v === 'number' ? `'${String.fromCodePoint(v)}'` : quote(formatValue(v));
        break;
      case 'x':
      case 'X':
        s = hex(v, verb === 'X');
        break;
      case 'c':
        s = typeof v === 'number' ? String.fromCodePoint(v) : `%!c(${typeName(v)}=${formatValue(v)})`;
        break;
      case 't':
        s = typeof v === 'boolean' ? String(v) : `%!t(${typeName(v)}=${formatValue(v)})`;
        break;
      case 'f':
      case 'F':
        s = typeof v === 'number' ? v.toFixed(prec ?? 6) : `%!f(${typeName(v)}=${formatValue(v)})`;
        break;
      case 'e':
        s =
          typeof v === 'number'
            ? v.toExponential(prec ?? 6).replace(/e([+-])(\d)$/, 'e$10$2')
            : `%!e(${typeName(v)}=${formatValue(v)})`;
        break;
      case 'T':
        s = typeName(v);
        break;
      case 'w':
        s = formatValue(v);
        break;
      default:
        s = `%!${verb}(${typeName(v)}=${formatValue(v)})`;
    }
    out += pad(s, width, flags.includes('-'), flags.includes('0') && 'dxXfFe'.includes(verb!));
  }
  out += format.slice(last);
  if (argi < args.length)
    out += `%!(EXTRA ${args
      .slice(argi)
      .map((a) => `${typeName(a)}=${formatValue(a)}`)
      .join(', ')})`;
  return out;
}

/** Go's fmt.Sprint: operands joined, with spaces only between operands when neither is a string. */
export function sprint(...args: unknown[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatValue(a);
  });
  return out;
}

/** Go's fmt.Sprintln: operands separated by spaces, then a newline. */
export function sprintln(...args: unknown[]): string {
  return `${args.map((a) => formatValue(a)).join(' ')}\n`;
}

export function println(...args: unknown[]): void {
  output('stdout', sprintln(...args));
}

export function printf(format: string, ...args: unknown[]): void {
  output('stdout', sprintf(format, ...args));
}

export function print(...args: unknown[]): void {
  output('stdout', sprint(...args));
}

/** Go's fmt.Errorf: `%w` wraps the error, so errors.is finds it. */
export function errorf(format: string, ...args: unknown[]): Error {
  const verbs = [...format.matchAll(/%[-+ 0#]*\d*(?:\.\d+)?([a-zA-Z%])/g)].map((m) => m[1]).filter((v) => v !== '%');
  const wrapped = verbs.findIndex((v) => v === 'w');
  const cause = wrapped >= 0 ? args[wrapped] : undefined;
  return new GoError(sprintf(format, ...args), cause === undefined ? undefined : { cause });
}
