/**
 * Builds libvirt's VIR_ERR_XML_DETAIL errors the way libxml2 + virXMLParse print them:
 * "(domain_definition):LINE: message", then the offending line and a caret under the column.
 */
import { VirtError, virtError } from '@virtkit/core';

/** VIR_ERR_XML_DETAIL. */
export const VIR_ERR_XML_DETAIL = 35;

/** The error for a not well-formed document at offset `at` of `s`. */
export function xmlDetailError(s: string, at: number, message: string, url = 'domain_definition', domain = 0): VirtError {
  const pos = Math.min(Math.max(at, 0), s.length);
  const line = lineOf(s, pos);
  const lineStart = s.lastIndexOf('\n', pos - 1) + 1;
  let lineEnd = s.indexOf('\n', pos);
  if (lineEnd < 0) lineEnd = s.length;
  // libxml2 shows at most 80 columns around the error
  let from = lineStart;
  if (pos - from > 78) from = pos - 78;
  const ctx = s.slice(from, Math.min(lineEnd, from + 80));
  const caret = '-'.repeat(pos - from) + '^';
  return virtError(VIR_ERR_XML_DETAIL, `(${url}):${line}: ${message}\n${ctx}\n${caret}`, domain);
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
