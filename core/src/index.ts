/**
 * @virtkit/core: the public API, the driver SPI, errors and constants.
 *
 * Applications: `connect(uri)` -> Connection -> Domain / Network / StoragePool / StorageVol.
 * Drivers: implement the SPI (spi.ts), raise errors with virtError()/checkFlags(), and export
 * `driver: VirtDriver` (built-ins) or call registerDriver() (third-party).
 */
export * from './spi.js';
export * from './errors.js';
export * from './constants/index.js';
export { errorMessageFor, isKnownErrorCode } from './error-messages.js';
export { errorDomainName, formatLibvirtError } from './error-domains-names.js';
export {
  abortedError,
  checkFlags,
  invalidArg,
  invalidConn,
  isVirtError,
  noSupport,
  readOnlyDenied,
  throwIfAborted,
  toVirtError,
} from './error-helpers.js';
export { defaultURI, formatURI, parseURI } from './uri.js';
export { normalizeUUID, parseUUID } from './uuid.js';
export {
  BUILTIN_DRIVERS,
  BUILTIN_SECONDARY_DRIVERS,
  loadBuiltinDriver,
  provideBuiltinDriver,
  registerDriver,
  registeredDrivers,
  unregisterDriver,
  type BuiltinDriverModuleLoader,
} from './registry.js';
export { SPI_METHODS, SPI_METHOD_NAMES, errorDomainOfApi } from './api-table.js';
export type { DriverFamilies, Family, SpiMethodInfo, SpiMethodName, SpiMethods } from './api-table.js';
export { connect, type ConnectOptions } from './connect.js';
export {
  Connection,
  LIBVIR_VERSION_NUMBER,
  type DomainCapabilitiesOptions,
  type DomainRestoreOptions,
} from './connection.js';
export { Domain, type DomainSaveOptions } from './domain.js';
export { DomainSnapshot } from './domain-snapshot.js';
export { Network } from './network.js';
export { StoragePool } from './storage-pool.js';
export { StorageVol, type VolFileTransferOptions } from './storage-vol.js';
export type {
  ConnectionEvent,
  ConnectionEventListeners,
  ConnectionEventType,
  EventIteratorOptions,
} from './events.js';
