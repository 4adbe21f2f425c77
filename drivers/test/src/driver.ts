/**
 * The test driver itself: `test:///default` (one state per process while a connection is
 * open, as libvirt) and `test:///abs/path/node.xml` (a fresh state per open).
 */
import { rmdirSync } from 'node:fs';
import type { ConnectAuth, DriverConnection, DriverOpenContext, VirtDriver } from '@virtkit/core';
import { dropManagedSaveImage } from './domain-run.js';
import { managedSaveDir } from './domain-save.js';
import { Err } from './consts.js';
import { loadDefaultNode } from './default-state.js';
import { DriverState } from './driver-state.js';
import { testError } from './errors.js';
import { createHypervisorDriver } from './hypervisor.js';
import { createNetworkDriver } from './network.js';
import { loadNode, readXmlFile } from './node-file.js';
import { createStorageDriver } from './storage.js';
import { registry } from './test-control.js';

function openDefault(): DriverState {
  const reg = registry();
  if (reg.defaultState) return reg.defaultState;
  const st = new DriverState();
  loadDefaultNode(st);
  return (reg.defaultState = st);
}

function openFile(path: string): DriverState {
  const st = new DriverState();
  loadNode(st, readXmlFile(path), path);
  return st;
}

/** testConnectAuthenticate: a node file with `<auth>` users asks for a name and password. */
async function authenticate(st: DriverState, auth: ConnectAuth | undefined): Promise<void> {
  if (st.auth.size === 0) return;
  const fail = (): Error => testError(Err.AUTH_FAILED, 'authentication failed, see test XML for the correct username/password');
  if (!auth?.callback) throw fail();
  const creds = [
    { type: 2, prompt: 'Enter username for localhost' }, // VIR_CRED_AUTHNAME
    { type: 5, prompt: 'Enter password for localhost' }, // VIR_CRED_PASSPHRASE
  ] as { type: number; prompt: string; result?: string }[];
  await auth.callback(creds);
  const user = creds[0]!.result;
  if (user === undefined || !st.auth.has(user)) throw fail();
  const pw = st.auth.get(user);
  if (pw !== undefined && creds[1]!.result !== pw) throw fail();
}

/** Deletes what a state keeps on disk (managed save images, then their directory if empty). */
function disposeState(st: DriverState): void {
  for (const obj of st.domains.values()) dropManagedSaveImage(obj);
  try {
    rmdirSync(managedSaveDir());
  } catch {
    // never created, or another state of this process still has images there
  }
}

/** One connection: the three families on a shared or private state. */
class TestConnection implements DriverConnection {
  readonly hypervisor;
  readonly network;
  readonly storage;
  readonly #st: DriverState;
  readonly #ctx: DriverOpenContext;
  readonly #path: string;
  #closed = false;

  constructor(st: DriverState, ctx: DriverOpenContext, path: string) {
    this.#st = st;
    this.#ctx = ctx;
    this.#path = path;
    this.hypervisor = createHypervisorDriver(st);
    this.network = createNetworkDriver(st);
    this.storage = createStorageDriver(st);
    st.watchFaults([this.hypervisor, this.network, this.storage]);
    st.sinks.add(ctx.events);
    st.refs++;
    registry().byPath.set(path, st);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const st = this.#st;
    st.sinks.delete(this.#ctx.events);
    st.unwatchFaults([this.hypervisor, this.network, this.storage]);
    if (--st.refs === 0) {
      // the state goes away with its last connection: so do its managed save images
      disposeState(st);
      const reg = registry();
      if (st === reg.defaultState) reg.defaultState = undefined;
      if (reg.byPath.get(this.#path) === st) reg.byPath.delete(this.#path);
    }
  }
}

/** The test driver: name 'Test', scheme 'test'. */
export const driver: VirtDriver = {
  name: 'Test',
  schemes: ['test'],
  async open(ctx: DriverOpenContext): Promise<DriverConnection> {
    const path = ctx.uri.path;
    if (path === '' || path === '/') {
      throw testError(Err.INVALID_ARG, 'testOpen: supply a path or use test:///default');
    }
    const st = path === '/default' ? openDefault() : openFile(path);
    try {
      await authenticate(st, ctx.auth);
    } catch (e) {
      const reg = registry();
      if (st === reg.defaultState && st.refs === 0) reg.defaultState = undefined;
      throw e;
    }
    return new TestConnection(st, ctx, path);
  },
};
