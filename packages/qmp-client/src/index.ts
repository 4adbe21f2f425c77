/**
 * @virtkit/qmp-client: a complete, typed QEMU Machine Protocol client for Node.js.
 * See README.md for the API and examples.
 */
export { QmpClient, type QmpConnectOptions, type QmpTarget } from './client.js';
export { QmpCommands } from './commands.js';
export { QmpConnection, DEFAULT_COMMAND_TIMEOUT, DEFAULT_CONNECT_TIMEOUT } from './connection.js';
export { QmpListener, type QmpAcceptOptions } from './listener.js';
export { LineSplitter, DEFAULT_MAX_MESSAGE_SIZE } from './line-splitter.js';
export { createQmpLogger } from './logger.js';
export {
  QmpClientError,
  QmpError,
  QmpDisconnectedError,
  QmpTimeoutError,
  QmpProtocolError,
  QmpCapabilityError,
  QmpRequestError,
} from './errors.js';
export { QEMU_MAX_MESSAGE, QEMU_MAX_NESTING } from './request-limits.js';
export type * from './wire.js';
export type * from './events.js';
export type * from './command-types.js';
