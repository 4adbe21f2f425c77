/**
 * The capabilities document of the test driver (testBuildCapabilities), byte for byte as
 * libvirt 9.0 formats it: i686 host with pae/nonpae, four page sizes, the NUMA cells of
 * test:///default, the testSecurity model, and hvm + xen guests on /usr/bin/test-hv.
 */
import type { TestCell } from './driver-state.js';

const PAGE_SIZES = [4, 8, 2048, 1048576];

function cellXML(cell: TestCell, index: number, firstCpu: number): string {
  // cell 1 of test:///default uses the 8 KiB page size, the others 4 KiB (as libvirt)
  const small = index === 1 ? PAGE_SIZES[1]! : PAGE_SIZES[0]!;
  let s = `        <cell id='${index}'>\n`;
  s += `          <memory unit='KiB'>${cell.memKiB}</memory>\n`;
  s += `          <pages unit='KiB' size='${small}'>${Math.floor(cell.memKiB / small)}</pages>\n`;
  s += `          <pages unit='KiB' size='2048'>0</pages>\n`;
  s += `          <pages unit='KiB' size='1048576'>0</pages>\n`;
  s += `          <cpus num='${cell.cpus}'>\n`;
  for (let i = 0; i < cell.cpus; i++) {
    const id = firstCpu + i;
    s += `            <cpu id='${id}' socket_id='${index}' die_id='0' core_id='${i}' siblings='${id}'/>\n`;
  }
  s += `          </cpus>\n        </cell>\n`;
  return s;
}

function guestXML(osType: string): string {
  return (
    `  <guest>\n    <os_type>${osType}</os_type>\n    <arch name='i686'>\n      <wordsize>32</wordsize>\n` +
    `      <emulator>/usr/bin/test-hv</emulator>\n      <domain type='test'/>\n    </arch>\n` +
    `    <features>\n      <pae/>\n      <nonpae/>\n    </features>\n  </guest>\n\n`
  );
}

/** The capabilities XML for a state with these NUMA cells. */
export function capabilitiesXML(cells: readonly TestCell[]): string {
  let s = '<capabilities>\n\n  <host>\n    <cpu>\n      <arch>i686</arch>\n      <features>\n        <pae/>\n        <nonpae/>\n      </features>\n';
  for (const p of PAGE_SIZES) s += `      <pages unit='KiB' size='${p}'/>\n`;
  s += '    </cpu>\n    <power_management/>\n    <iommu support=\'no\'/>\n    <topology>\n';
  s += `      <cells num='${cells.length}'>\n`;
  let cpu = 0;
  cells.forEach((c, i) => {
    s += cellXML(c, i, cpu);
    cpu += c.cpus;
  });
  s += '      </cells>\n    </topology>\n    <secmodel>\n      <model>testSecurity</model>\n      <doi></doi>\n    </secmodel>\n  </host>\n\n';
  s += guestXML('hvm') + guestXML('xen');
  return s + '</capabilities>\n';
}
