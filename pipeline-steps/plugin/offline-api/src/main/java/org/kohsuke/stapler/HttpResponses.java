// Signature mirror of org.kohsuke.stapler:stapler:2076.v1b_a_c12445eb_e, read from jenkinsci/stapler tag 2076.v1b_a_c12445eb_e.
// Only the members the plugin's main sources use; no behaviour (bodies throw). Compiled by scripts/test to
// check the plugin against the engine offline; never packaged, never on a test's classpath.
package org.kohsuke.stapler;

public class HttpResponses {
    public abstract static class HttpResponseException extends RuntimeException implements HttpResponse {
        public HttpResponseException() {
            throw new UnsupportedOperationException("signature mirror");
        }
    }

    public static HttpResponseException notFound() {
        throw new UnsupportedOperationException("signature mirror");
    }

    public static HttpResponseException forbidden() {
        throw new UnsupportedOperationException("signature mirror");
    }

    public static HttpResponseException errorWithoutStack(final int code, final String errorMessage) {
        throw new UnsupportedOperationException("signature mirror");
    }

    public static HttpResponse redirectToDot() {
        throw new UnsupportedOperationException("signature mirror");
    }
}
