package io.modelgate.common;

import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RedactorTest {
    private static final String PASSWORD_CHARS = "abcXYZ019@:%/!$&'()*+,;=-._~";

    private static String randomPassword(Random r) {
        StringBuilder s = new StringBuilder("S3");
        int n = 4 + r.nextInt(16);
        for (int i = 0; i < n; i++) {
            s.append(PASSWORD_CHARS.charAt(r.nextInt(PASSWORD_CHARS.length())));
        }
        // A secret a test can look for: something no other part of the URL holds.
        return s.append("Qz").toString();
    }

    @Test
    void noPasswordSurvivesInAnyUrlWhateverItHolds() {
        Random r = new Random(3);
        String[] schemes = {"http", "https", "ssh", "git+ssh"};
        String[] paths = {"", "/", "/x.git", "/models/churn@v1", "/a?b=c", "#frag", ":8080/repo.git"};
        for (int i = 0; i < 20_000; i++) {
            String password = randomPassword(r);
            String user = r.nextBoolean() ? "alice" : "ci-bot";
            String written = r.nextBoolean() ? password : URLEncoder.encode(password, StandardCharsets.UTF_8);
            String path = paths[r.nextInt(paths.length)];
            String url = schemes[r.nextInt(schemes.length)] + "://" + user + ":" + written + "@git.example.com" + path;
            String text = "modelgate: registry " + url + " cannot be reached";
            String red = Redactor.urls().redact(text);
            assertThat(red).as(text).doesNotContain(written).doesNotContain(user + ":")
                    .startsWith("modelgate: registry ").endsWith(" cannot be reached");
            // With an '@' in the path too, the user information cannot be told apart: all of it goes.
            assertThat(red).contains(path.contains("@") ? "://***@" : "://***@git.example.com" + path);
        }
    }

    @Test
    void tokenLikeQueryParametersAreHidden() {
        assertThat(Redactor.url("https://h/x?token=abc&page=2&X-Amz-Signature=deadbeef"))
                .isEqualTo("https://h/x?token=***&page=2&X-Amz-Signature=***");
        assertThat(Redactor.url("https://h/api/v1/lineage?api_key=k1"))
                .isEqualTo("https://h/api/v1/lineage?api_key=***");
    }

    @Test
    void urlsWithoutCredentialsAndPathsHoldingAtAreUnchanged() {
        for (String u : new String[]{"https://git.example.com/team/registry.git", "file:///tmp/reg",
                "https://host/models/churn@v1.2.0", "http://localhost:5000/api/2.0/mlflow", "git@github.com:org/repo.git"}) {
            assertThat(Redactor.url(u)).isEqualTo(u);
        }
        assertThat(Redactor.url("https://ci@jenkins.example.com/job/x/1/")).isEqualTo("https://***@jenkins.example.com/job/x/1/");
    }

    @Test
    void secretEnvironmentValuesAreHiddenWhereverTheyAppear() {
        Redactor r = Redactor.of(Map.of("MODELGATE_REGISTRY_PASSWORD", "hunter2!", "OPENLINEAGE_API_KEY", "ol-key-77",
                "PATH", "/usr/bin", "GIT_TOKEN", "no"));
        assertThat(r.redact("auth hunter2! and ol-key-77 and /usr/bin and no"))
                .isEqualTo("auth *** and *** and /usr/bin and no");
        assertThat(r.redact("https://h/x?u=hunter2%21")).doesNotContain("hunter2");
        assertThat(r.holdsSecret("nothing here")).isFalse();
    }

    @Test
    void manyUrlsInOneTextAreAllRedacted() {
        String t = "from https://a:b1@x/y to http://c:d2@z/w, see \"https://e:f3@q\"";
        assertThat(Redactor.redactUrls(t)).isEqualTo("from https://***@x/y to http://***@z/w, see \"https://***@q\"");
    }
}
