package org.xenclip.host.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VmNamesTest {

    @Test
    void acceptsXenStyleNames() {
        assertThat(VmNames.check("debian-12.work_vm+1")).isEqualTo("debian-12.work_vm+1");
    }

    @Test
    void rejectsEmptyLongAndOddNames() {
        assertThatThrownBy(() -> VmNames.check("")).hasMessage("VM name is empty");
        assertThatThrownBy(() -> VmNames.check("x".repeat(65)))
                .hasMessage("VM name '" + "x".repeat(65) + "' is 65 characters, limit 64");
        assertThatThrownBy(() -> VmNames.check("a b"))
                .hasMessage("VM name 'a b' contains ' '; allowed are letters," + " digits and - _ . +");
    }
}
