#!/usr/bin/python3
"""libvirt 9.0 side of test/bench/qemu.bench.ts: times define->running, suspend, resume and
destroy of a tiny KVM domain through the libvirt Python binding (qemu:///system), in-process.
argv: iterations, domain XML file. Prints one JSON object of per-iteration timings (ms)."""
import json, sys, time, libvirt

iters = int(sys.argv[1])
xml = open(sys.argv[2]).read()
conn = libvirt.open('qemu:///system')
out = {'start': [], 'suspend': [], 'resume': [], 'destroy': []}
for _ in range(iters):
    t = time.perf_counter(); dom = conn.defineXML(xml); dom.create(); out['start'].append((time.perf_counter() - t) * 1000)
    t = time.perf_counter(); dom.suspend(); out['suspend'].append((time.perf_counter() - t) * 1000)
    t = time.perf_counter(); dom.resume(); out['resume'].append((time.perf_counter() - t) * 1000)
    t = time.perf_counter(); dom.destroy(); out['destroy'].append((time.perf_counter() - t) * 1000)
    dom.undefine()
conn.close()
print(json.dumps(out))
