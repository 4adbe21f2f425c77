/**
 * The contract suite run on a minimal in-file driver: proves the suite passes for a correct
 * driver (and exercises its NO_SUPPORT sweep on a driver that lacks most APIs).
 */
import { registerDriver, unregisterDriver } from '@virtkit/core';
import { runDriverContract } from './driver-contract.js';
import { miniDriver } from './mini-driver.js';

const driver = miniDriver('vk-contract-mini');

runDriverContract({
  name: 'in-file mini driver (self-test)',
  uri: 'vk-contract-mini:///',
  newDomainXML: (name) => `<domain type='mini'><name>${name}</name></domain>`,
  before: () => registerDriver(driver),
  after: () => unregisterDriver(driver),
});
