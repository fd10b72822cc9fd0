// Signature mirror of io.jenkins.plugins:checks-api:415.vf022234a_931d, read from jenkinsci/checks-api-plugin@9397079.
// Only the members the plugin's main sources use; no behaviour (bodies throw). Compiled by scripts/test to
// check the plugin against the engine offline; never packaged, never on a test's classpath.
package io.jenkins.plugins.checks.api;

public class ChecksDetails {
    private ChecksDetails() {
        throw new UnsupportedOperationException("signature mirror");
    }

    public static class ChecksDetailsBuilder {
        public ChecksDetailsBuilder() {
            throw new UnsupportedOperationException("signature mirror");
        }

        public ChecksDetailsBuilder withName(final String name) {
            throw new UnsupportedOperationException("signature mirror");
        }

        public ChecksDetailsBuilder withStatus(final ChecksStatus status) {
            throw new UnsupportedOperationException("signature mirror");
        }

        public ChecksDetailsBuilder withDetailsURL(final String detailsURL) {
            throw new UnsupportedOperationException("signature mirror");
        }

        public ChecksDetailsBuilder withConclusion(final ChecksConclusion conclusion) {
            throw new UnsupportedOperationException("signature mirror");
        }

        public ChecksDetailsBuilder withOutput(final ChecksOutput output) {
            throw new UnsupportedOperationException("signature mirror");
        }

        public ChecksDetails build() {
            throw new UnsupportedOperationException("signature mirror");
        }
    }
}
