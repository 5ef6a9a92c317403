#!/usr/bin/python3
"""msync cost on this disk (docs/BENCHMARKS.md, latency analysis): appends CHUNK bytes at a time to a memory-mapped
file and msync(MS_SYNC)s each appended range (what Sluice's group commit does to bodies/), into
  sparse:      a fresh sparse file (ftruncate only; blocks are allocated at write-back), like a new Chronicle chunk
  fallocated:  the same file size preallocated with fallocate() first (msync then only writes data)
  rewritten:   the same pages a second time (blocks allocated and written before)
Prints p50/p90/p99/max per mode. usage: msync-probe.py DIR [COUNT] [CHUNK]"""
import mmap, os, sys, time
d = sys.argv[1]; n = int(sys.argv[2]) if len(sys.argv) > 2 else 2000; chunk = int(sys.argv[3]) if len(sys.argv) > 3 else 57344
os.makedirs(d, exist_ok=True)
size = n * chunk + mmap.PAGESIZE
payload = os.urandom(chunk)

def run(label, path, prealloc, reuse=False):
    if not reuse:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
        if prealloc:
            os.posix_fallocate(fd, 0, size)
        else:
            os.ftruncate(fd, size)
        os.fsync(fd)
    else:
        fd = os.open(path, os.O_RDWR)
    m = mmap.mmap(fd, size)
    lat = []
    for i in range(n):
        off = i * chunk
        m[off:off + chunk] = payload
        start = off - off % mmap.PAGESIZE
        t = time.perf_counter()
        m.flush(start, off + chunk - start)       # msync(MS_SYNC) of the written range
        lat.append((time.perf_counter() - t) * 1000)
    m.close(); os.close(fd)
    lat.sort()
    q = lambda p: lat[min(len(lat) - 1, int(len(lat) * p))]
    print(f"{label:11} {n} x {chunk} B: msync ms p50 {q(.5):.2f} p90 {q(.9):.2f} p99 {q(.99):.2f} max {lat[-1]:.2f}", flush=True)

p1 = os.path.join(d, "sparse.bin"); p2 = os.path.join(d, "falloc.bin")
run("sparse", p1, False)
run("fallocated", p2, True)
run("rewritten", p1, False, reuse=True)
os.unlink(p1); os.unlink(p2)
