package io.livestream.devstack.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** docker-compose.yml as Compose reads it: a service that {@code extends} another of the file has its settings merged in. */
final class ComposeFile {
    final Path root;
    final JsonNode document;
    /** Service name to its settings, {@code extends} resolved. */
    final Map<String, JsonNode> services = new LinkedHashMap<>();

    private ComposeFile(Path root, JsonNode document) {
        this.root = root;
        this.document = document;
        document.path("services").fieldNames().forEachRemaining(name -> services.put(name, resolved(name)));
    }

    static ComposeFile read(Path root) throws IOException {
        return new ComposeFile(root, new YAMLMapper().readTree(root.resolve("docker-compose.yml").toFile()));
    }

    /** Image name to the Dockerfile that builds it, for every image the file builds. */
    Map<String, Path> builtImages() {
        Map<String, Path> images = new LinkedHashMap<>();
        services.values().forEach(service -> {
            if (service.has("build") && service.has("image")) images.put(service.get("image").asText(), dockerfile(service));
        });
        return images;
    }

    Path buildContext(JsonNode service) {
        JsonNode build = service.get("build");
        return root.resolve(build.isTextual() ? build.asText() : build.path("context").asText(".")).normalize();
    }

    Path dockerfile(JsonNode service) {
        JsonNode build = service.get("build");
        return buildContext(service).resolve(build.isTextual() ? "Dockerfile" : build.path("dockerfile").asText("Dockerfile")).normalize();
    }

    static List<String> command(JsonNode service) {
        List<String> command = new ArrayList<>();
        service.path("command").forEach(n -> command.add(n.asText()));
        return command;
    }

    /** Compose merges mappings (environment, healthcheck) key by key; anything else the extending service sets wins. */
    private JsonNode resolved(String name) {
        JsonNode service = document.path("services").path(name);
        String base = service.path("extends").path("service").asText(null);
        if (base == null) return service;
        assertThat(document.path("services").has(base)).as(name + " extends " + base).isTrue();
        ObjectNode merged = resolved(base).deepCopy();
        service.fields().forEachRemaining(e -> {
            if (e.getKey().equals("extends")) return;
            JsonNode inherited = merged.get(e.getKey());
            if (inherited instanceof ObjectNode map && e.getValue().isObject()) map.setAll((ObjectNode) e.getValue());
            else merged.set(e.getKey(), e.getValue());
        });
        return merged;
    }
}
