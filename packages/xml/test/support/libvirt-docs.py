#!/usr/bin/env python3
"""Prints, as JSON, the documents libvirt 9.0 itself formats on test:///default: capabilities,
a domain (live and inactive), a network, a pool, a volume and a snapshot."""
import json

import libvirt

conn = libvirt.open('test:///default')
dom = conn.lookupByName('test')
pool = conn.storagePoolLookupByName('default-pool')
docs = {
    'capabilities': conn.getCapabilities(),
    'domain': dom.XMLDesc(0),
    'domain-inactive': dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE),
    'network': conn.networkLookupByName('default').XMLDesc(0),
    'pool': pool.XMLDesc(0),
}
vol = pool.createXML("<volume><name>vkxml.img</name><capacity unit='G'>1</capacity></volume>")
docs['volume'] = vol.XMLDesc(0)
vol.delete()
snap = dom.snapshotCreateXML("<domainsnapshot><name>vkxml</name><description>d</description></domainsnapshot>")
docs['snapshot'] = snap.getXMLDesc(0)
snap.delete()
print(json.dumps(docs))
