package io.livestream.devstack.cluster;

/**
 * The fields of a Linux {@code /proc/<pid>/stat} (or {@code /proc/<pid>/task/<tid>/stat}) line, the one reading of
 * its layout: the command name in parentheses may hold spaces and parentheses itself, so the fields are counted from
 * after its last ')'.
 */
public final class ProcStatLine {
    private ProcStatLine() {}

    /** The fields from the state (the line's 3rd) on: index {@code n - 3} is the line's field {@code n} of proc(5). */
    public static String[] fieldsFromState(String line) {
        return line.substring(line.lastIndexOf(')') + 2).trim().split("\\s+");
    }
}
