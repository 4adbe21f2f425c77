#!/usr/bin/env python3
"""Plain python3 stdlib QMP client: the reference for test/bench/qmp.bench.ts.

Does exactly what the TypeScript side does: negotiates (enabling oob when offered), times
sequential query-status round trips, then pipelined query-status throughput (a writer thread
sends every command eagerly while the main thread reads), then a pipelined batch with a
system_reset every 10th command, counting RESET events. Prints one JSON object.
"""
import json
import socket
import sys
import threading
import time


def main():
    path, warmup, nseq, npipe, rounds = sys.argv[1], *map(int, sys.argv[2:6])
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(path)
    rfile = sock.makefile('rb')
    state = {'id': 0, 'events': 0}

    def read():
        while True:
            msg = json.loads(rfile.readline())
            if 'event' in msg:
                state['events'] += 1
                continue
            return msg

    def command(name, args=None):
        state['id'] += 1
        cmd = {'execute': name, 'id': state['id']}
        if args is not None:
            cmd['arguments'] = args
        return (json.dumps(cmd) + '\n').encode()

    greeting = json.loads(rfile.readline())
    enable = ['oob'] if 'oob' in greeting['QMP'].get('capabilities', []) else []
    sock.sendall(command('qmp_capabilities', {'enable': enable} if enable else None))
    assert 'return' in read()

    latencies = []
    for i in range(warmup + nseq):
        t0 = time.perf_counter_ns()
        sock.sendall(command('query-status'))
        msg = read()
        t1 = time.perf_counter_ns()
        assert msg['id'] == state['id'] and 'return' in msg
        if i >= warmup:
            latencies.append((t1 - t0) / 1e6)
    latencies.sort()

    def pipelined(names):
        first = state['id'] + 1
        data = b''.join(command(n) for n in names)
        writer = threading.Thread(target=sock.sendall, args=(data,))
        t0 = time.perf_counter_ns()
        writer.start()
        for k in range(len(names)):
            msg = read()
            assert msg['id'] == first + k and 'return' in msg
        t1 = time.perf_counter_ns()
        writer.join()
        return len(names) / ((t1 - t0) / 1e9)

    rates = [pipelined(['query-status'] * npipe) for _ in range(rounds)]

    state['events'] = 0
    names = ['system_reset' if i % 10 == 9 else 'query-status' for i in range(1000)]
    pipelined(names)
    # RESET events may trail the last reply slightly: poll for up to 2 s.
    expected = names.count('system_reset')
    deadline = time.monotonic() + 2
    while state['events'] < expected and time.monotonic() < deadline:
        sock.sendall(command('query-status'))
        read()
    print(json.dumps({
        'median_rtt_ms': latencies[len(latencies) // 2],
        'p99_rtt_ms': latencies[int(len(latencies) * 0.99)],
        'pipelined_per_s': sorted(rates)[len(rates) // 2],
        'events_expected': expected,
        'events_seen': state['events'],
    }))
    sock.close()


main()
