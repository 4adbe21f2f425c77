/**
 * Optional traffic logging with pino. The client logs every command, reply, event and the
 * close at debug level to whatever `options.logger` it is given; this builds such a logger.
 * `VIRTKIT_QMP_DEBUG=1` in the environment gives every client without a logger one on stderr.
 */
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { QmpLogger } from './wire.js';

/** A pino logger at debug level named `qmp` (options and destination as for `pino()`). */
export function createQmpLogger(options: LoggerOptions = {}, destination?: DestinationStream): Logger {
  const opts: LoggerOptions = { name: 'qmp', level: 'debug', ...options };
  return destination ? pino(opts, destination) : pino(opts);
}

let envLogger: QmpLogger | undefined;

/** The logger `VIRTKIT_QMP_DEBUG=1` asks for (stderr), or undefined. */
export function loggerFromEnvironment(): QmpLogger | undefined {
  if (process.env.VIRTKIT_QMP_DEBUG !== '1') return undefined;
  envLogger ??= createQmpLogger({}, pino.destination(2));
  return envLogger;
}
