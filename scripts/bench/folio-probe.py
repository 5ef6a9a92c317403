#!/usr/bin/python3
"""Write amplification of msync on this machine (docs/BENCHMARKS.md, section 2, "Root cause"): appends CHUNK bytes
at a time to a memory-mapped 512 MiB sparse file and msync(MS_SYNC)s each appended range, once with the mapping's
default advice and once after madvise(MADV_RANDOM) (what the journal's WritePageAdvice does), and prints the bytes
the disk DEVICE really wrote (/proc/diskstats) against the bytes appended, with msync latency percentiles.
With a large read_ahead_kb (8 MiB here) Linux 6.x fills page faults with large folios, and each msync writes whole
folios: 14x the appended bytes at 57 KB per msync here, against 1.07x with MADV_RANDOM.
usage: folio-probe.py DIR [COUNT] [CHUNK] [DEVICE]      (DEVICE: the disk under DIR as in /proc/diskstats, vda)"""
import mmap, os, sys, time
d = sys.argv[1]; n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
chunk = int(sys.argv[3]) if len(sys.argv) > 3 else 57344; dev = sys.argv[4] if len(sys.argv) > 4 else "vda"
size = 512 << 20
assert n * chunk < size, "COUNT x CHUNK must stay under 512 MiB"
os.makedirs(d, exist_ok=True)

def disk_bytes():
    for line in open("/proc/diskstats"):
        f = line.split()
        if f[2] == dev:
            return int(f[9]) * 512
    sys.exit(f"no device {dev} in /proc/diskstats")

def run(advice):
    path = os.path.join(d, "folio-probe.bin")
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
    os.ftruncate(fd, size); os.fsync(fd)
    m = mmap.mmap(fd, size)
    if advice == "random":
        m.madvise(mmap.MADV_RANDOM)
    payload = os.urandom(chunk); lat = []
    before = disk_bytes()
    for i in range(n):
        off = i * chunk
        m[off:off + chunk] = payload
        start = off - off % mmap.PAGESIZE
        t = time.perf_counter(); m.flush(start, off + chunk - start); lat.append((time.perf_counter() - t) * 1000)
    written = disk_bytes() - before
    m.close(); os.close(fd); os.unlink(path)
    lat.sort()
    print(f"{advice:7} {n} x {chunk} B: appended {n * chunk / 1e6:.1f} MB, disk wrote {written / 1e6:.1f} MB "
          f"({written / (n * chunk):.2f}x); msync ms p50 {lat[n // 2]:.2f} p99 {lat[int(n * .99)]:.2f} max {lat[-1]:.2f}",
          flush=True)

print(f"read_ahead_kb of {dev}: {open(f'/sys/block/{dev}/queue/read_ahead_kb').read().strip()}")
run("default")
run("random")
