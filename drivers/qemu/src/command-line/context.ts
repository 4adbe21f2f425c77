/**
 * What the command-line builders share: the output argument list and helpers to refuse XML
 * the driver cannot honour.
 */
import { virtError } from '@virtkit/core';
import { VIR_ERR_CONFIG_UNSUPPORTED } from '../constants.js';

/** The shape of an XML model's unknown-parts carrier (@virtkit/xml's XmlExtra). */
export interface ExtraLike {
  attributes: readonly { name: string }[];
  children: readonly { node: { name: string } }[];
}

/** Host facts the builder needs. */
export interface BuildHost {
  /** Canonical machine type (e.g. `pc-i440fx-7.2`). */
  machine: string;
  /** Whether the machine is q35-like (PCIe root, built-in AHCI). */
  q35: boolean;
  /** `kvm` or `tcg`. */
  accel: 'kvm' | 'tcg';
}

/** The argument list being built, plus hotplug-relevant facts gathered on the way. */
export class ArgList {
  readonly args: string[] = [];

  /** Appends `-flag value`. */
  opt(flag: string, value?: string): void {
    this.args.push(flag);
    if (value !== undefined) this.args.push(value);
  }

  /** Appends `-device {json}`. */
  device(props: Record<string, unknown>): void {
    this.opt('-device', JSON.stringify(props));
  }

  /** Appends `-blockdev {json}`. */
  blockdev(props: Record<string, unknown>): void {
    this.opt('-blockdev', JSON.stringify(props));
  }
}

/** Throws VIR_ERR_CONFIG_UNSUPPORTED naming `what`. */
export function unsupported(what: string): never {
  throw virtError(VIR_ERR_CONFIG_UNSUPPORTED, what);
}

/** Refuses an element whose unknown parts the driver would otherwise silently drop. */
export function refuseExtra(element: string, extra: ExtraLike | undefined, allowed: readonly string[] = []): void {
  if (!extra) return;
  for (const a of extra.attributes) {
    if (!allowed.includes(`@${a.name}`)) unsupported(`unsupported attribute '${a.name}' of element <${element}>`);
  }
  for (const c of extra.children) {
    if (!allowed.includes(c.node.name)) unsupported(`unsupported element <${c.node.name}> in <${element}>`);
  }
}
