/**
 * @virtkit/core: the public API, the driver SPI, errors and constants.
 */
export * from './spi.js';
export * from './errors.js';
