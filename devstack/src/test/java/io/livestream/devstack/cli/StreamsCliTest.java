package io.livestream.devstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.registry.StreamInfo;
import io.livestream.common.registry.StreamStatus;
import io.livestream.devstack.SharedInfra;
import io.livestream.devstack.infra.FreePorts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.livestream.common.admin.AdminTokenFile;
import io.livestream.origin.HlsOrigin;
import io.livestream.origin.HlsOriginConfig;
import io.livestream.origin.api.ApiConfig;
import io.livestream.origin.http.OriginConfig;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamsCliTest {
    private static final Pattern KEY_LINE = Pattern.compile("stream key: (live_[0-9a-f]{32})");
    private static final Pattern ID_LINE = Pattern.compile("id: +(\\S+)");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path dataDir;

    @Test
    void createPrintsIdKeyAndIngestUrlThenListShowsTheStream() {
        SharedInfra infra = SharedInfra.get();
        Map<String, String> env = Map.of("REDIS_URL", infra.redisUri(), "KAFKA_BOOTSTRAP", infra.bootstrapServers(),
                "LIVESTREAM_REDIS_PREFIX", infra.uniqueKeyPrefix());

        assertThat(cli(env, unreachable(), unreachable()).run(new String[] {"streams", "create", "--title", "Cooking live", "--broadcaster", "dana"}))
                .as(text(err)).isEqualTo(0);
        String created = text(out);
        String key = find(KEY_LINE, created);
        String id = find(ID_LINE, created);
        assertThat(created).contains("rtmp://localhost:1935/live/" + key);

        out.reset();
        assertThat(cli(env, unreachable(), unreachable()).run(new String[] {"list"})).isEqualTo(0);
        assertThat(text(out)).contains(id).contains("idle").contains("Cooking live").doesNotContain(key);
    }

    @Test
    void withoutAPlatformItEmbedsServersOnTheDataDirAndKeepsWhatItCreated() {
        Map<String, String> env = Map.of("LIVESTREAM_DATA", dataDir.toString());
        String kafka = unreachable();
        String redis = "redis://" + unreachable();

        assertThat(cli(env, kafka, redis).run(new String[] {"create", "--title", "First"})).as(text(err)).isEqualTo(0);
        String id = find(ID_LINE, text(out));
        assertThat(text(err)).contains("starting embedded servers on " + dataDir);

        out.reset();
        assertThat(cli(env, kafka, redis).run(new String[] {"list"})).as(text(err)).isEqualTo(0);
        assertThat(text(out)).contains(id).contains("First");
    }

    @Test
    void withAPlatformRunningCreateGoesThroughTheApiWithTheTokenInTheDataDir() throws Exception {
        SharedInfra infra = SharedInfra.get();
        String prefix = infra.uniqueKeyPrefix();
        String token = infra.operatorToken(prefix);
        AdminTokenFile.write(dataDir.resolve(AdminTokenFile.NAME), token);
        try (HlsOrigin origin = new HlsOrigin(HlsOriginConfig.defaults(infra.bootstrapServers())
                .withHttp(OriginConfig.DEFAULTS.withHost("127.0.0.1").withPort(0))
                .withApi(ApiConfig.defaults(infra.redisUri()).withKeyPrefix(prefix).withMaxStreamsPerBroadcaster(1)))) {
            String api = "http://127.0.0.1:" + origin.start();
            Map<String, String> env = Map.of("LIVESTREAM_DATA", dataDir.toString());

            assertThat(cli(env, unreachable(), unreachable(), api).run(new String[] {"create", "--title", "Via the API", "--broadcaster", "eve",
                    "--ladder", "source,360p"})).as(text(err)).isEqualTo(0);
            String id = find(ID_LINE, text(out));
            String key = find(KEY_LINE, text(out));
            assertThat(origin.registry().get(id).orElseThrow().ladder()).containsExactly("source", "360p");
            assertThat(origin.registry().checkStreamKey(id, key)).isTrue();

            out.reset();
            assertThat(cli(env, unreachable(), unreachable(), api).run(new String[] {"create", "--title", "Over quota", "--broadcaster", "eve"}))
                    .as("the API's quota applies to the CLI too").isEqualTo(1);
            assertThat(text(err)).contains("the API refused (429)").contains("broadcaster eve has 1 streams");

            err.reset();
            assertThat(cli(Map.of("LIVESTREAM_DATA", dataDir.toString(), "LIVESTREAM_ADMIN_TOKEN", "lsa_wrong"), unreachable(), unreachable(), api)
                    .run(new String[] {"create", "--title", "Wrong token"})).isEqualTo(1);
            assertThat(text(err)).contains("the API refused (403): wrong operator token");

            err.reset();
            Files.delete(dataDir.resolve(AdminTokenFile.NAME));
            assertThat(cli(env, unreachable(), unreachable(), api).run(new String[] {"create", "--title", "No token"})).isEqualTo(1);
            assertThat(text(err)).contains("needs the operator token");
        }
    }

    @Test
    void anExplicitAddressThatDoesNotAnswerIsAClearError() {
        String redis = "redis://" + unreachable();
        assertThat(cli(Map.of("REDIS_URL", redis), unreachable(), unreachable()).run(new String[] {"list"})).isEqualTo(1);
        assertThat(text(err)).contains("Redis at " + redis + " (REDIS_URL) is not reachable");
    }

    @Test
    void badUsageExplainsItself() {
        assertThat(cli(Map.of(), unreachable(), unreachable()).run(new String[] {"create"})).isEqualTo(2);
        assertThat(text(err)).contains("create needs --title").contains("usage: streams create");
        err.reset();
        assertThat(cli(Map.of(), unreachable(), unreachable()).run(new String[] {"remove"})).isEqualTo(2);
        assertThat(text(err)).contains("unknown command 'remove'");
    }

    @Test
    void tableAlignsColumns() {
        List<StreamInfo> streams = List.of(
                new StreamInfo("abc", "Short", null, 0L, StreamStatus.IDLE, null, null, null, null, List.of()),
                new StreamInfo("defghi", "A longer title", null, 86_400_000L, StreamStatus.LIVE, "s", 1L, null, null, List.of()));
        assertThat(StreamsCli.formatTable(streams, ZoneOffset.UTC)).isEqualTo("""
                ID      STATUS  TITLE           CREATED
                abc     idle    Short           1970-01-01 00:00:00
                defghi  live    A longer title  1970-01-02 00:00:00
                """);
    }

    private StreamsCli cli(Map<String, String> env, String defaultKafka, String defaultRedis) {
        return cli(env, defaultKafka, defaultRedis, "http://" + unreachable());
    }

    private StreamsCli cli(Map<String, String> env, String defaultKafka, String defaultRedis, String defaultApi) {
        return new StreamsCli(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), defaultKafka, defaultRedis, defaultApi);
    }

    /** host:port where nothing listens. */
    private static String unreachable() {
        return "127.0.0.1:" + FreePorts.pick(0);
    }

    private static String find(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return m.group(1);
    }

    private static String text(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
