/**
 * QEMU's JSON parser limits (qobject/json-streamer.c in 7.2). A request over them is not
 * just refused: the parser resynchronises token by token and answers with a stream of
 * id-less errors, so such requests are stopped before they are sent.
 */

/** Deepest nesting of `{` and `[` QEMU accepts in one message. */
export const QEMU_MAX_NESTING = 1024;
/** Largest message QEMU accepts (sum of its tokens), in bytes. */
export const QEMU_MAX_MESSAGE = 64 * 1024 * 1024;

/**
 * Why QEMU would refuse a request whose `arguments` serialise to `argsJson`, or undefined.
 * Cheap for ordinary requests: nesting deeper than the limit needs at least two characters
 * per level, so short arguments are not scanned.
 */
export function requestLimitViolation(argsJson: string): string | undefined {
  if (argsJson.length > QEMU_MAX_MESSAGE) return `arguments are ${argsJson.length} bytes, over QEMU's limit of ${QEMU_MAX_MESSAGE}`;
  // The request's own object adds one level around the arguments.
  const budget = QEMU_MAX_NESTING - 1;
  if (argsJson.length <= budget * 2) return undefined;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < argsJson.length; i++) {
    const c = argsJson.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > budget) return `arguments nest deeper than QEMU's limit of ${QEMU_MAX_NESTING} levels`;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return undefined;
}
