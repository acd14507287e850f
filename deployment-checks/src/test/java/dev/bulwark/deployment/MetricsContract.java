package dev.bulwark.deployment;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names docs/metrics.md promises, and the names a PromQL expression reads. */
final class MetricsContract {

    private static final Pattern DOCUMENTED = Pattern.compile("(?m)^\\| `([a-zA-Z_:][a-zA-Z0-9_:]*)` \\|");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "and", "or", "unless", "offset", "inf", "nan");
    private static final Set<String> HISTOGRAM_SERIES = Set.of("_bucket", "_count", "_sum");

    private MetricsContract() {
    }

    static Set<String> documented() {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = DOCUMENTED.matcher(Repository.read("docs/metrics.md"));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Metric names in a PromQL expression: identifiers outside strings, selectors and groupings, not called. */
    static Set<String> metricNames(String promql) {
        String bare = promql.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(bare);
        while (m.find()) {
            String word = m.group();
            boolean called = bare.substring(m.end()).stripLeading().startsWith("(");
            boolean partOfNumber = m.start() > 0 && Character.isDigit(bare.charAt(m.start() - 1));
            if (!called && !partOfNumber && !KEYWORDS.contains(word.toLowerCase())) {
                names.add(word);
            }
        }
        return names;
    }

    /** The documented name a series belongs to: a histogram's _bucket, _count and _sum are its family's. */
    static String family(String series) {
        for (String suffix : HISTOGRAM_SERIES) {
            if (series.endsWith(suffix)) {
                String family = series.substring(0, series.length() - suffix.length());
                if (documented().contains(family)) {
                    return family;
                }
            }
        }
        return series;
    }
}
