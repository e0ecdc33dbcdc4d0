package org.xenclip.channelsim;

import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

/** One line of the simulator's standard input, parsed. */
sealed interface FaultCommand {
    String HELP =
            """
              drop                      close the dom0 client's connection
              reboot [MILLIS]           reboot the VM, down for MILLIS ms (default 0)
              inject guest|dom0 HEX     queue bytes toward the guest or dom0, e.g. 0d0a5b415454414348
              attached                  inject \\r\\n[ATTACHED]\\r\\n toward dom0 (a Windows guest attaching)
              corrupt guest|dom0        flip the bits of the next byte going that way
              stall guest|dom0          stop delivering that way (back-pressure builds)
              resume guest|dom0         deliver again
              stats                     print the counters
              help                      print this list
              quit                      stop the simulator\
            """;

    /** Largest reboot downtime accepted, so a typo cannot park the simulator for days. */
    long MAX_DOWNTIME_MILLIS = 600_000;

    record Drop() implements FaultCommand {}

    record Reboot(Duration downtime) implements FaultCommand {}

    /** Bytes to queue, as hex digits: a record of an array would compare by identity. */
    record Inject(Direction direction, String hex) implements FaultCommand {
        byte[] bytes() {
            return HexFormat.of().parseHex(hex);
        }
    }

    record Corrupt(Direction direction) implements FaultCommand {}

    record Stall(Direction direction) implements FaultCommand {}

    record Resume(Direction direction) implements FaultCommand {}

    record Stats() implements FaultCommand {}

    record Help() implements FaultCommand {}

    record Quit() implements FaultCommand {}

    /** A blank line or a comment. */
    record Nothing() implements FaultCommand {}

    /**
     * Parses one line.
     *
     * @throws IllegalArgumentException with a message naming the command and what is wrong
     */
    static FaultCommand parse(String line) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
            return new Nothing();
        }
        String[] words = trimmed.split("\\s+");
        String verb = words[0].toLowerCase(Locale.ROOT);
        return switch (verb) {
            case "drop" -> noArgs(words, new Drop());
            case "reboot" -> reboot(words);
            case "inject" -> inject(words);
            case "attached" -> noArgs(
                    words,
                    new Inject(Direction.TO_DOM0, HexFormat.of().formatHex(SimulatedChannel.WINDOWS_ATTACH_BANNER)));
            case "corrupt" -> new Corrupt(direction(words));
            case "stall" -> new Stall(direction(words));
            case "resume" -> new Resume(direction(words));
            case "stats" -> noArgs(words, new Stats());
            case "help" -> noArgs(words, new Help());
            case "quit", "exit" -> noArgs(words, new Quit());
            default -> throw new IllegalArgumentException("unknown command '" + words[0] + "' (try help)");
        };
    }

    private static FaultCommand noArgs(String[] words, FaultCommand command) {
        if (words.length != 1) {
            throw new IllegalArgumentException(words[0] + " takes no arguments");
        }
        return command;
    }

    private static FaultCommand reboot(String[] words) {
        if (words.length == 1) {
            return new Reboot(Duration.ZERO);
        }
        if (words.length > 2) {
            throw new IllegalArgumentException("reboot takes at most one argument, MILLIS");
        }
        long millis;
        try {
            millis = Long.parseLong(words[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("reboot downtime '" + words[1] + "' is not a number of ms", e);
        }
        if (millis < 0 || millis > MAX_DOWNTIME_MILLIS) {
            throw new IllegalArgumentException(
                    "reboot downtime " + millis + " ms is outside 0.." + MAX_DOWNTIME_MILLIS + " ms");
        }
        return new Reboot(Duration.ofMillis(millis));
    }

    private static FaultCommand inject(String[] words) {
        if (words.length != 3) {
            throw new IllegalArgumentException("inject needs a direction (guest or dom0) and HEX bytes");
        }
        Direction direction = Direction.fromWord(words[1].toLowerCase(Locale.ROOT));
        String hex = words[2];
        if (hex.length() % 2 != 0) {
            throw new IllegalArgumentException("inject bytes '" + hex + "' have an odd number of hex digits");
        }
        try {
            HexFormat.of().parseHex(hex);
            return new Inject(direction, hex.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("inject bytes '" + hex + "' are not hex", e);
        }
    }

    private static Direction direction(String[] words) {
        if (words.length != 2) {
            throw new IllegalArgumentException(words[0] + " needs one direction: guest or dom0");
        }
        return Direction.fromWord(words[1].toLowerCase(Locale.ROOT));
    }
}
