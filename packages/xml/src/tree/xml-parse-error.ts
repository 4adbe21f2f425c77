/**
 * Builds libvirt's VIR_ERR_XML_DETAIL errors the way libxml2 + virXMLParse print them:
 * "(domain_definition):LINE: message", then the offending line and a caret under the column.
 */
import { VirtError, virtError } from '@virtkit/core';

/** VIR_ERR_XML_DETAIL. */
export const VIR_ERR_XML_DETAIL = 35;

/**
 * The error for a not well-formed document at offset `at` of `s`, built like libvirt's
 * catchXMLError: the whole line around the position (the previous one when the position is
 * a line end), '-' (or tab) up to the column, then '^'; an empty line prints as "(null)".
 */
export function xmlDetailError(s: string, at: number, message: string, url = 'domain_definition', domain = 0, line?: number): VirtError {
  const pos = Math.min(Math.max(at, 0), s.length);
  let cur = pos;
  while (cur > 0 && (s[cur] === '\n' || s[cur] === '\r')) cur--;
  while (cur > 0 && s[cur] !== '\n' && s[cur] !== '\r') cur--;
  if (s[cur] === '\n' || s[cur] === '\r') cur++;
  const col = pos - cur;
  let end = cur;
  while (end < s.length && s[end] !== '\n' && s[end] !== '\r') end++;
  const ctx = s.slice(cur, end);
  let pointer = '';
  for (let n = 0; n < col && n < ctx.length; n++) pointer += ctx[n] === '\t' ? '\t' : '-';
  pointer += '^';
  const where = url ? `(${url}):${line ?? lineOf(s, pos)}` : `at line ${line ?? lineOf(s, pos)}`;
  return virtError(VIR_ERR_XML_DETAIL, `${where}: ${message}\n${ctx || '(null)'}\n${pointer}`, domain);
}

/** 1-based line of offset `at`. */
export function lineOf(s: string, at: number): number {
  let n = 1;
  let j = s.indexOf('\n');
  while (j >= 0 && j < at) {
    n++;
    j = s.indexOf('\n', j + 1);
  }
  return n;
}
