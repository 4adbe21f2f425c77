/**
 * virConnectFindStoragePoolSources as libvirt's test driver answers it: fixed logical
 * volume groups, and one NFS export for the host named in the source spec.
 */
import { escapeXml, parseXmlDocument } from '@virtkit/xml';
import { POOL_TYPES } from '@virtkit/xml';
import { Err, From } from './consts.js';
import { asVirtError, testError } from './errors.js';

const LOGICAL =
  '<sources>\n  <source>\n    <device path=\'/dev/sda20\'/>\n    <name>testvg1</name>\n    <format type=\'lvm2\'/>\n  </source>\n' +
  '  <source>\n    <device path=\'/dev/sda21\'/>\n    <name>testvg2</name>\n    <format type=\'lvm2\'/>\n  </source>\n</sources>\n';

/** The sources document for `type`, or libvirt's error. */
export function findPoolSources(type: string, srcSpec: string | undefined): string {
  // libvirt 9.0 tests the enum value for zero, so 'dir' (0) is "unknown" and truly unknown
  // types (-1) fall through to "does not support source discovery"; kept for parity
  if (type === 'dir') throw testError(Err.INTERNAL_ERROR, `unknown storage pool type ${type}`);
  if (!(POOL_TYPES as readonly string[]).includes(type)) {
    throw testError(Err.NO_SUPPORT, `pool type '${type}' does not support source discovery`);
  }
  let host: string | undefined;
  if (srcSpec !== undefined) {
    try {
      const root = parseXmlDocument(srcSpec, { url: 'srcSpec', errorDomain: From.STORAGE });
      const h = root.children.find((c) => c.type === 'element' && c.name === 'host');
      host = h?.type === 'element' ? h.attributes.find((a) => a.name === 'name')?.value : undefined;
    } catch (e) {
      throw asVirtError(e, From.STORAGE);
    }
  }
  if (type === 'logical') return LOGICAL;
  if (type === 'netfs') {
    if (!host) throw testError(Err.INVALID_ARG, 'hostname must be specified for netfs sources');
    return (
      `<sources>\n  <source>\n    <host name='${escapeXml(host)}'/>\n    <dir path='/testshare'/>\n` +
      `    <format type='nfs'/>\n  </source>\n</sources>\n`
    );
  }
  throw testError(Err.NO_SUPPORT, `pool type '${type}' does not support source discovery`);
}
