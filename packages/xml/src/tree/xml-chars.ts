/**
 * Character classes of the XML parser, by char code.
 */

/** XML NameStartChar (ASCII letters, _ and :, and anything beyond ASCII). */
export function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58 || c >= 0x80;
}
/** XML NameChar. */
export function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 46;
}
/** 0-9. */
export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
/** 0-9, a-f, A-F. */
export function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}
/** XML white space. */
export function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}
