/**
 * A custom driver in one file, registered at run time: `hello:///` serves one in-memory
 * domain through the driver SPI; core does the rest (public classes, errors, NO_SUPPORT).
 *
 *   npx tsx examples/custom-driver.ts
 */
import { connect, registerDriver, virtError, VIR_ERR_NO_DOMAIN } from '@virtkit/core';
import type { DomainRef, DriverOpenContext, VirtDriver } from '@virtkit/core';

const hello: DomainRef = { name: 'hello', uuid: '0f8e6b3c-0000-4000-8000-000000000001', id: 7 };

const helloDriver: VirtDriver = {
  name: 'Hello',
  schemes: ['hello'],
  async open(ctx: DriverOpenContext) {
    let state = 1; // VIR_DOMAIN_RUNNING
    const find = (ref: DomainRef) => {
      if (ref.uuid !== hello.uuid) throw virtError(VIR_ERR_NO_DOMAIN, `no domain with matching uuid '${ref.uuid}'`);
      return hello;
    };
    return {
      hypervisor: {
        connectGetType: async () => 'Hello',
        connectListAllDomains: async () => [hello],
        domainLookupByName: async (name: string) => {
          if (name !== hello.name) throw virtError(VIR_ERR_NO_DOMAIN, `no domain with matching name '${name}'`);
          return hello;
        },
        domainGetState: async (ref: DomainRef) => (find(ref), { state, reason: 0 }),
        domainSuspend: async (ref: DomainRef) => {
          find(ref);
          state = 3; // VIR_DOMAIN_PAUSED
          ctx.events.domainLifecycle(hello, 3, 0);
        },
      },
      close: async () => undefined,
    };
  },
};

registerDriver(helloDriver);
const conn = await connect('hello:///');
try {
  console.log(`type: ${await conn.getType()}`);
  const [dom] = await conn.listAllDomains(0);
  console.log(`${dom!.getName()} state ${(await dom!.getState()).state}`);
  await dom!.suspend();
  console.log(`${dom!.getName()} state ${(await dom!.getState()).state}`);
  await dom!.reboot().catch((e: Error) => console.log(`reboot: ${e.message}`));
} finally {
  await conn.close();
}
