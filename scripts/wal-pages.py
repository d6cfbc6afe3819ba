#!/usr/bin/env python3
"""Pages a transaction writes, by b-tree: reads a node's WAL (kept by an open reader, see
below) and names the table or index of every frame with SQLite's dbstat.

    DB=DIR/fenxiao.sqlite
    (echo "BEGIN; SELECT count(*) FROM orders;"; sleep 30) | sqlite3 $DB >/dev/null &   # keeps the WAL
    fenxiao bench store-phase --data DIR --store 1 --orders 300
    cp $DB /tmp/w.db && cp $DB-wal /tmp/w.db-wal && python3 scripts/wal-pages.py /tmp/w.db 250

prints the frames per transaction over the last N transactions, then per b-tree (README,
Performance: "Pages per order, by b-tree").
"""
import collections
import struct
import subprocess
import sys

db, last = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 250
wal = open(db + "-wal", "rb").read()
page_size = struct.unpack(">I", wal[8:12])[0]
transactions, current, offset = [], [], 32
while offset + 24 + page_size <= len(wal):
    page, commit = struct.unpack(">II", wal[offset : offset + 8])
    current.append(page)
    if commit:
        transactions.append(current)
        current = []
    offset += 24 + page_size
listing = subprocess.run(["sqlite3", db, "SELECT pageno, name FROM dbstat"], capture_output=True, text=True, check=True)
owner = dict((int(p), n) for p, n in (line.split("|", 1) for line in listing.stdout.splitlines()))
tail = transactions[-last:]
counts = collections.Counter(owner.get(p, "?") for t in tail for p in t)
print(f"{len(transactions)} transactions; last {len(tail)}: {sum(counts.values()) / len(tail):.2f} frames each")
for name, n in counts.most_common():
    print(f"{n / len(tail):6.2f}  {name}")
