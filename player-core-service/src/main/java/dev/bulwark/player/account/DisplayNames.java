package dev.bulwark.player.account;

import java.util.regex.Pattern;

/** The rule for display names, shared by registration and the name-change offer. */
public final class DisplayNames {

    public static final String PATTERN = "[\\p{L}\\p{N} _.-]+";
    public static final int MIN = 3;
    public static final int MAX = 32;

    private static final Pattern COMPILED = Pattern.compile(PATTERN);

    private DisplayNames() {
    }

    public static boolean isValid(String name) {
        return name != null && name.length() >= MIN && name.length() <= MAX && !name.isBlank()
                && COMPILED.matcher(name).matches();
    }
}
