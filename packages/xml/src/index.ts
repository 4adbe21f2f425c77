/**
 * @virtkit/xml: typed models and lossless parse/format of libvirt XML.
 */
export * from './tree/xml-node.js';
export { parseXmlDocument, type ParseXmlOptions } from './tree/xml-parse.js';
export { formatXmlElement, escapeXml } from './tree/xml-format.js';
export type { XmlExtra, XmlExtraChild, HasExtra } from './model/extra.js';
export { buildElement } from './model/extra.js';
export { ElementReader } from './model/element-reader.js';
export * from './util/units.js';
export * from './util/uuid.js';
export * from './util/mac.js';
export * from './util/codes.js';
export type * from './domain/device-types.js';
export type * from './domain/domain-types.js';
export { parseDomainXML, parseDomainElement, parseMemoryElement } from './domain/domain-parse.js';
export { formatDomainXML, formatDomainElement, type FormatDomainOptions } from './domain/domain-format.js';
export { diskSourcePath } from './domain/disk.js';
export * from './network/network.js';
export * from './storage/permissions.js';
export * from './storage/storage-pool.js';
export * from './storage/storage-vol.js';
export * from './domain/snapshot.js';
export * from './caps/capabilities.js';
export * from './caps/domain-capabilities.js';
export type { ByteSize } from './model/common-fields.js';
export * from './domain/domain-device.js';
export * from './domain/domain-edit.js';
export { addImplicitDevices } from './domain/implicit-devices.js';
export * from './kinds.js';
