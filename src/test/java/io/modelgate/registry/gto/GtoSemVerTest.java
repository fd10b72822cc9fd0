package io.modelgate.registry.gto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class GtoSemVerTest {

    @Test
    void ordersVersionsByPythonSemverPrecedence() {
        List<String> expected = List.of("v1.0.0-1", "v1.0.0-2", "v1.0.0-10", "v1.0.0-alpha", "v1.0.0-alpha.1",
                "v1.0.0-alpha.beta", "v1.0.0-beta", "v1.0.0-beta.2", "v1.0.0-beta.11", "v1.0.0-rc.1", "v1.0.0",
                "v1.2.0", "v1.10.0", "v2.0.0");
        List<String> shuffled = new ArrayList<>(expected);
        java.util.Collections.reverse(shuffled);
        shuffled.sort(GtoSemVer.PRECEDENCE);
        assertThat(shuffled).isEqualTo(expected);
    }

    @Test
    void ignoresBuildMetadata() {
        assertThat(GtoSemVer.compare("v1.0.0+a", "v1.0.0+b")).isZero();
    }
}
