package io.sluice.daemon;

import io.sluice.admin.SuppressionApi;
import io.sluice.model.BounceReason;
import io.sluice.suppression.SuppressionCsv;
import io.sluice.suppression.SuppressionEntry;
import io.sluice.suppression.SuppressionList;
import io.sluice.suppression.SuppressionSource;
import java.io.IOException;
import java.util.List;

/**
 * The admin API's view of the daemon's {@link SuppressionList}: CSV in ({@link SuppressionCsv}; an operator's entries
 * default to source {@code operator}, reason {@code undefined}, now, no expiry), CSV out. Thread-safe (the list is).
 */
final class SuppressionBinding implements SuppressionApi {
    private final SuppressionList list;

    SuppressionBinding(SuppressionList list) {
        this.list = list;
    }

    @Override
    public int add(String csv, boolean imported) throws IOException {
        List<SuppressionEntry> entries = SuppressionCsv.parse(csv, new SuppressionCsv.Defaults(
                imported ? SuppressionSource.IMPORT : SuppressionSource.OPERATOR, BounceReason.UNDEFINED,
                System.currentTimeMillis(), 0));
        list.add(entries);
        return entries.size();
    }

    @Override
    public int remove(String csv) throws IOException {
        return list.remove(SuppressionCsv.parse(csv, new SuppressionCsv.Defaults(SuppressionSource.OPERATOR,
                BounceReason.UNDEFINED, System.currentTimeMillis(), 0)));
    }

    @Override
    public String list(String address, int limit) throws IOException {
        String only = address == null ? null : new SuppressionEntry(address, io.sluice.suppression.SuppressionScope.GLOBAL,
                "", BounceReason.UNDEFINED, SuppressionSource.OPERATOR, 0, 0).address(); // folded as the list folds
        StringBuilder out = new StringBuilder(SuppressionCsv.HEADER).append('\n');
        int[] n = {0};
        list.forEach(System.currentTimeMillis(), e -> {
            if (only == null || e.address().equals(only)) {
                out.append(SuppressionCsv.line(e)).append('\n');
                n[0]++;
            }
            return n[0] < limit;
        });
        return out.toString();
    }

    @Override
    public int size() {
        return list.size();
    }
}
