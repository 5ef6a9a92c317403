package io.sluice.delivery;

/**
 * The typed "pool full" answer of {@link ConnectionPool#acquire}: every connection slot of the (source, site) is
 * leased or being opened. Not a failure of the site and not a reason to defer anything: the caller keeps the work in
 * its ready queue and tries again when the pool's listener says a slot came free ({@link ConnectionPool#available()}
 * is then above zero). One instance per pool, without a stack trace, so refusing costs no allocation.
 */
public final class PoolFullException extends Exception {
    private static final long serialVersionUID = 1L;

    PoolFullException(String pool, int cap) {
        super("connection pool " + pool + " full (" + cap + " connections leased or opening)", null, false, false);
    }
}
