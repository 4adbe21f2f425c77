/**
 * The table printer, with virsh's vshTable rules: every cell is preceded by one space, cells
 * but the last are padded to the column width plus two spaces (a three-space gap), the dashed
 * rule is the sum of (width + 3) over all columns, and the last column is never padded. With
 * `header` false (virsh -q) neither the header nor the rule prints and header cells do not
 * count toward widths. Control characters print as `\xNN`, as virsh's safe encoding does.
 */

/** Escapes control characters (and a literal `\x`) the way vshTableSafeEncode does. */
function safeEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || (s[i] === '\\' && s[i + 1] === 'x')) {
      out += '\\x' + c.toString(16).padStart(2, '0');
    } else {
      out += s[i];
    }
  }
  return out;
}

/** Display width of a string: East Asian wide characters count two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    w += (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) || (cp >= 0x20000 && cp <= 0x3fffd)
      ? 2
      : 1;
  }
  return w;
}

/** Formats `rows` under `headers` as virsh prints a table; returns the text with a final newline. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[], header = true): string {
  const all = (header ? [headers, ...rows] : rows).map((r) => r.map(safeEncode));
  const widths = headers.map((_, j) => Math.max(0, ...all.map((r) => width(r[j] ?? ''))));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, j) => ' ' + c + (j < cells.length - 1 ? ' '.repeat(widths[j] - width(c) + 2) : ''))
      .join('') + '\n';
  let out = '';
  if (header) {
    out += line(all[0]);
    out += '-'.repeat(widths.reduce((a, w) => a + w + 3, 0)) + '\n';
  }
  for (const r of header ? all.slice(1) : all) out += line(r);
  return out;
}
