/**
 * Error classes of the QMP client. Every error names the command it concerns (when there is
 * one) so that a failure deep inside a driver still says which QMP command went wrong.
 */

/** Base class of every error this package throws or rejects with. */
export class QmpClientError extends Error {
  override name = 'QmpClientError';
}

/**
 * QEMU answered a command with `{"error": {"class", "desc"}}`.
 *
 * `command` is undefined only for an error that carried no id and could not be attributed
 * (see the README, "Errors without an id").
 */
export class QmpError extends QmpClientError {
  override name = 'QmpError';
  /** QEMU's error class, e.g. `GenericError`, `CommandNotFound`, `DeviceNotFound`. */
  readonly errorClass: string;
  /** QEMU's human-readable description. */
  readonly desc: string;
  /** The command that failed, when known. */
  readonly command: string | undefined;
  /** True when QEMU sent the error without an id (a parse error on its side). */
  readonly idless: boolean;

  /** Creates the error from QEMU's `error` member. */
  constructor(errorClass: string, desc: string, command?: string, idless = false) {
    super(command === undefined ? `QMP error ${errorClass}: ${desc}` : `QMP command '${command}' failed (${errorClass}): ${desc}`);
    this.errorClass = errorClass;
    this.desc = desc;
    this.command = command;
    this.idless = idless;
  }
}

/**
 * The connection ended (EOF, socket error, protocol error or `close()`) before a command was
 * answered, or a command was issued on a connection that is not (or no longer) ready.
 * `cause` holds the underlying error when there is one.
 */
export class QmpDisconnectedError extends QmpClientError {
  override name = 'QmpDisconnectedError';
  /** The command that did not get its reply, when the error concerns one. */
  readonly command: string | undefined;

  /** Creates the error; `reason` says why the connection ended. */
  constructor(command: string | undefined, reason: string, options?: { cause?: unknown }) {
    super(command === undefined ? `QMP connection closed: ${reason}` : `QMP connection closed before '${command}' was answered: ${reason}`, options);
    this.command = command;
  }
}

/** A command (or connect, or waitForEvent) did not finish within its timeout. */
export class QmpTimeoutError extends QmpClientError {
  override name = 'QmpTimeoutError';
  /** The command or operation that timed out. */
  readonly command: string;
  /** The timeout in milliseconds. */
  readonly timeout: number;

  /** Creates the error for `command` after `timeout` ms. */
  constructor(command: string, timeout: number) {
    super(`QMP '${command}' timed out after ${timeout} ms`);
    this.command = command;
    this.timeout = timeout;
  }
}

/**
 * The peer broke the protocol: malformed JSON, a message over the size limit, a missing or
 * bad greeting, a reply of unknown shape. The connection is closed with this error.
 */
export class QmpProtocolError extends QmpClientError {
  override name = 'QmpProtocolError';
}

/** A command needs a capability the server did not offer (e.g. `oob`). */
export class QmpCapabilityError extends QmpClientError {
  override name = 'QmpCapabilityError';
}

/**
 * A command was refused before sending because QEMU's JSON parser would reject it (nesting
 * deeper than 1024 levels, or a message over 64 MiB). Sending it would make QEMU answer with
 * a cascade of id-less parse errors.
 */
export class QmpRequestError extends QmpClientError {
  override name = 'QmpRequestError';
  /** The command that was refused. */
  readonly command: string;

  /** Creates the error for `command`. */
  constructor(command: string, reason: string) {
    super(`QMP command '${command}' not sent: ${reason}`);
    this.command = command;
  }
}
