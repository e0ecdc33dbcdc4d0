package org.xenclip.icons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;

class IconsTest {

    /** Surefire runs in the module directory. */
    private static final Path SVG_SOURCES = Path.of("src/main/svg");

    private static final Path RENDER_SCRIPT = Path.of("../scripts/render-icons.sh");

    static List<String> iconNames() {
        List<String> names = new ArrayList<>();
        names.add(Icons.APP_NAME);
        for (Icons.TrayState state : Icons.TrayState.values()) {
            names.add(state.iconName());
        }
        return names;
    }

    static Stream<Integer> sizes() {
        return Icons.sizes().stream();
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void everyIconIsAPngOfItsSize(int size) throws IOException {
        List<URL> urls = new ArrayList<>();
        urls.add(Icons.app(size));
        for (Icons.TrayState state : Icons.TrayState.values()) {
            urls.add(Icons.tray(state, size));
        }
        for (URL url : urls) {
            assertThat(formatOf(url)).as("image format of %s", url).isEqualTo("png");
            BufferedImage image = ImageIO.read(url);
            assertThat(image).as("decoded %s", url).isNotNull();
            assertThat(image.getWidth()).as("width of %s", url).isEqualTo(size);
            assertThat(image.getHeight()).as("height of %s", url).isEqualTo(size);
            assertThat(image.getColorModel().hasAlpha())
                    .as("%s has an alpha channel (icons sit on any panel colour)", url)
                    .isTrue();
        }
    }

    @Test
    void trayStatesLookDifferentAtSixteenPixels() throws IOException {
        Icons.TrayState[] states = Icons.TrayState.values();
        for (int i = 0; i < states.length; i++) {
            for (int j = i + 1; j < states.length; j++) {
                int differing = differingPixels(Icons.tray(states[i], 16), Icons.tray(states[j], 16));
                // A state change must be visible in a 16 px panel slot: at least a 3x3 badge's worth.
                assertThat(differing)
                        .as("pixels differing between %s and %s at 16 px", states[i], states[j])
                        .isGreaterThanOrEqualTo(9);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("iconNames")
    void svgSourceIsWellFormedAndShippedUnchanged(String name) throws Exception {
        Path source = SVG_SOURCES.resolve(name + ".svg");
        assertThat(source).as("SVG source of %s", name).isRegularFile();
        Document document = parse(Files.readAllBytes(source));
        assertThat(document.getDocumentElement().getLocalName()).isEqualTo("svg");
        assertThat(document.getDocumentElement().getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");

        URL shipped = name.equals(Icons.APP_NAME)
                ? Icons.appSvg()
                : Icons.traySvg(
                        Icons.TrayState.valueOf(name.substring("tray-".length()).toUpperCase(java.util.Locale.ROOT)));
        try (InputStream in = shipped.openStream()) {
            assertThat(in.readAllBytes())
                    .as("%s on the classpath equals %s (run scripts/render-icons.sh)", shipped, source)
                    .isEqualTo(Files.readAllBytes(source));
        }
    }

    @Test
    void everySvgSourceIsAKnownIcon() throws IOException {
        try (Stream<Path> files = Files.list(SVG_SOURCES)) {
            List<String> stems = files.map(p -> p.getFileName().toString())
                    .filter(f -> f.endsWith(".svg"))
                    .map(f -> f.substring(0, f.length() - ".svg".length()))
                    .toList();
            assertThat(stems).containsExactlyInAnyOrderElementsOf(iconNames());
        }
    }

    @Test
    void renderScriptRendersExactlyTheLoaderSizes() throws IOException {
        String script = Files.readString(RENDER_SCRIPT, StandardCharsets.UTF_8);
        Matcher matcher = Pattern.compile("(?m)^sizes=\\(([0-9 ]+)\\)$").matcher(script);
        assertThat(matcher.find()).as("a sizes=(...) line in %s", RENDER_SCRIPT).isTrue();
        List<Integer> scriptSizes = Arrays.stream(matcher.group(1).trim().split(" +"))
                .map(Integer::valueOf)
                .toList();
        assertThat(scriptSizes).isEqualTo(Icons.sizes());
    }

    @Test
    void rejectsSizeThatIsNotRendered() {
        assertThatThrownBy(() -> Icons.app(20))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("icon size 20 is not rendered; sizes are [16, 22, 24, 32, 48, 64, 128, 256]"
                        + " (use Icons.bestSize)");
        assertThatThrownBy(() -> Icons.tray(Icons.TrayState.IDLE, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("icon size 0 is not rendered; sizes are [16, 22, 24, 32, 48, 64, 128, 256]"
                        + " (use Icons.bestSize)");
    }

    @Test
    void rejectsNullTrayState() {
        assertThatThrownBy(() -> Icons.tray(null, 16))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tray state is null; expected one of [IDLE, SYNCING, ATTENTION, PAUSED, OFF]");
    }

    @Test
    void bestSizePicksTheSmallestRenderedSizeThatIsLargeEnough() {
        assertThat(Icons.bestSize(1)).isEqualTo(16);
        assertThat(Icons.bestSize(16)).isEqualTo(16);
        assertThat(Icons.bestSize(20)).isEqualTo(22);
        assertThat(Icons.bestSize(25)).isEqualTo(32);
        assertThat(Icons.bestSize(1000)).isEqualTo(256);
        assertThatThrownBy(() -> Icons.bestSize(-3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("icon size -3 must be positive");
    }

    @Test
    void sizesAreAscendingAndUnmodifiable() {
        assertThat(Icons.sizes()).isSorted().doesNotHaveDuplicates();
        assertThatThrownBy(() -> Icons.sizes().add(512)).isInstanceOf(UnsupportedOperationException.class);
    }

    private static String formatOf(URL url) throws IOException {
        try (InputStream in = url.openStream();
                ImageInputStream stream = ImageIO.createImageInputStream(in)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
            assertThat(readers.hasNext()).as("an image reader for %s", url).isTrue();
            ImageReader reader = readers.next();
            try {
                return reader.getFormatName().toLowerCase(java.util.Locale.ROOT);
            } finally {
                reader.dispose();
            }
        }
    }

    private static int differingPixels(URL a, URL b) throws IOException {
        BufferedImage left = ImageIO.read(a);
        BufferedImage right = ImageIO.read(b);
        int count = 0;
        for (int y = 0; y < left.getHeight(); y++) {
            for (int x = 0; x < left.getWidth(); x++) {
                if (left.getRGB(x, y) != right.getRGB(x, y)) {
                    count++;
                }
            }
        }
        return count;
    }

    private static Document parse(byte[] xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        // An icon has no business with a DTD; refusing one also rules out entity tricks.
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        try (InputStream in = new java.io.ByteArrayInputStream(xml)) {
            return factory.newDocumentBuilder().parse(in);
        }
    }
}
