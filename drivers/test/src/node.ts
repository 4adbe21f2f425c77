/**
 * Connection- and node-level calls of the test driver: type, versions, hostname,
 * capabilities, node info and free memory, as libvirt 9.0's test driver answers them.
 */
import { hostname } from 'node:os';
import type { NodeInfo } from '@virtkit/core';
import { capabilitiesXML } from './capabilities.js';
import type { DriverState } from './driver-state.js';

/** What node-level calls answer for a state. */
export interface NodeCalls {
  connectGetType(): Promise<string>;
  connectGetVersion(): Promise<number>;
  connectGetHostname(): Promise<string>;
  connectGetCapabilities(): Promise<string>;
  connectGetMaxVcpus(type: string | undefined): Promise<number>;
  connectIsAlive(): Promise<boolean>;
  connectIsSecure(): Promise<boolean>;
  connectIsEncrypted(): Promise<boolean>;
  nodeGetInfo(): Promise<NodeInfo>;
  nodeGetFreeMemory(): Promise<number>;
}

/** Builds the node-level calls on `st`. */
export function createNodeCalls(st: DriverState): NodeCalls {
  let caps: string | undefined;
  return {
    // virConnectGetType reports the driver name; libvirt's test driver says "TEST"
    connectGetType: async () => 'TEST',
    connectGetVersion: async () => 2,
    connectGetHostname: async () => hostname(),
    connectGetCapabilities: async () => (caps ??= capabilitiesXML(st.cells)),
    connectGetMaxVcpus: async () => 32,
    connectIsAlive: async () => true,
    connectIsSecure: async () => true,
    connectIsEncrypted: async () => false,
    nodeGetInfo: async () => ({ ...st.nodeInfo }),
    // libvirt's test driver returns the sum of the cells' free KiB as is (3145728)
    nodeGetFreeMemory: async () => st.cells.reduce((n, c) => n + c.freeKiB, 0),
  };
}
