/**
 * A minimal but correct hypervisor driver, used only to test the contract suite itself (so the
 * suite is known to be satisfiable and to check what it claims before real drivers run it).
 */
import { randomUUID } from 'node:crypto';
import {
  checkFlags,
  virtError,
  VIR_CONNECT_LIST_DOMAINS_ACTIVE,
  VIR_CONNECT_LIST_DOMAINS_INACTIVE,
  VIR_DOMAIN_EVENT_DEFINED,
  VIR_DOMAIN_EVENT_RESUMED,
  VIR_DOMAIN_EVENT_STARTED,
  VIR_DOMAIN_EVENT_STOPPED,
  VIR_DOMAIN_EVENT_STOPPED_DESTROYED,
  VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN,
  VIR_DOMAIN_EVENT_SUSPENDED,
  VIR_DOMAIN_EVENT_UNDEFINED,
  VIR_DOMAIN_PAUSED,
  VIR_DOMAIN_PAUSED_USER,
  VIR_DOMAIN_RUNNING,
  VIR_DOMAIN_RUNNING_BOOTED,
  VIR_DOMAIN_RUNNING_UNPAUSED,
  VIR_DOMAIN_SHUTOFF,
  VIR_DOMAIN_SHUTOFF_DESTROYED,
  VIR_DOMAIN_SHUTOFF_SHUTDOWN,
  VIR_DOMAIN_SHUTOFF_UNKNOWN,
  VIR_ERR_OPERATION_FAILED,
  VIR_ERR_NO_DOMAIN,
  VIR_ERR_OPERATION_INVALID,
  VIR_ERR_XML_ERROR,
  VIR_FROM_DOMAIN,
  type DomainRef,
  type DriverEventSink,
  type HypervisorDriver,
  type VirtDriver,
} from '@virtkit/core';

interface Dom {
  name: string;
  uuid: string;
  id: number;
  state: number;
  reason: number;
  persistent: boolean;
}

/** A fresh mini driver for `scheme`; state is shared by its connections. */
export function miniDriver(scheme: string): VirtDriver {
  const doms = new Map<string, Dom>();
  const sinks = new Set<DriverEventSink>();
  let nextId = 1;
  const ref = (d: Dom): DomainRef => ({ name: d.name, uuid: d.uuid, id: d.id });
  const get = (name: string): Dom => {
    const d = doms.get(name);
    if (!d) throw virtError(VIR_ERR_NO_DOMAIN, `no domain with matching name '${name}'`, VIR_FROM_DOMAIN);
    return d;
  };
  const emit = (d: Dom, event: number, detail = 0): void => {
    for (const s of sinks) s.domainLifecycle(ref(d), event, detail);
  };
  const invalid = (msg: string): Error => virtError(VIR_ERR_OPERATION_INVALID, msg, VIR_FROM_DOMAIN);
  /** Reads name and uuid, refusing names or UUIDs another domain has (libvirt's wording). */
  const parse = (xml: string): { name: string; uuid: string } => {
    const m = /^<domain[^>]*>.*<name>([^<]+)<\/name>.*<\/domain>$/s.exec(xml.trim());
    if (!m) throw virtError(VIR_ERR_XML_ERROR, 'not a domain definition', VIR_FROM_DOMAIN);
    const name = m[1]!;
    const uuid = /<uuid>([^<]+)<\/uuid>/.exec(xml)?.[1] ?? randomUUID();
    const clash = doms.get(name) ?? [...doms.values()].find((d) => d.uuid === uuid);
    if (clash) throw virtError(VIR_ERR_OPERATION_FAILED, `domain '${clash.name}' already exists with uuid ${clash.uuid}`, VIR_FROM_DOMAIN);
    return { name, uuid };
  };
  const start = (d: Dom): void => {
    d.state = VIR_DOMAIN_RUNNING;
    d.reason = VIR_DOMAIN_RUNNING_BOOTED;
    d.id = nextId++;
    emit(d, VIR_DOMAIN_EVENT_STARTED);
  };
  const stop = (d: Dom, reason: number, detail: number): void => {
    if (d.state === VIR_DOMAIN_SHUTOFF) throw invalid('domain is not running');
    d.state = VIR_DOMAIN_SHUTOFF;
    d.reason = reason;
    d.id = -1;
    emit(d, VIR_DOMAIN_EVENT_STOPPED, detail);
    if (!d.persistent) doms.delete(d.name);
  };
  const hv: HypervisorDriver = {
    async connectListAllDomains(flags) {
      checkFlags(flags, VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_INACTIVE, 'miniConnectListAllDomains');
      return [...doms.values()]
        .filter((d) => !(flags & VIR_CONNECT_LIST_DOMAINS_ACTIVE) || d.state !== VIR_DOMAIN_SHUTOFF)
        .filter((d) => !(flags & VIR_CONNECT_LIST_DOMAINS_INACTIVE) || d.state === VIR_DOMAIN_SHUTOFF)
        .map(ref);
    },
    async domainLookupByName(name) {
      return ref(get(name));
    },
    async domainLookupByUUID(uuid) {
      const d = [...doms.values()].find((x) => x.uuid === uuid);
      if (!d) throw virtError(VIR_ERR_NO_DOMAIN, `no domain with matching uuid '${uuid}'`, VIR_FROM_DOMAIN);
      return ref(d);
    },
    async domainDefineXML(xml, flags) {
      checkFlags(flags, 0, 'miniDomainDefineXML');
      const { name, uuid } = parse(xml);
      const d: Dom = { name, uuid, id: -1, state: VIR_DOMAIN_SHUTOFF, reason: VIR_DOMAIN_SHUTOFF_UNKNOWN, persistent: true };
      doms.set(name, d);
      emit(d, VIR_DOMAIN_EVENT_DEFINED);
      return ref(d);
    },
    async domainCreateXML(xml, flags) {
      checkFlags(flags, 0, 'miniDomainCreateXML');
      const { name, uuid } = parse(xml);
      const d: Dom = { name, uuid, id: -1, state: VIR_DOMAIN_SHUTOFF, reason: 0, persistent: false };
      doms.set(name, d);
      start(d);
      return ref(d);
    },
    async domainCreate(r) {
      const d = get(r.name);
      if (d.state !== VIR_DOMAIN_SHUTOFF) throw invalid('domain is already running');
      start(d);
      return ref(d);
    },
    async domainSuspend(r) {
      const d = get(r.name);
      if (d.state !== VIR_DOMAIN_RUNNING) throw invalid('domain is not running');
      d.state = VIR_DOMAIN_PAUSED;
      d.reason = VIR_DOMAIN_PAUSED_USER;
      emit(d, VIR_DOMAIN_EVENT_SUSPENDED);
    },
    async domainResume(r) {
      const d = get(r.name);
      if (d.state !== VIR_DOMAIN_PAUSED) throw invalid('domain is not paused');
      d.state = VIR_DOMAIN_RUNNING;
      d.reason = VIR_DOMAIN_RUNNING_UNPAUSED;
      emit(d, VIR_DOMAIN_EVENT_RESUMED);
    },
    async domainDestroy(r, flags) {
      checkFlags(flags, 0, 'miniDomainDestroyFlags');
      stop(get(r.name), VIR_DOMAIN_SHUTOFF_DESTROYED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
    },
    async domainShutdown(r, flags) {
      checkFlags(flags, 0, 'miniDomainShutdownFlags');
      stop(get(r.name), VIR_DOMAIN_SHUTOFF_SHUTDOWN, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
    },
    async domainUndefine(r, flags) {
      checkFlags(flags, 0, 'miniDomainUndefineFlags');
      const d = get(r.name);
      if (d.state === VIR_DOMAIN_SHUTOFF) doms.delete(d.name);
      else d.persistent = false;
      emit(d, VIR_DOMAIN_EVENT_UNDEFINED);
    },
    async domainGetState(r, flags) {
      checkFlags(flags, 0, 'miniDomainGetState');
      const d = get(r.name);
      return { state: d.state, reason: d.reason };
    },
    async domainGetInfo(r) {
      const d = get(r.name);
      return { state: d.state, maxMem: 8192, memory: 8192, nrVirtCpu: 1, cpuTime: 0 };
    },
    async domainGetXMLDesc(r) {
      return `<domain><name>${get(r.name).name}</name></domain>`;
    },
    async domainIsActive(r) {
      return get(r.name).state !== VIR_DOMAIN_SHUTOFF;
    },
    async domainIsPersistent(r) {
      return get(r.name).persistent;
    },
  };
  return {
    name: 'Mini',
    schemes: [scheme],
    async open(ctx) {
      sinks.add(ctx.events);
      return {
        hypervisor: hv,
        async close() {
          sinks.delete(ctx.events);
        },
      };
    },
  };
}
