package org.xenclip.protocol;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The rows of {@code protocol-vectors.tsv} (name, direction, expect, hex, note), read from test resources. */
final class ProtocolVectors {

    // A read-only row of test data, looked up by name and never compared with equals.
    @SuppressWarnings("ArrayRecordComponent")
    record Vector(String name, String direction, String expect, byte[] bytes, String note) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final Map<String, Vector> ALL = load();

    private ProtocolVectors() {}

    static List<Vector> all() {
        return new ArrayList<>(ALL.values());
    }

    static Vector named(String name) {
        return Objects.requireNonNull(ALL.get(name), () -> "no vector named " + name);
    }

    private static Map<String, Vector> load() {
        Map<String, Vector> vectors = new LinkedHashMap<>();
        try (InputStream in = ProtocolVectors.class.getResourceAsStream("/protocol-vectors.tsv");
                BufferedReader reader = new BufferedReader(new InputStreamReader(
                        Objects.requireNonNull(in, "protocol-vectors.tsv"), StandardCharsets.UTF_8))) {
            String header = reader.readLine();
            if (!"name\tdirection\texpect\thex\tnote".equals(header)) {
                throw new IllegalStateException("unexpected vectors header: " + header);
            }
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                vectors.put(f[0], new Vector(f[0], f[1], f[2], Hex.bytes(f[3]), f[4]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return vectors;
    }
}
