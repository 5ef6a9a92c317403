package io.sluice.bench;

/** The heap in use after full collections: what the memory benchmarks compare before and after building state. */
public final class HeapUse {
    private HeapUse() {
    }

    /** Bytes used after three {@code System.gc()} calls 200 ms apart (G1 needs a moment to finish each). */
    public static long afterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
