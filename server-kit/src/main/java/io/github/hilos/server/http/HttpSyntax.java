package io.github.hilos.server.http;

/** The character classes of RFC 9110 and RFC 9112. */
final class HttpSyntax {

    private HttpSyntax() {
    }

    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 'a' + 'A'] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    /** A token character: {@code tchar} of RFC 9110 5.6.2. */
    static boolean isTchar(int c) {
        return c >= 0 && c < 128 && TCHAR[c];
    }

    /** A character allowed in a field value: HTAB, SP, VCHAR, obs-text (no other control character). */
    static boolean isFieldValueChar(int c) {
        return c == '\t' || (c >= 0x20 && c != 0x7f && c <= 0xff);
    }

    /** Optional whitespace. */
    static boolean isOws(int c) {
        return c == ' ' || c == '\t';
    }

    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTchar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
