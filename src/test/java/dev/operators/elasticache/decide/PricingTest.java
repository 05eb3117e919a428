package dev.operators.elasticache.decide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.operators.elasticache.api.Engine;
import dev.operators.elasticache.fake.NodeTypes;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PricingTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      // one size of every node family AWS lists, current and previous generation: price per node-hour in us-east-1
      "cache.t1.micro, 0.022", "cache.t2.micro, 0.017", "cache.t3.micro, 0.017", "cache.t4g.micro, 0.016",
      "cache.m1.small, 0.055", "cache.m2.xlarge, 0.302", "cache.m3.medium, 0.090", "cache.m4.large, 0.156",
      "cache.m5.large, 0.156", "cache.m6g.large, 0.149", "cache.m7g.large, 0.158", "cache.c1.xlarge, 0.663",
      "cache.r3.large, 0.228", "cache.r4.large, 0.228", "cache.r5.large, 0.216", "cache.r6g.large, 0.206",
      "cache.r6gd.xlarge, 0.781", "cache.r7g.large, 0.219"})
  void everyNodeFamilyHasAFigureInUsEast1(String nodeType, String hourly) {
    Pricing.Estimate e = Pricing.nodes(Engine.REDIS, "us-east-1", nodeType, 1);
    assertThat(e.usd()).isEqualTo(new BigDecimal(hourly).multiply(BigDecimal.valueOf(730)).setScale(2).toPlainString());
    assertThat(e.note()).startsWith("1 x " + nodeType + " in us-east-1: $" + hourly + " per node-hour on-demand for Redis OSS (AWS ");
  }

  /**
   * Every node type the emulator and the fake accept for CreateReplicationGroup (node_types.json, the API
   * reference's list), and the previous-generation ones an adopted group may run, has a price in
   * us-east-1, but for the sizes no source gave a figure for: they stay "unknown" (nothing derived).
   */
  @Test
  void everyNodeTypeTheModelsAcceptHasAPriceInUsEast1() {
    TreeSet<String> types = new TreeSet<>(NodeTypes.shared().creatable());
    types.addAll(NodeTypes.shared().previousGeneration());
    types.removeAll(Pricing.nodeTypes("us-east-1"));
    assertThat(types).containsExactly(
        "cache.m5.12xlarge", "cache.m7g.12xlarge", "cache.m7g.16xlarge", "cache.m7g.4xlarge", "cache.m7g.8xlarge",
        "cache.r5.12xlarge", "cache.r5.24xlarge", "cache.r5.4xlarge",
        "cache.r7g.12xlarge", "cache.r7g.16xlarge", "cache.r7g.4xlarge", "cache.r7g.8xlarge");
    assertThat(NodeTypes.shared().creatable()).hasSize(66);
    assertThat(NodeTypes.shared().previousGeneration()).hasSize(18);
  }

  @Test
  void aPreviousGenerationNodeGetsAFigureAndSaysWhereItComesFrom() {
    Pricing.Estimate e = Pricing.nodes(Engine.REDIS, "us-east-1", "cache.m3.medium", 2);
    assertThat(e.usd()).isEqualTo("131.40"); // 0.090 * 730 * 2
    assertThat(e.note()).isEqualTo("2 x cache.m3.medium in us-east-1: $0.090 per node-hour on-demand for Redis OSS"
        + " (AWS Price List, 2022-02-13), 730 h a month");
  }

  @Test
  void theMainRegionsHaveTheirOwnFigures() {
    assertThat(Pricing.nodes(Engine.REDIS, "us-east-2", "cache.r6g.large", 1).usd()).isEqualTo("150.38");
    assertThat(Pricing.nodes(Engine.REDIS, "us-west-2", "cache.m3.medium", 1).usd()).isEqualTo("65.70");
    assertThat(Pricing.nodes(Engine.REDIS, "eu-west-1", "cache.r6g.large", 1).usd()).isEqualTo("167.17"); // 0.229
    assertThat(Pricing.nodes(Engine.REDIS, "eu-central-1", "cache.r6g.large", 1).usd()).isEqualTo("180.31"); // 0.247
    assertThat(Pricing.nodes(Engine.REDIS, "ap-southeast-1", "cache.m3.medium", 1).usd()).isEqualTo("87.60"); // 0.120
    assertThat(Pricing.nodes(Engine.REDIS, "ap-northeast-1", "cache.r6g.large", 1).usd()).isEqualTo("180.31");
    assertThat(Pricing.regions()).contains("us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1",
        "ap-southeast-1", "ap-northeast-1");
  }

  @Test
  void valkeyNodesAreTwentyPercentBelowRedisOss() {
    assertThat(Pricing.nodes(Engine.REDIS, "us-east-1", "cache.r7g.large", 2).usd()).isEqualTo("319.74");
    Pricing.Estimate valkey = Pricing.nodes(Engine.VALKEY, "us-east-1", "cache.r7g.large", 2);
    assertThat(valkey.usd()).isEqualTo("255.79");
    assertThat(valkey.note()).contains("$0.219 per node-hour", "Valkey 20% lower");
  }

  @Test
  void anUnknownNodeTypeOrRegionIsUnknownAndSaysWhy() {
    assertThat(Pricing.nodes(Engine.VALKEY, "us-east-1", "cache.x9.large", 2))
        .isEqualTo(new Pricing.Estimate(null, "no price for cache.x9.large in us-east-1"));
    assertThat(Pricing.nodes(Engine.VALKEY, "me-south-1", "cache.m7g.large", 1))
        .isEqualTo(new Pricing.Estimate(null, "no price for cache.m7g.large in me-south-1"));
    assertThat(Pricing.nodes(Engine.REDIS, "xx-moon-1", "cache.t4g.micro", 1))
        .isEqualTo(new Pricing.Estimate(null, "no prices for region xx-moon-1"));
    assertThat(Pricing.nodes(Engine.REDIS, "us-east-1", "cache.t4g.micro", 0).known()).isFalse();
  }

  @Test
  void serverlessBillsAtLeastTheEngineMinimumStorage() {
    // Redis OSS: at least 1 GB at $0.125 per GB-hour
    Pricing.Estimate idleRedis = Pricing.serverless(Engine.REDIS, "us-east-1", BigDecimal.ZERO, BigDecimal.ZERO);
    assertThat(idleRedis.usd()).isEqualTo("91.25");
    assertThat(idleRedis.note()).contains("1 GB billed (minimum 1 GB)");
    assertThat(Pricing.serverless(Engine.REDIS, "us-east-1", new BigDecimal("0.5"), BigDecimal.ZERO).usd()).isEqualTo("91.25");
    // Valkey: at least 100 MB at $0.084 per GB-hour
    Pricing.Estimate idleValkey = Pricing.serverless(Engine.VALKEY, "us-east-1", BigDecimal.ZERO, BigDecimal.ZERO);
    assertThat(idleValkey.usd()).isEqualTo("6.13");
    assertThat(idleValkey.note()).contains("0.1 GB billed (minimum 0.1 GB)", "$0.084 per GB-hour");
  }

  @Test
  void serverlessAddsStorageAndEcpus() {
    // 2 GB: 2 * 0.125 * 730 = 182.50; 1000 ECPU/s: 2628 million ECPUs * 0.0034 = 8.9352
    assertThat(Pricing.serverless(Engine.REDIS, "us-east-1", new BigDecimal("2"), new BigDecimal("1000")).usd()).isEqualTo("191.44");
    // Valkey: 2 * 0.084 * 730 = 122.64; 2628 * 0.0023 = 6.0444
    assertThat(Pricing.serverless(Engine.VALKEY, "us-east-1", new BigDecimal("2"), new BigDecimal("1000")).usd()).isEqualTo("128.68");
  }

  @Test
  void aServerlessCacheCostsAtLeastItsMinimumStorageAndAtMostItsLimits() {
    // 0.1 GB x $0.084 x 730 h; at the limits 10 GB x 0.084 x 730 + 5,000 x 3,600 x 730 / 1e6 x $0.0023
    Pricing.Estimate both = Pricing.serverlessCache(Engine.VALKEY, "us-east-1", 10, 5000);
    assertThat(both.usd()).isEqualTo("6.13");
    assertThat(both.note()).startsWith("at least $6.13 (serverless Valkey in us-east-1: 0.1 GB billed").contains("at most $643.42 at the limits");
    Pricing.Estimate open = Pricing.serverlessCache(Engine.REDIS, "us-east-1", 10, null);
    assertThat(open.usd()).isEqualTo("91.25"); // 1 GB x $0.125 x 730
    assertThat(open.note()).contains("no upper bound").doesNotContain("at most");
    Pricing.Estimate unknown = Pricing.serverlessCache(Engine.VALKEY, "ap-south-2", 10, 5000);
    assertThat(unknown.known()).isFalse();
    assertThat(unknown.note()).contains("no serverless price");
  }

  @Test
  void serverlessValkeyIsAThirdBelowRedisOssWhereOnlyRedisOssIsListed() {
    // eu-west-1 lists Redis OSS only ($0.14 per GB-hour): Valkey at 0.67 of it, at least 0.1 GB
    assertThat(Pricing.serverless(Engine.REDIS, "eu-west-1", BigDecimal.ONE, BigDecimal.ZERO).usd()).isEqualTo("102.20");
    Pricing.Estimate valkey = Pricing.serverless(Engine.VALKEY, "eu-west-1", BigDecimal.ONE, BigDecimal.ZERO);
    assertThat(valkey.usd()).isEqualTo("68.47"); // 1 * 0.14 * 0.67 * 730
    assertThat(valkey.note()).contains("33% lower");
  }

  @Test
  void serverlessInARegionWithoutFiguresIsUnknown() {
    assertThat(Pricing.serverless(Engine.VALKEY, "ap-southeast-1", BigDecimal.ONE, BigDecimal.ONE))
        .isEqualTo(new Pricing.Estimate(null, "no serverless price for Valkey in ap-southeast-1"));
    assertThatThrownBy(() -> Pricing.serverless(Engine.REDIS, "us-east-1", new BigDecimal("-1"), BigDecimal.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyFigureNamesASourceWithAnAddressAndADate() throws Exception {
    JsonNode root;
    try (InputStream in = Pricing.class.getResourceAsStream(Pricing.RESOURCE)) {
      root = new ObjectMapper().readTree(in);
    }
    JsonNode sources = root.required("sources");
    sources.forEach(s -> assertThat(s.required("url").asText()).startsWith("https://"));
    sources.forEach(s -> assertThat(s.required("taken").asText()).matches(".*20\\d\\d.*"));
    List<String> unsourced = new ArrayList<>();
    root.required("nodes").fields().forEachRemaining(region -> region.getValue().fields().forEachRemaining(e -> {
      if (!sources.has(e.getValue().path("source").asText())) unsourced.add(region.getKey() + " " + e.getKey());
    }));
    assertThat(unsourced).isEmpty();
  }
}
