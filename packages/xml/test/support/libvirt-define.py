#!/usr/bin/env python3
"""Feeds documents to libvirt 9.0 (python3-libvirt on test:///default) the way a driver's
define would, and reports what libvirt says. stdin: JSON [{"kind": ..., "xml": ...}];
stdout: JSON [{"ok": bool, "code": int, "domain": int, "message": str}]."""
import json
import sys

import libvirt

libvirt.registerErrorHandler(lambda *a: None, None)
conn = libvirt.open('test:///default')
pool = conn.storagePoolLookupByName('default-pool')
dom = conn.lookupByName('test')


def define(kind, xml):
    if kind == 'domain':
        conn.defineXML(xml).undefine()
    elif kind == 'network':
        conn.networkDefineXML(xml).undefine()
    elif kind == 'pool':
        conn.storagePoolDefineXML(xml).undefine()
    elif kind == 'volume':
        pool.createXML(xml).delete()
    elif kind == 'snapshot':
        dom.snapshotCreateXML(xml).delete()
    elif kind == 'snapshot-redefine':
        dom.snapshotCreateXML(xml, libvirt.VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE).delete()
    else:
        raise ValueError(kind)


out = []
for case in json.load(sys.stdin):
    try:
        define(case['kind'], case['xml'])
        out.append({'ok': True})
    except libvirt.libvirtError as e:
        out.append({'ok': False, 'code': e.get_error_code(), 'domain': e.get_error_domain(), 'message': e.get_error_message()})
print(json.dumps(out))
