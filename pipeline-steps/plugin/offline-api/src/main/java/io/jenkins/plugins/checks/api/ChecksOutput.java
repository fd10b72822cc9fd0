// Signature mirror of io.jenkins.plugins:checks-api:415.vf022234a_931d, read from jenkinsci/checks-api-plugin@9397079.
// Only the members the plugin's main sources use; no behaviour (bodies throw). Compiled by scripts/test to
// check the plugin against the engine offline; never packaged, never on a test's classpath.
package io.jenkins.plugins.checks.api;

public class ChecksOutput {
    private ChecksOutput() {
        throw new UnsupportedOperationException("signature mirror");
    }

    public static class ChecksOutputBuilder {
        public ChecksOutputBuilder() {
            throw new UnsupportedOperationException("signature mirror");
        }

        public ChecksOutputBuilder withTitle(final String title) {
            throw new UnsupportedOperationException("signature mirror");
        }

        public ChecksOutputBuilder withSummary(final String summary) {
            throw new UnsupportedOperationException("signature mirror");
        }

        public ChecksOutputBuilder withText(final String text) {
            throw new UnsupportedOperationException("signature mirror");
        }

        public ChecksOutput build() {
            throw new UnsupportedOperationException("signature mirror");
        }
    }
}
