package io.livestream.devstack.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.chat.ChatGateway;
import io.livestream.chat.ChatGatewayConfig;
import io.livestream.common.json.Json;
import io.livestream.common.media.MediaRecord;
import io.livestream.devstack.SharedInfra;
import io.livestream.origin.HlsOrigin;
import io.livestream.origin.HlsOriginConfig;
import io.livestream.origin.api.ApiConfig;
import io.livestream.origin.dvr.DvrConfig;
import io.livestream.origin.http.OriginConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document is the contract: every path and method in it, as the origin serves it, is called on the
 * origin's port (real Kafka and Redis, a real chat gateway behind it) and must answer with one of its documented
 * statuses and content types, never 404, 405 or 500. Operations that only the operator may call are called first
 * without the token (401) and then with it; deletions are walked last, so they remove what the others used.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OpenApiContractTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path recordings;

    @Test
    void everyDocumentedRouteAnswersOnTheOriginPortAsDocumented() throws Exception {
        SharedInfra infra = SharedInfra.get();
        String prefix = infra.uniqueKeyPrefix();
        try (ChatGateway gateway = new ChatGateway(ChatGatewayConfig.defaults(infra.bootstrapServers(), infra.redisUri(),
                "contract-test-secret-0123456789").withPort(0).withKeyPrefix(prefix))) {
            gateway.start();
            HlsOrigin origin = new HlsOrigin(HlsOriginConfig.defaults(infra.bootstrapServers())
                    .withHttp(OriginConfig.DEFAULTS.withHost("127.0.0.1").withPort(0))
                    .withApi(ApiConfig.defaults(infra.redisUri()).withKeyPrefix(prefix))
                    .withDvr(DvrConfig.defaults().withDirectory(recordings))
                    .withChatGateway(URI.create("http://127.0.0.1:" + gateway.port())));
            try {
                String base = "http://127.0.0.1:" + origin.start();
                String operator = infra.operatorToken(prefix);
                HttpResponse<String> doc = send(base, "GET", "/api/openapi.json", null, null);
                assertThat(doc.statusCode()).isEqualTo(200);
                JsonNode paths = Json.MAPPER.readTree(doc.body()).get("paths");
                String id = Json.MAPPER.readTree(send(base, "POST", "/api/streams", "{\"title\":\"contract\",\"broadcasterId\":\"walker\"}", operator)
                        .body()).get("id").asText();
                String sessionId = "contractsession1";
                origin.recordings().onMediaRecord(new MediaRecord(id, sessionId, "360p", MediaRecord.Type.SEGMENT, 1, -1, 2.0, 0, true, false,
                        "avc1.42c01e", 640, 360, 30, 800_000, System.currentTimeMillis(), new byte[] {0x47}));

                List<Map.Entry<String, Map.Entry<String, JsonNode>>> operations = new ArrayList<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> path = it.next();
                    for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                        Map.Entry<String, JsonNode> op = ops.next();
                        if (!op.getKey().equals("parameters")) operations.add(Map.entry(path.getKey(), op));
                    }
                }
                operations.sort(java.util.Comparator.comparing(o -> o.getValue().getKey().equals("delete")));

                List<String> walked = new ArrayList<>();
                for (Map.Entry<String, Map.Entry<String, JsonNode>> operation : operations) {
                    String pathName = operation.getKey();
                    Map.Entry<String, JsonNode> op = operation.getValue();
                    String method = op.getKey().toUpperCase();
                    JsonNode example = op.getValue().path("requestBody").path("content").path("application/json").path("example");
                    String target = pathName.replace("{id}", id).replace("{sessionId}", sessionId);
                    String body = example.isMissingNode() ? null : Json.MAPPER.writeValueAsString(example);
                    boolean operatorOnly = operatorOnly(op.getValue());
                    if (operatorOnly) {
                        HttpResponse<String> refused = send(base, method, target, body, null);
                        assertThat(refused.statusCode()).as(method + " " + pathName + " without the operator token: " + refused.body()).isEqualTo(401);
                    }
                    HttpResponse<String> answer = send(base, method, target, body, operatorOnly ? operator : null);
                    String what = method + " " + pathName + " -> " + answer.statusCode() + " " + answer.body();
                    JsonNode documented = op.getValue().get("responses").get(String.valueOf(answer.statusCode()));
                    assertThat(answer.statusCode()).as(what).isNotIn(404, 405, 500);
                    assertThat(documented).as(what + ": status not documented").isNotNull();
                    JsonNode content = documented.has("$ref") ? resolve(Json.MAPPER.readTree(doc.body()), documented.get("$ref").asText()).get("content")
                            : documented.get("content");
                    if (content != null) {
                        String type = answer.headers().firstValue("content-type").orElse("");
                        assertThat(content.fieldNames()).toIterable().as(what + ": content type " + type).anyMatch(type::startsWith);
                    }
                    walked.add(method + " " + pathName + " " + answer.statusCode());
                }
                System.out.println("OpenAPI walk: " + walked);
                assertThat(walked).as("chat is part of the contract").anyMatch(w -> w.startsWith("POST /api/streams/{id}/chat"))
                        .anyMatch(w -> w.startsWith("GET /api/streams/{id}/chat 200")).anyMatch(w -> w.startsWith("POST /api/chat/token 200"));
                assertThat(walked).as("the operator's calls succeed with the token").contains("POST /api/streams 201",
                        "DELETE /api/streams/{id} 200", "DELETE /api/recordings/{sessionId} 200");
            } finally {
                origin.close();
            }
        }
    }

    /** Whether the operation's only security requirement is the operator token. */
    private static boolean operatorOnly(JsonNode operation) {
        JsonNode security = operation.path("security");
        return security.size() == 1 && security.get(0).has("operatorToken");
    }

    private static JsonNode resolve(JsonNode doc, String ref) {
        JsonNode node = doc;
        for (String part : ref.substring(2).split("/")) node = node.get(part);
        return node;
    }

    private static HttpResponse<String> send(String base, String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) request.header("Content-Type", "application/json");
        if (token != null) request.header("Authorization", "Bearer " + token);
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
