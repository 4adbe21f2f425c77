/**
 * Typed domain devices. Every object keeps an `extra` carrier for what the model does not
 * know, so formatting writes back everything that was parsed.
 */
import type { HasExtra } from '../model/extra.js';

/** `<address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x0'/>`; `attrs` excludes `type`. */
export interface DeviceAddress extends HasExtra {
  type?: string;
  attrs: Record<string, string>;
}

/** What every device may carry: alias, guest address, boot order. */
export interface DeviceCommon extends HasExtra {
  /** `<alias name='...'/>`. */
  alias?: string;
  address?: DeviceAddress;
}

/** `<boot order='N'/>` of a bootable device. */
export interface BootOrder extends HasExtra {
  order: number;
}

/** An element reduced to its attributes (e.g. a disk's `<driver>`), unknown parts in extra. */
export interface AttrElement extends HasExtra {
  attrs: Record<string, string>;
}

/** A network storage host: `<host name='...' port='...' transport='...' socket='...'/>`. */
export interface DiskSourceHost extends HasExtra {
  name?: string;
  port?: string;
  transport?: string;
  socket?: string;
}

/** A disk's `<source>`: file / dev / dir / pool+volume / protocol+name+hosts. */
export interface DiskSource extends HasExtra {
  file?: string;
  dev?: string;
  dir?: string;
  pool?: string;
  volume?: string;
  mode?: string;
  protocol?: string;
  name?: string;
  hosts: DiskSourceHost[];
}

/** `<disk>`. */
export interface DiskDef extends DeviceCommon {
  type?: 'file' | 'block' | 'network' | 'volume' | 'dir' | 'nvme' | 'vhostuser';
  device?: 'disk' | 'cdrom' | 'floppy' | 'lun';
  /** `<driver name='qemu' type='qcow2' cache='none' .../>`: name, type and the rest in `attrs`. */
  driver?: { name?: string; type?: string; attrs: Record<string, string> } & HasExtra;
  source?: DiskSource;
  target: { dev: string; bus?: string } & HasExtra;
  readonly?: boolean;
  shareable?: boolean;
  transient?: boolean;
  /** Unknown parts of the `<readonly>`, `<shareable>`, `<transient>` elements (e.g. shareBacking). */
  flagExtras?: { readonly?: HasExtra['extra']; shareable?: HasExtra['extra']; transient?: HasExtra['extra'] };
  serial?: string;
  boot?: BootOrder;
}

/** `<controller>`. */
export interface ControllerDef extends DeviceCommon {
  type: string;
  index?: number;
  model?: string;
}

/** `<interface>`: type, MAC, source, model, target device. */
export interface InterfaceDef extends DeviceCommon {
  type: 'network' | 'bridge' | 'user' | 'ethernet' | 'direct' | 'hostdev' | 'server' | 'client' | 'mcast' | 'udp' | 'vhostuser' | 'vdpa' | 'null' | 'vds' | 'internal' | string;
  mac?: string;
  /** Extra attributes of `<mac>` (e.g. type='static'). */
  macExtra?: HasExtra['extra'];
  source?: { network?: string; bridge?: string; dev?: string; mode?: string; portgroup?: string } & HasExtra;
  /** `<target dev='vnet0'/>`. */
  target?: { dev?: string } & HasExtra;
  /** `<model type='virtio'/>`. */
  model?: string;
  modelExtra?: HasExtra['extra'];
  boot?: BootOrder;
}

/** `<source>` of a character device (path, mode, host, service, ...). */
export interface ChardevSource extends HasExtra {
  path?: string;
  mode?: string;
  host?: string;
  service?: string;
}

/** `<serial>`, `<console>`, `<channel>`, `<parallel>`. */
export interface ChardevDef extends DeviceCommon {
  /** pty, file, unix, tcp, udp, spicevmc, dev, pipe, null, vc, stdio, ... */
  type?: string;
  /** `<source>` elements in order (udp has two). */
  sources: ChardevSource[];
  /** `<target type='virtio' name='org.qemu.guest_agent.0' port='0'/>`. */
  target?: { type?: string; port?: number; name?: string } & HasExtra;
}

/** `<input type='tablet' bus='usb'/>`. */
export interface InputDef extends DeviceCommon {
  type: string;
  bus?: string;
}

/** `<graphics type='vnc' port='-1' autoport='yes' listen='...'/>`. */
export interface GraphicsDef extends DeviceCommon {
  type: string;
  port?: number;
  autoport?: boolean;
  listen?: string;
  /** Secret, only written with the secure flag. */
  passwd?: string;
}

/** `<video><model type='vga' vram='16384' heads='1' primary='yes'/></video>`. */
export interface VideoDef extends DeviceCommon {
  model?: { type?: string; vram?: number; heads?: number; primary?: boolean } & HasExtra;
}

/** Devices typed by their `type`/`model` attribute (sound, watchdog, rng, panic, tpm, hostdev, filesystem, memballoon). */
export interface ModelDeviceDef extends DeviceCommon {
  type?: string;
  model?: string;
}

/** `<hostdev mode='subsystem' type='pci' managed='yes'>`. */
export interface HostdevDef extends DeviceCommon {
  mode?: string;
  type?: string;
  managed?: boolean;
  boot?: BootOrder;
}

/** `<filesystem type='mount' accessmode='passthrough'><source dir='/'/><target dir='/'/>`. */
export interface FilesystemDef extends DeviceCommon {
  type?: string;
  accessmode?: string;
  source?: AttrElement;
  target?: AttrElement;
  readonly?: boolean;
}

/** `<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>`. */
export interface RngDef extends DeviceCommon {
  model?: string;
  backend?: { model?: string; path?: string } & HasExtra;
}

/** `<watchdog model='i6300esb' action='reset'/>`. */
export interface WatchdogDef extends DeviceCommon {
  model?: string;
  action?: string;
}

/** `<memballoon model='virtio' autodeflate='on'>`. */
export interface MemballoonDef extends DeviceCommon {
  model: string;
}

/** `<devices>`: one typed array per family, document order kept within each. */
export interface DomainDevices extends HasExtra {
  emulator?: string;
  disks: DiskDef[];
  controllers: ControllerDef[];
  filesystems: FilesystemDef[];
  interfaces: InterfaceDef[];
  serials: ChardevDef[];
  parallels: ChardevDef[];
  consoles: ChardevDef[];
  channels: ChardevDef[];
  inputs: InputDef[];
  tpms: ModelDeviceDef[];
  graphics: GraphicsDef[];
  sounds: ModelDeviceDef[];
  videos: VideoDef[];
  hostdevs: HostdevDef[];
  watchdogs: WatchdogDef[];
  memballoon?: MemballoonDef;
  rngs: RngDef[];
  panics: ModelDeviceDef[];
}
