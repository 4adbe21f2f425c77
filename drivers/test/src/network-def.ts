/**
 * Network definitions through @virtkit/xml, with the defaults libvirt's network parser
 * applies (generated UUID, bridge stp='on' delay='0', forward mode 'nat').
 */
import { formatNetworkXML, generateUUID, parseNetworkElement, parseNetworkXML } from '@virtkit/xml';
import type { NetworkDef, XmlElement } from '@virtkit/xml';
import { From } from './consts.js';
import { asVirtError } from './errors.js';

export type { NetworkDef };

/** Parses `<network>` XML (a string, or an element of a node file) and applies defaults. */
export function parseNetworkDef(src: string | XmlElement): NetworkDef & { uuid: string } {
  let def: NetworkDef;
  try {
    def = typeof src === 'string' ? parseNetworkXML(src) : parseNetworkElement(src);
  } catch (e) {
    throw asVirtError(e, From.NETWORK);
  }
  def.uuid ??= generateUUID();
  if (def.forward) def.forward.mode ??= 'nat';
  // stp/delay belong to bridges libvirt manages itself (no forward, nat, route, open)
  const mode = def.forward?.mode;
  if (def.bridge && (mode === undefined || mode === 'nat' || mode === 'route' || mode === 'open')) {
    def.bridge.stp ??= 'on';
    def.bridge.delay ??= '0';
  }
  return def as NetworkDef & { uuid: string };
}

/** Formats a network as virNetworkDefFormat. */
export function formatNetworkDef(def: NetworkDef): string {
  return formatNetworkXML(def);
}

/** The bridge name, if any. */
export function networkBridge(def: NetworkDef): string | undefined {
  return def.bridge?.name;
}
