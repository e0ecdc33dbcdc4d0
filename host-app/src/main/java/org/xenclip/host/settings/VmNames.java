package org.xenclip.host.settings;

/** The one rule for VM names the app accepts, shared by the command line, the config file and discovery. */
public final class VmNames {

    /** Xen limits domain names to 64 bytes (libxl); the thread name {@code vm-<name>-io} carries it. */
    public static final int MAX_LENGTH = 64;

    private VmNames() {}

    /**
     * Returns {@code name} if the app can use it as a VM name.
     *
     * @throws IllegalArgumentException naming the value and the rule it breaks
     */
    public static String check(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("VM name is empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "VM name '" + name + "' is " + name.length() + " characters, limit " + MAX_LENGTH);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '_'
                    || c == '.'
                    || c == '+';
            if (!ok) {
                throw new IllegalArgumentException(
                        "VM name '" + name + "' contains '" + c + "'; allowed are letters, digits and - _ . +");
            }
        }
        return name;
    }
}
