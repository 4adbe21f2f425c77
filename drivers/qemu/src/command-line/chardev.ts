/**
 * Serial ports and consoles: `-chardev` backends `charserialN` (pty, file, unix, tcp, null)
 * and `isa-serial` frontends `serialN`. A console whose target is `serial` is the first serial
 * port, as in libvirt; virtio consoles need virtio-serial (`virtconsole`).
 */
import type { ChardevDef, DomainDef } from '@virtkit/xml';
import { type ArgList, refuseExtra, unsupported } from './context.js';

/** The `-chardev` backend string for a character device. */
export function chardevBackend(c: ChardevDef, id: string): string {
  refuseExtra('serial', c.extra);
  const src = c.sources[0] ?? {};
  const type = c.type ?? 'pty';
  const esc = (v: string): string => v.replace(/,/g, ',,');
  switch (type) {
    case 'pty':
      return `pty,id=${id}`;
    case 'null':
      return `null,id=${id}`;
    case 'file':
      if (!src.path) unsupported(`<source path> of a file ${id}`);
      return `file,id=${id},path=${esc(src.path)},append=on`;
    case 'unix': {
      if (!src.path) unsupported(`<source path> of a unix ${id}`);
      const server = (src.mode ?? 'bind') === 'bind';
      return `socket,id=${id},path=${esc(src.path)}${server ? ',server=on,wait=off' : ''}`;
    }
    case 'tcp': {
      const server = (src.mode ?? 'bind') === 'bind';
      return `socket,id=${id},host=${src.host ?? '127.0.0.1'},port=${src.service ?? unsupported(`<source service> of a tcp ${id}`)}${server ? ',server=on,wait=off' : ''}`;
    }
    default:
      return unsupported(`character device type '${type}'`);
  }
}

/** Adds serials and consoles. */
export function buildChardevs(def: DomainDef, out: ArgList): void {
  const serials = def.devices.serials;
  // A console of target type serial with no serial port defines serial0 (libvirt adds it).
  if (serials.length === 0) {
    const con = def.devices.consoles.find((c) => (c.target?.type ?? 'serial') === 'serial');
    if (con) serials.push({ ...con, target: { type: 'isa-serial', port: 0 } });
  }
  serials.forEach((s, i) => {
    const tt = s.target?.type;
    if (tt !== undefined && tt !== 'isa-serial') unsupported(`serial target type '${tt}'`);
    out.opt('-chardev', chardevBackend(s, `charserial${i}`));
    out.device({ driver: 'isa-serial', chardev: `charserial${i}`, id: `serial${i}`, index: s.target?.port ?? i });
    s.alias = `serial${i}`;
  });
  let virtioConsoles = 0;
  def.devices.consoles.forEach((c, i) => {
    const tt = c.target?.type ?? 'serial';
    if (tt === 'serial') {
      c.alias = 'serial0';
      return;
    }
    if (tt !== 'virtio') unsupported(`console target type '${tt}'`);
    if (virtioConsoles++ === 0) out.device({ driver: 'virtio-serial-pci', id: 'virtio-serial0' });
    out.opt('-chardev', chardevBackend(c, `charconsole${i}`));
    out.device({ driver: 'virtconsole', chardev: `charconsole${i}`, id: `console${i}` });
    c.alias = `console${i}`;
  });
  if (def.devices.channels.length > 0) unsupported('<channel> devices');
  if (def.devices.parallels.length > 0) unsupported('<parallel> devices');
}
