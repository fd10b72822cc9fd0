package io.modelgate.lineage;

import io.modelgate.common.ModelgateException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class OutboxTest {
    @TempDir
    Path tmp;

    /** Records what it was sent; fails while {@code failing} is set. */
    static class RecordingSender implements OpenLineageSender {
        final List<String> sent = new ArrayList<>();
        boolean failing;

        @Override
        public void send(String eventJson) {
            if (failing) {
                throw new LineageException(Kind.EXTERNAL, "endpoint http://lineage.example/api/v1/lineage answered HTTP 503", null);
            }
            sent.add(eventJson);
        }

        @Override
        public String destination() {
            return "memory";
        }

        @Override
        public void close() {
        }
    }

    private static LineageRecord record(String id, String runId, Instant ended) {
        return OpenLineageEventsTest.Records.training(id, runId, ended.minusSeconds(60), ended, true,
                "https://github.com/acme/churn.git", List.of());
    }

    private static List<io.openlineage.client.OpenLineage.RunEvent> events(LineageRecord r) {
        return OpenLineageEvents.events(r, OpenLineageEventsTest.Records.PRODUCER, id -> Optional.empty());
    }

    @Test
    void storesEachEventAsItsOwnFileBeforeSending() throws Exception {
        Outbox outbox = new Outbox(tmp.resolve("outbox"));
        LineageRecord r = record("r1", OpenLineageEventsTest.Records.RUN_ID, Instant.parse("2026-11-26T10:00:00Z"));

        List<Path> files = outbox.enqueue(r, events(r));

        assertThat(files).hasSize(2);
        assertThat(outbox.pending()).containsExactlyElementsOf(files);
        assertThat(files.get(0).getFileName().toString()).endsWith("-r1-01.json");
        assertThat(Files.readString(files.get(0))).contains("\"eventType\":\"START\"");
        assertThat(Files.readString(files.get(1))).contains("\"eventType\":\"COMPLETE\"");
        try (var all = Files.list(outbox.directory())) {
            assertThat(all.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void flushSendsInOrderAndDeletesEachSentEvent() {
        Outbox outbox = new Outbox(tmp);
        LineageRecord later = record("later", "11111111-1111-1111-1111-111111111111", Instant.parse("2026-11-26T11:00:00Z"));
        LineageRecord earlier = record("earlier", "22222222-2222-2222-2222-222222222222", Instant.parse("2026-11-26T10:00:00Z"));
        outbox.enqueue(later, events(later));
        outbox.enqueue(earlier, events(earlier));
        RecordingSender sender = new RecordingSender();

        OutboxFlushResult result = outbox.flush(sender);

        assertThat(result).isEqualTo(new OutboxFlushResult(4, 0, Optional.empty()));
        assertThat(sender.sent).extracting(j -> OpenLineageEvents.fromJson(j).getRun().getRunId().toString() + " "
                        + OpenLineageEvents.fromJson(j).getEventType())
                .containsExactly("22222222-2222-2222-2222-222222222222 START",
                        "22222222-2222-2222-2222-222222222222 COMPLETE",
                        "11111111-1111-1111-1111-111111111111 START",
                        "11111111-1111-1111-1111-111111111111 COMPLETE");
        assertThat(outbox.pending()).isEmpty();
        assertThat(outbox.flush(sender).sent()).isZero();
        assertThat(sender.sent).hasSize(4);
    }

    @Test
    void failedSendKeepsEverythingPendingAndALaterFlushSendsItOnce() {
        Outbox outbox = new Outbox(tmp);
        LineageRecord r = record("r1", OpenLineageEventsTest.Records.RUN_ID, Instant.parse("2026-11-26T10:00:00Z"));
        outbox.enqueue(r, events(r));
        RecordingSender sender = new RecordingSender();
        sender.failing = true;

        OutboxFlushResult failed = outbox.flush(sender);

        assertThat(failed.sent()).isZero();
        assertThat(failed.pending()).isEqualTo(2);
        assertThat(failed.firstError()).get().extracting(LineageException::kind).isEqualTo(Kind.EXTERNAL);
        assertThat(outbox.pending()).hasSize(2);

        sender.failing = false;
        assertThat(outbox.flush(sender)).isEqualTo(new OutboxFlushResult(2, 0, Optional.empty()));
        assertThat(outbox.flush(sender).sent()).isZero();
        assertThat(sender.sent).hasSize(2);
    }

    @Test
    void stopsAtTheFirstFailureSoOrderIsKept() {
        Outbox outbox = new Outbox(tmp);
        LineageRecord r = record("r1", OpenLineageEventsTest.Records.RUN_ID, Instant.parse("2026-11-26T10:00:00Z"));
        outbox.enqueue(r, events(r));
        List<String> sent = new ArrayList<>();
        OpenLineageSender failsSecond = new RecordingSender() {
            @Override
            public void send(String eventJson) {
                if (!sent.isEmpty()) {
                    throw new LineageException(Kind.EXTERNAL, "down", null);
                }
                sent.add(eventJson);
            }
        };

        OutboxFlushResult result = outbox.flush(failsSecond);

        assertThat(result.sent()).isEqualTo(1);
        assertThat(result.pending()).isEqualTo(1);
        assertThat(outbox.pending()).singleElement().satisfies(p -> assertThat(p.toString()).endsWith("-02.json"));
    }

    @Test
    void enqueueingTheSameRecordTwiceKeepsOneCopy() {
        Outbox outbox = new Outbox(tmp);
        LineageRecord r = record("r1", OpenLineageEventsTest.Records.RUN_ID, Instant.parse("2026-11-26T10:00:00Z"));

        outbox.enqueue(r, events(r));
        outbox.enqueue(r, events(r));

        assertThat(outbox.pending()).hasSize(2);
    }

    @Test
    void emitterReportsPendingEventsWithAWarning() {
        RecordingSender sender = new RecordingSender();
        sender.failing = true;
        LineageRecord r = record("r1", OpenLineageEventsTest.Records.RUN_ID, Instant.parse("2026-11-26T10:00:00Z"));
        try (OpenLineageEmitter emitter = new OpenLineageEmitter(new Outbox(tmp), sender, OpenLineageEventsTest.Records.PRODUCER)) {
            OpenLineageEmitReport report = emitter.emit(r, id -> Optional.empty());

            assertThat(report.sent()).isZero();
            assertThat(report.pending()).isEqualTo(2);
            assertThat(report.delivered()).isFalse();
            assertThat(report.warning()).get().asString()
                    .contains("2 event(s) pending").contains("HTTP 503").contains("lineage flush").doesNotContain("\n");

            sender.failing = false;
            assertThat(emitter.flush()).isEqualTo(new OpenLineageEmitReport(2, 0, Optional.empty()));
        }
    }

    @Test
    void fileSenderAppendsOneJsonLinePerEventCreatingFolders() throws Exception {
        Path file = tmp.resolve("deep/er/events.ndjson");
        LineageRecord r = record("r1", OpenLineageEventsTest.Records.RUN_ID, Instant.parse("2026-11-26T10:00:00Z"));
        try (OpenLineageEmitter emitter = new OpenLineageEmitter(new Outbox(tmp.resolve("outbox")),
                OpenLineageSender.file(file), OpenLineageEventsTest.Records.PRODUCER)) {
            assertThat(emitter.emit(r, id -> Optional.empty())).isEqualTo(new OpenLineageEmitReport(2, 0, Optional.empty()));
        }

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        assertThat(lines).extracting(l -> OpenLineageEvents.fromJson(l).getEventType().name()).containsExactly("START", "COMPLETE");
    }

    @Test
    void fileSenderFailureIsExternalAndKeepsEventsPending() throws Exception {
        Path blocker = Files.writeString(tmp.resolve("not-a-folder"), "x");
        LineageRecord r = record("r1", OpenLineageEventsTest.Records.RUN_ID, Instant.parse("2026-11-26T10:00:00Z"));
        try (OpenLineageEmitter emitter = new OpenLineageEmitter(new Outbox(tmp.resolve("outbox")),
                OpenLineageSender.file(blocker.resolve("events.ndjson")), OpenLineageEventsTest.Records.PRODUCER)) {
            OpenLineageEmitReport report = emitter.emit(r, id -> Optional.empty());

            assertThat(report.pending()).isEqualTo(2);
            assertThat(report.warning()).get().asString().contains("cannot append OpenLineage event to");
        }
    }
}
