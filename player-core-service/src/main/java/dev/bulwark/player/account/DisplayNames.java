package dev.bulwark.player.account;

import java.util.Locale;
import java.util.regex.Pattern;

import com.ibm.icu.text.Normalizer2;
import com.ibm.icu.text.SpoofChecker;

/**
 * The rule for display names, shared by registration and the name-change offer. Names are stored
 * in Unicode NFKC (so "ａｄｍｉｎ" is stored as "admin"), and two names are the same name when their
 * confusable skeletons match (UTS #39: Cyrillic "а" and Latin "a", "0" and "O", "rn" and "m"),
 * whatever their case. The skeleton is kept in a unique column, so the database refuses a
 * look-alike even when two registrations race.
 */
public final class DisplayNames {

    public static final String PATTERN = "[\\p{L}\\p{N} _.-]+";
    public static final int MIN = 3;
    public static final int MAX = 32;

    private static final Pattern COMPILED = Pattern.compile(PATTERN);
    private static final Normalizer2 NFKC = Normalizer2.getNFKCInstance();
    private static final Normalizer2 NFKC_CASEFOLD = Normalizer2.getNFKCCasefoldInstance();
    /** Thread-safe once built; building reads ICU's confusables data, so once. */
    private static final SpoofChecker CONFUSABLES = new SpoofChecker.Builder().setChecks(SpoofChecker.CONFUSABLE)
            .build();

    private DisplayNames() {
    }

    public static boolean isValid(String name) {
        return name != null && name.length() >= MIN && name.length() <= MAX && !name.isBlank()
                && COMPILED.matcher(name).matches();
    }

    /** The form a name is stored in (NFKC). */
    public static String normalize(String name) {
        return NFKC.normalize(name);
    }

    /**
     * The key that look-alike names share, whatever their case: the skeleton of the upper-cased
     * name (so "admin", "ADMIN" and "ADMlN" meet: capital I looks like small L), case-folded,
     * then the skeleton again for the confusions only small letters have ("rn" and "m", "cl" and
     * "d"). It over-matches a little ("admin" and "admln" share a key): for uniqueness, a name
     * refused as taken is the safe mistake.
     */
    public static String skeleton(String name) {
        String upper = CONFUSABLES.getSkeleton(NFKC.normalize(name).toUpperCase(Locale.ROOT));
        return CONFUSABLES.getSkeleton(NFKC_CASEFOLD.normalize(upper));
    }
}
