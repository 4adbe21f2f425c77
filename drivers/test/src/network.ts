/**
 * The test driver's network family (virNetworkDriver), in memory, with libvirt 9.0's
 * behaviour, errors and lifecycle events.
 */
import type { NetworkDriver, NetworkRef } from '@virtkit/core';
import { Err, From, ListObj, ObjEv } from './consts.js';
import type { DriverState } from './driver-state.js';
import { checkFlags, testError } from './errors.js';
import { formatNetworkDef, networkBridge, parseNetworkDef } from './network-def.js';
import type { NetworkDef } from './network-def.js';
import { NetworkObj } from './network-obj.js';

function byName(st: DriverState, name: string): NetworkObj {
  const obj = st.networks.get(name);
  if (!obj) throw testError(Err.NO_NETWORK, `no network with matching name '${name}'`);
  return obj;
}

function byUUID(st: DriverState, uuid: string): NetworkObj {
  const u = uuid.toLowerCase();
  for (const obj of st.networks.values()) if (obj.uuid === u) return obj;
  throw testError(Err.NO_NETWORK, `no network with matching uuid '${uuid}'`);
}

/** virNetworkObjAssignDef: duplicate checks, then add or replace. */
export function assignNetworkDef(st: DriverState, def: NetworkDef, live: boolean): NetworkObj {
  let existing: NetworkObj | undefined;
  for (const obj of st.networks.values()) if (obj.uuid === def.uuid) existing = obj;
  if (existing) {
    if (existing.name !== def.name) {
      throw testError(Err.OPERATION_FAILED, `network '${existing.name}' is already defined with uuid ${def.uuid}`, From.NETWORK);
    }
    if (live && existing.active) {
      throw testError(Err.OPERATION_INVALID, `network is already active as '${existing.name}'`, From.NETWORK);
    }
    if (live) {
      existing.newDef = existing.persistent ? existing.def : undefined;
      existing.def = def;
    } else if (existing.active) existing.newDef = def;
    else existing.def = def;
    return existing;
  }
  const clash = st.networks.get(def.name);
  if (clash) {
    throw testError(Err.OPERATION_FAILED, `network '${def.name}' already exists with uuid ${clash.uuid}`, From.NETWORK);
  }
  const obj = new NetworkObj(def);
  st.networks.set(def.name, obj);
  return obj;
}

function matches(obj: NetworkObj, flags: number): boolean {
  const pair = (yes: number, no: number, v: boolean): boolean => {
    const f = flags & (yes | no);
    return f === 0 || f === (yes | no) || (v ? (f & yes) !== 0 : (f & no) !== 0);
  };
  return (
    pair(ListObj.ACTIVE, ListObj.INACTIVE, obj.active) &&
    pair(ListObj.PERSISTENT, ListObj.TRANSIENT, obj.persistent) &&
    pair(ListObj.AUTOSTART, ListObj.NO_AUTOSTART, obj.autostart)
  );
}

/** Builds the network family of a connection on `st`. */
export function createNetworkDriver(st: DriverState): NetworkDriver {
  return {
    async connectListAllNetworks(flags: number): Promise<NetworkRef[]> {
      checkFlags(flags, ListObj.NET_ALL, 'testConnectListAllNetworks');
      const out: NetworkRef[] = [];
      for (const obj of st.networks.values()) if (matches(obj, flags)) out.push(obj.ref);
      return out;
    },
    async connectNumOfNetworks(): Promise<number> {
      let n = 0;
      for (const obj of st.networks.values()) if (obj.active) n++;
      return n;
    },
    async connectNumOfDefinedNetworks(): Promise<number> {
      let n = 0;
      for (const obj of st.networks.values()) if (!obj.active) n++;
      return n;
    },
    async networkLookupByName(name: string): Promise<NetworkRef> {
      return byName(st, name).ref;
    },
    async networkLookupByUUID(uuid: string): Promise<NetworkRef> {
      return byUUID(st, uuid).ref;
    },
    async networkDefineXML(xml: string, flags: number): Promise<NetworkRef> {
      checkFlags(flags, 1, 'testNetworkDefineXMLFlags');
      const obj = assignNetworkDef(st, parseNetworkDef(xml), false);
      obj.persistent = true;
      st.networkEvent(obj.ref, ObjEv.DEFINED);
      return obj.ref;
    },
    async networkCreateXML(xml: string, flags: number): Promise<NetworkRef> {
      checkFlags(flags, 0, 'testNetworkCreateXMLFlags');
      const obj = assignNetworkDef(st, parseNetworkDef(xml), true);
      obj.active = true;
      st.networkEvent(obj.ref, ObjEv.STARTED);
      return obj.ref;
    },
    async networkCreate(net: NetworkRef, flags: number): Promise<void> {
      checkFlags(flags, 0, 'testNetworkCreateWithFlags');
      const obj = byName(st, net.name);
      if (obj.active) throw testError(Err.OPERATION_INVALID, `Network '${net.name}' is already running`);
      obj.active = true;
      st.networkEvent(obj.ref, ObjEv.STARTED);
    },
    async networkDestroy(net: NetworkRef): Promise<void> {
      const obj = byName(st, net.name);
      obj.active = false;
      if (obj.newDef) {
        obj.def = obj.newDef;
        obj.newDef = undefined;
      }
      st.networkEvent(obj.ref, ObjEv.STOPPED);
      if (!obj.persistent) st.networks.delete(obj.name);
    },
    async networkUndefine(net: NetworkRef): Promise<void> {
      const obj = byName(st, net.name);
      if (obj.active) throw testError(Err.OPERATION_INVALID, `Network '${net.name}' is still running`);
      st.networkEvent(obj.ref, ObjEv.UNDEFINED);
      st.networks.delete(obj.name);
    },
    async networkGetXMLDesc(net: NetworkRef, flags: number): Promise<string> {
      checkFlags(flags, 0, 'testNetworkGetXMLDesc');
      return formatNetworkDef(byName(st, net.name).def);
    },
    async networkGetBridgeName(net: NetworkRef): Promise<string> {
      const obj = byName(st, net.name);
      const bridge = networkBridge(obj.def);
      if (!bridge) throw testError(Err.INTERNAL_ERROR, `network '${obj.name}' does not have a bridge name.`);
      return bridge;
    },
    async networkGetAutostart(net: NetworkRef): Promise<boolean> {
      return byName(st, net.name).autostart;
    },
    async networkSetAutostart(net: NetworkRef, autostart: boolean): Promise<void> {
      byName(st, net.name).autostart = autostart;
    },
    async networkIsActive(net: NetworkRef): Promise<boolean> {
      return byUUID(st, net.uuid).active;
    },
    async networkIsPersistent(net: NetworkRef): Promise<boolean> {
      return byUUID(st, net.uuid).persistent;
    },
  };
}
