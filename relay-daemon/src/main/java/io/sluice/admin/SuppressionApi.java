package io.sluice.admin;

import java.io.IOException;

/**
 * What the suppression routes ({@link SuppressionRoutes}) need from the daemon. CSV in and out
 * ({@code address,scope,scope_value,reason,source,added,expires}); a bad line is an {@link IllegalArgumentException}
 * naming it, and then nothing was changed.
 */
public interface SuppressionApi {
    /** Adds the entries of {@code csv} (durable when this returns); {@code imported}: source {@code import}. */
    int add(String csv, boolean imported) throws IOException;

    /** Removes the entries with the keys of {@code csv} (address, scope, scope value); returns how many existed. */
    int remove(String csv) throws IOException;

    /** Up to {@code limit} entries in force, as CSV with a header; only {@code address}'s when not null. */
    String list(String address, int limit) throws IOException;

    /** Entries held. */
    int size();
}
