/**
 * @virtkit/driver-test: the in-memory test driver (`test:///default`, `test:///path/node.xml`)
 * at libvirt 9.0 parity, plus fault injection for applications' unit tests.
 */
export { driver } from './driver.js';
export { TestControl, testControl } from './test-control.js';
export type { InjectedError } from './faults.js';
export { DEFAULT_NODE_XML } from './default-node.js';
