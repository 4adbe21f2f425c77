/**
 * A tiny in-memory driver for unit-testing core itself: a few domains with a real state
 * machine, events, and a network/storage family, so dispatch, read-only checks, NO_SUPPORT,
 * events and the registry can be exercised without the test driver package.
 */
import {
  checkFlags,
  virtError,
  VIR_DOMAIN_EVENT_RESUMED,
  VIR_DOMAIN_EVENT_RESUMED_UNPAUSED,
  VIR_DOMAIN_EVENT_STARTED,
  VIR_DOMAIN_EVENT_STARTED_BOOTED,
  VIR_DOMAIN_EVENT_STOPPED,
  VIR_DOMAIN_EVENT_STOPPED_DESTROYED,
  VIR_DOMAIN_EVENT_SUSPENDED,
  VIR_DOMAIN_EVENT_SUSPENDED_PAUSED,
  VIR_DOMAIN_PAUSED,
  VIR_DOMAIN_RUNNING,
  VIR_DOMAIN_SHUTOFF,
  VIR_ERR_NO_DOMAIN,
  VIR_ERR_OPERATION_INVALID,
  VIR_FROM_TEST,
  type DomainRef,
  type DriverConnection,
  type DriverOpenContext,
  type HypervisorDriver,
  type VirtDriver,
} from '@virtkit/core';

interface FakeDomain {
  name: string;
  uuid: string;
  id: number;
  state: number;
}

/** What a test can inspect of a fake driver. */
export interface FakeDriverHandle {
  driver: VirtDriver;
  /** Every context a connection was opened with. */
  opened: DriverOpenContext[];
  /** How many connections were closed. */
  closed: number;
  /** Calls received, as "method:arg". */
  calls: string[];
}

/** Builds a fresh fake driver owning `scheme`; `omit` drops hypervisor methods. */
export function fakeDriver(scheme: string, omit: (keyof HypervisorDriver)[] = []): FakeDriverHandle {
  const handle: FakeDriverHandle = { driver: undefined as unknown as VirtDriver, opened: [], closed: 0, calls: [] };
  const doms = new Map<string, FakeDomain>([['alpha', { name: 'alpha', uuid: '11111111-2222-3333-4444-555555555555', id: 1, state: VIR_DOMAIN_RUNNING }]]);
  let nextId = 2;
  const sinks = new Set<DriverOpenContext['events']>();
  const ref = (d: FakeDomain): DomainRef => ({ name: d.name, uuid: d.uuid, id: d.id });
  const find = (r: DomainRef): FakeDomain => {
    const d = doms.get(r.name);
    if (!d) throw virtError(VIR_ERR_NO_DOMAIN, `no domain with matching name '${r.name}'`, VIR_FROM_TEST);
    return d;
  };
  const emit = (d: FakeDomain, ev: number, detail: number): void => {
    for (const s of sinks) s.domainLifecycle(ref(d), ev, detail);
  };
  const hv: HypervisorDriver = {
    async connectGetHostname() {
      return 'fakehost';
    },
    async domainLookupByName(name) {
      handle.calls.push(`domainLookupByName:${name}`);
      return ref(find({ name, uuid: '', id: -1 }));
    },
    async domainLookupByUUID(uuid) {
      for (const d of doms.values()) if (d.uuid === uuid) return ref(d);
      throw virtError(VIR_ERR_NO_DOMAIN, `no domain with matching uuid '${uuid}'`, VIR_FROM_TEST);
    },
    async connectListAllDomains(flags) {
      checkFlags(flags, 0, 'fakeConnectListAllDomains', VIR_FROM_TEST);
      return [...doms.values()].map(ref);
    },
    async domainGetState(r) {
      return { state: find(r).state, reason: 1 };
    },
    async domainGetXMLDesc(r, flags) {
      handle.calls.push(`domainGetXMLDesc:${flags}`);
      return `<domain><name>${find(r).name}</name></domain>`;
    },
    async domainSuspend(r) {
      const d = find(r);
      if (d.state !== VIR_DOMAIN_RUNNING) throw virtError(VIR_ERR_OPERATION_INVALID, 'domain is not running', VIR_FROM_TEST);
      d.state = VIR_DOMAIN_PAUSED;
      emit(d, VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
    },
    async domainResume(r) {
      const d = find(r);
      if (d.state !== VIR_DOMAIN_PAUSED) throw virtError(VIR_ERR_OPERATION_INVALID, 'domain is not paused', VIR_FROM_TEST);
      d.state = VIR_DOMAIN_RUNNING;
      emit(d, VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
    },
    async domainDestroy(r, flags) {
      checkFlags(flags, 0, 'fakeDomainDestroyFlags', VIR_FROM_TEST);
      const d = find(r);
      if (d.state === VIR_DOMAIN_SHUTOFF) throw virtError(VIR_ERR_OPERATION_INVALID, 'domain is not running', VIR_FROM_TEST);
      d.state = VIR_DOMAIN_SHUTOFF;
      d.id = -1;
      emit(d, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
    },
    async domainCreate(r) {
      const d = find(r);
      if (d.state !== VIR_DOMAIN_SHUTOFF) throw virtError(VIR_ERR_OPERATION_INVALID, 'domain is already running', VIR_FROM_TEST);
      d.state = VIR_DOMAIN_RUNNING;
      d.id = nextId++;
      emit(d, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
      return ref(d);
    },
    async domainSetMemoryFlags(_r, kib, flags) {
      handle.calls.push(`domainSetMemoryFlags:${kib}:${flags}`);
    },
    async domainSave(_r, file, _dxml, _flags, opts) {
      handle.calls.push(`domainSave:${file}`);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, 50);
        opts.signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new DOMException('aborted', 'AbortError'));
        });
      });
    },
    async domainReboot() {
      throw new TypeError('driver bug');
    },
  };
  for (const m of omit) delete hv[m];
  handle.driver = {
    name: 'Fake',
    schemes: [scheme],
    async open(ctx): Promise<DriverConnection> {
      handle.opened.push(ctx);
      sinks.add(ctx.events);
      return {
        hypervisor: hv,
        async close() {
          sinks.delete(ctx.events);
          handle.closed++;
        },
      };
    },
  };
  return handle;
}
