package dev.operators.elasticache.fake;

import dev.operators.elasticache.api.Engine;
import dev.operators.elasticache.decide.EngineVersions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ParameterCatalogueTest {

  private final ParameterCatalogue catalogue = ParameterCatalogue.shared();

  private static final List<String> CLUSTER_FAMILIES =
      List.of("redis3.2", "redis4.0", "redis5.0", "redis6.x", "redis7", "valkey7", "valkey8", "valkey9");

  @Test
  void everyValkeyAndRedisFamilyHasACatalogue() {
    assertThat(catalogue.families()).containsExactly("redis2.6", "redis2.8", "redis3.2", "redis4.0", "redis5.0",
        "redis6.x", "redis7", "valkey7", "valkey8", "valkey9");
    assertThat(catalogue.parameters("valkey7")).isEqualTo(catalogue.parameters("redis7"));
    assertThat(catalogue.parameters("valkey9")).containsKey("cluster-databases");
    assertThat(catalogue.parameters("valkey8")).doesNotContainKeys("cluster-databases", "lazyfree-lazy-eviction")
        .containsKeys("extended-redis-compatibility", "commandlog-large-reply-max-len", "search-default-timeout-ms");
    assertThat(catalogue.parameters("redis5.0")).containsKeys("min-replicas-to-write", "rename-commands")
        .doesNotContainKeys("min-slaves-to-write", "repl-timeout", "hash-max-listpack-entries");
    assertThat(catalogue.parameters("memcached1.6")).isEmpty();
  }

  @Test
  void parametersTheOperatorsSamplesAndTestsUseAreAccepted() throws IOException {
    // samples/*.yaml spec.parameters, checked against the family of the sample's engine version
    Map<String, String> used = new LinkedHashMap<>();
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    try (Stream<Path> samples = Files.list(ParameterCatalogue.projectRoot().resolve("samples"))) {
      for (Path sample : samples.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        try (YAMLParser parser = new YAMLFactory().createParser(sample.toFile())) {
          for (JsonNode doc : yaml.readValues(parser, JsonNode.class).readAll()) {
            JsonNode params = doc.path("spec").path("parameters");
            params.fields().forEachRemaining(e -> used.put(e.getKey(), e.getValue().asText()));
            if (params.size() > 0) {
              Engine engine = doc.path("spec").path("engine").asText("valkey").equals("redis") ? Engine.REDIS : Engine.VALKEY;
              String version = EngineVersions.effective(engine, doc.path("spec").path("engineVersion").asText(""));
              String family = new EngineVersions(FakeAws.ENGINE_VERSIONS).family(engine, version).orElseThrow();
              params.fields().forEachRemaining(e ->
                  assertThat(catalogue.refusal(family, e.getKey(), e.getValue().asText())).as(sample + " " + e).isEmpty());
            }
          }
        }
      }
    }
    assertThat(used).containsKeys("maxmemory-policy", "notify-keyspace-events", "timeout");
    // src/test/java: setParameters(...) and the operator's own cluster-enabled=yes (Desired)
    used.putAll(Map.of("maxmemory-policy", "allkeys-lru", "timeout", "300", "notify-keyspace-events", "Ex"));
    for (String family : CLUSTER_FAMILIES) {
      used.forEach((k, v) -> assertThat(catalogue.refusal(family, k, v)).as(family + " " + k + "=" + v).isEmpty());
      assertThat(catalogue.refusal(family, "cluster-enabled", "yes")).as(family).isEmpty();
    }
  }

  @Test
  void unknownNamesAreRefusedWithAwsWording() {
    assertThat(catalogue.refusal("valkey8", "no-such-parameter", "1"))
        .contains("Parameter no-such-parameter doesn't exist");
    assertThat(catalogue.refusal("redis7", "hash-max-ziplist-entries", "512")).isPresent(); // removed in 7
    assertThat(catalogue.refusal("redis6.x", "hash-max-listpack-entries", "512")).isPresent(); // added in 7
    assertThat(catalogue.refusal("redis4.0", "min-replicas-to-write", "1")).isPresent(); // named so from 5.0
    assertThat(catalogue.refusal("valkey8", "cluster-databases", "2")).isPresent(); // Valkey 9
    assertThat(catalogue.refusal("memcached1.6", "anything", "1")).isEmpty(); // no catalogue
  }

  @Test
  void nonModifiableAndConditionallyModifiableParameters() {
    assertThat(catalogue.refusal("valkey8", "activerehashing", "no"))
        .contains("The parameter activerehashing cannot be modified.");
    assertThat(catalogue.refusal("redis6.x", "activerehashing", "no")).isEmpty(); // conditional before 7
    assertThat(catalogue.refusal("redis6.x", "activerehashing", "no", true)).isPresent();
    assertThat(catalogue.refusal("valkey8", "maxmemory", "1000")).isPresent(); // node-type specific
    assertThat(catalogue.refusal("valkey9", "cluster-databases", "4")).isPresent(); // set at creation
    assertThat(catalogue.refusal("valkey8", "cluster-enabled", "no", true))
        .contains("The parameter cluster-enabled cannot be modified.");
  }

  @Test
  void valuesOutsideTheAllowedValuesAreRefused() {
    Map<String, String> refused = Map.of("maxmemory-policy", "sometimes", "timeout", "10", "maxmemory-samples", "65",
        "reserved-memory-percent", "101", "notify-keyspace-events", "Exq", "latency-tracking", "maybe",
        "cluster-preferred-endpoint-type", "hostname", "commandlog-large-reply-max-len", "2000");
    refused.forEach((k, v) -> assertThat(catalogue.refusal("valkey8", k, v)).as(k + "=" + v)
        .hasValueSatisfying(m -> assertThat(m).startsWith("Invalid value " + v + " for parameter " + k)));
    assertThat(catalogue.refusal("valkey8", "timeout", "abc")).isPresent();
    assertThat(catalogue.refusal("redis7", "maxmemory-policy", "allkeys-lfu")).isEmpty();
    assertThat(catalogue.refusal("redis2.8", "maxmemory-policy", "allkeys-lfu")).isPresent(); // LFU from 4.0
    assertThat(catalogue.refusal("valkey8", "timeout", "0")).isEmpty();
    assertThat(catalogue.refusal("valkey8", "timeout", "99999999999999999999")).isEmpty(); // open range
    assertThat(catalogue.refusal("valkey8", "slowlog-log-slower-than", "-1")).isEmpty(); // "-": any integer
    assertThat(catalogue.refusal("redis5.0", "list-max-ziplist-size", "-2")).isPresent(); // not modifiable
    assertThat(ParameterCatalogue.inRanges("-5,-4,-3,-2,-1,1-", new java.math.BigInteger("-3"))).isTrue();
    assertThat(ParameterCatalogue.inRanges("-5,-4,-3,-2,-1,1-", java.math.BigInteger.ZERO)).isFalse();
    assertThat(catalogue.refusal("valkey8", "notify-keyspace-events", "")).isEqualTo(Optional.empty());
  }
}
