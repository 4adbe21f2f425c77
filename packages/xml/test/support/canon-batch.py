#!/usr/bin/env python3
"""Batch form of /work/shared/tools/xmlcanon.py: the same canon() and first_diff() on many pairs
in one process. Reads 'IN<TAB>OUT' lines on stdin, prints one line per differing pair
('IN<TAB>reason') and a final 'compared N'."""
import sys
sys.path.insert(0, sys.argv[1])
import xmlcanon  # noqa: E402

n = 0
for line in sys.stdin:
    line = line.rstrip('\n')
    if not line:
        continue
    a_path, b_path = line.split('\t')
    n += 1
    try:
        a, b = xmlcanon.canon(xmlcanon.load(a_path)), xmlcanon.canon(xmlcanon.load(b_path))
    except Exception as e:  # not well-formed
        print(f'{a_path}\tnot well-formed: {e}')
        continue
    if a != b:
        print(f'{a_path}\t{xmlcanon.first_diff(a, b) or "documents differ"}')
print(f'compared {n}')
