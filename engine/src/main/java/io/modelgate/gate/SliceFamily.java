package io.modelgate.gate;

import io.modelgate.metrics.Slices;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The tested checks of slices as one family. Each was first decided at its own level; here the
 * levels are corrected for how many there are, so that a thousand slices do not fail fifty checks
 * on noise. Overall checks and point-mode checks are left as they are.
 */
final class SliceFamily {
    private SliceFamily() {
    }

    static List<RuleResult> correct(List<RuleResult> results, SliceCorrection correction) {
        List<Integer> members = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            RuleResult r = results.get(i);
            if (!r.slice().equals(Slices.OVERALL) && r.evidence().tested() && r.outcome() != Outcome.SKIPPED) {
                members.add(i);
            }
        }
        int m = members.size();
        if (m <= 1 || correction == SliceCorrection.NONE) {
            return results;
        }
        members.sort(Comparator.comparingDouble(i -> results.get(i).evidence().pValue()));
        double[] level = new double[m];
        for (int k = 0; k < m; k++) {
            double alpha = results.get(members.get(k)).threshold().level();
            level[k] = correction == SliceCorrection.HOLM ? alpha / (m - k) : alpha * (k + 1) / m;
        }
        // Holm steps down: the first p above its level stops every later one. BH steps up: the last p
        // below its level lets every earlier one fail.
        int rejected = 0;
        if (correction == SliceCorrection.HOLM) {
            while (rejected < m && results.get(members.get(rejected)).evidence().pValue() < level[rejected]) {
                rejected++;
            }
        } else {
            for (int k = m - 1; k >= 0; k--) {
                if (results.get(members.get(k)).evidence().pValue() < level[k]) {
                    rejected = k + 1;
                    break;
                }
            }
        }
        List<RuleResult> out = new ArrayList<>(results);
        String name = correction == SliceCorrection.HOLM ? "Holm" : "Benjamini-Hochberg";
        for (int k = 0; k < m; k++) {
            int i = members.get(k);
            RuleResult r = results.get(i);
            Evidence ev = r.evidence().withLevel(level[k]);
            String note = " [" + name + " over " + m + " slice checks: this one fails below p=" + Gate.p(level[k]) + "]";
            boolean failed = r.outcome() == Outcome.FAIL || r.outcome() == Outcome.WARN;
            if (failed && k >= rejected) {
                String text = r.message().substring(0, r.message().lastIndexOf(": " + Gate.MISSED));
                out.set(i, new RuleResult(r.threshold(), r.slice(), r.value(), r.baseline(), r.change(), Outcome.PASS,
                        text + ": not significant once " + m + " slice checks are counted (p=" + Gate.p(r.evidence().pValue())
                                + ")" + note, ev));
            } else {
                // A check the family fails failed on its own already: every level here is at most its own.
                out.set(i, new RuleResult(r.threshold(), r.slice(), r.value(), r.baseline(), r.change(), r.outcome(),
                        r.message() + note, ev));
            }
        }
        return out;
    }
}
