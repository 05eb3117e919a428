package dev.operators.elasticache.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.operators.elasticache.aws.IngressRule;
import dev.operators.elasticache.decide.Names;
import dev.operators.elasticache.testsupport.AwsTestClients;
import dev.operators.elasticache.testsupport.Proc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;

/**
 * Day 2 against the same kind of peers as {@link EndToEndIT} ({@link EndToEndFixture}), its own set
 * of them so that it runs beside that class: a running cache changed in place and drift put back,
 * adoption of a hand-made group, a security group rule added behind the operator's back, log delivery
 * and alarms, service updates, durability, the live migrations of TLS and cluster mode with the
 * Secret following, and the subnet selector.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndDayTwoIT extends EndToEndFixture {
  @Override
  String name() {
    return "e2e-daytwo";
  }

  // ---------------------------------------------------------------- day 2

  @Test
  @Order(9)
  void aRunningCacheIsChangedInPlaceAndDriftIsPutBack() throws Exception {
    k8s.kubectlWithInput(cache("default", "daytwo", "parameters: {timeout: \"300\"}"), "apply", "-f", "-").ok();
    String rgId = Names.replicationGroupId(CLUSTER_ID, "default", "daytwo");
    awaitConverged("default", "daytwo");

    patch("default", "daytwo", "{\"spec\":{\"nodeType\":\"cache.t4g.small\"}}");
    awaitConverged("default", "daytwo");
    assertThat(group(rgId).cacheNodeType()).isEqualTo("cache.t4g.small");

    patch("default", "daytwo", "{\"spec\":{\"replicasPerShard\":1}}");
    awaitConverged("default", "daytwo");
    assertThat(group(rgId).memberClusters()).hasSize(2);
    assertThat(group(rgId).automaticFailoverAsString()).isEqualTo("enabled");
    await(Duration.ofSeconds(30), () -> secret("default", "daytwo-redis").containsKey("readerHost"));

    patch("default", "daytwo", "{\"spec\":{\"parameters\":{\"timeout\":\"300\",\"maxmemory-policy\":\"allkeys-lru\"}}}");
    awaitConverged("default", "daytwo");
    String pg = Names.parameterGroupName(CLUSTER_ID, "default", "daytwo", "valkey8");
    assertThat(clients.elastiCachePort().userParameters(pg)).containsEntry("maxmemory-policy", "allkeys-lru").containsEntry("timeout", "300");
    assertThat(aws.calls("elasticache", "CreateReplicationGroup")).isGreaterThanOrEqualTo(1);
    assertThat(clients.elastiCache().describeReplicationGroups().replicationGroups()).filteredOn(g -> g.replicationGroupId().equals(rgId)).hasSize(1);

    // Someone changes the group behind the operator's back.
    long start = System.nanoTime();
    clients.elastiCache().modifyReplicationGroup(r -> r.replicationGroupId(rgId).snapshotRetentionLimit(5).applyImmediately(true));
    await(Duration.ofSeconds(60), () -> group(rgId).status().equals("available") && group(rgId).snapshotRetentionLimit() == 0
        && events("default", "daytwo").contains("DriftCorrected"));
    System.out.printf("drift corrected in %.1f s (steady sweep period 5 s, emulator modifying time 2 s)%n", (System.nanoTime() - start) / 1e9);
    k8s.kubectl("delete", "rediscache", "daytwo", "-n", "default", "--timeout=120s").ok();
  }

  @Test
  @Order(11)
  void anExistingGroupIsAdoptedWithoutBeingRecreated() {
    var ec = clients.elastiCache();
    ec.createCacheSubnetGroup(r -> r.cacheSubnetGroupName("legacy-subnets").cacheSubnetGroupDescription("made by hand")
        .subnetIds(ids.get("subnet-0a1b2c3d4e5f60718"), ids.get("subnet-0f1e2d3c4b5a69788")));
    String legacySg = clients.ec2().createSecurityGroup(r -> r.vpcId(ids.get("vpc-0123456789abcdef0")).groupName("legacy").description("by hand")).groupId();
    String legacyToken = "handMadeTokenNobodyToldTheOperator0123";
    ec.createReplicationGroup(r -> r.replicationGroupId("legacy-sessions").replicationGroupDescription("made by hand").engine("valkey")
        .engineVersion("8.0").cacheNodeType("cache.t4g.small").numNodeGroups(1).replicasPerNodeGroup(0).cacheSubnetGroupName("legacy-subnets")
        .securityGroupIds(legacySg).transitEncryptionEnabled(true).atRestEncryptionEnabled(true).authToken(legacyToken));
    await(Duration.ofSeconds(30), () -> group("legacy-sessions").status().equals("available"));
    aws.clearCalls();

    k8s.kubectlWithInput(withRealIds("apiVersion: elasticache.operators.dev/v1alpha1\nkind: RedisCache\nmetadata:\n  name: legacy\n  namespace: default\n"
        + "spec:\n  nodeType: cache.t4g.small\n  deletionPolicy: Delete\n  adoption: {replicationGroupId: legacy-sessions}\n"
        + "  auth: {enabled: true, rotation: {gracePeriod: 10s}}\n"
        + "  network:\n    vpcId: vpc-0123456789abcdef0\n    subnetGroupName: legacy-subnets\n    allowedCidrBlocks: [10.0.0.0/16]\n"), "apply", "-f", "-").ok();
    // Without the owner's consent: refused, and the group is left as it was.
    k8s.kubectl("wait", "--for=condition=Stalled", "rediscache/legacy", "-n", "default", "--timeout=60s").ok();
    assertThat(k8s.kubectl("get", "rediscache", "legacy", "-n", "default", "-o",
        "jsonpath={.status.conditions[?(@.type==\"Stalled\")].reason}").ok().out()).isEqualTo("AdoptionNotAllowed");
    assertThat(aws.calls("elasticache", "AddTagsToResource")).isZero();
    assertThat(aws.calls("elasticache", "ModifyReplicationGroup")).isZero();
    assertThat(aws.calls("ec2", "CreateSecurityGroup")).isZero();
    assertThat(aws.calls("secretsmanager", "CreateSecret")).isZero();
    assertThat(aws.authTokens("legacy-sessions")).containsExactly(legacyToken);
    assertThat(clients.elastiCachePort().tagsOf(group("legacy-sessions").arn())).doesNotContainKey(Names.TAG_UID);

    // The group's owner consents; the operator looks at a refused adoption again every steady sweep period.
    clients.elastiCachePort().addTags(group("legacy-sessions").arn(), Map.of(Names.TAG_ADOPTABLE_BY, "default/legacy"));
    await(READY_TIMEOUT, () -> {
      String token = secret("default", "legacy-redis").get("password");
      return token != null && aws.authTokens("legacy-sessions").equals(List.of(token));
    });
    awaitConverged("default", "legacy");
    assertThat(aws.calls("elasticache", "CreateReplicationGroup")).isZero();
    assertThat(clients.elastiCachePort().tagsOf(group("legacy-sessions").arn()))
        .containsEntry(Names.TAG_NAME, "legacy").containsEntry("elasticache.operators.dev/adopted", "true");
    assertThat(events("default", "legacy")).contains("Adopted");
    k8s.kubectl("delete", "rediscache", "legacy", "-n", "default", "--timeout=120s").ok();
    assertThat(ec.describeReplicationGroups().replicationGroups()).noneMatch(g -> g.replicationGroupId().equals("legacy-sessions"));
    ec.deleteCacheSubnetGroup(r -> r.cacheSubnetGroupName("legacy-subnets"));
    clients.ec2().deleteSecurityGroup(r -> r.groupId(legacySg));
  }

  @Test
  @Order(12)
  void aSecurityGroupRuleAddedBehindTheOperatorsBackIsRevoked() {
    k8s.kubectlWithInput(cache("default", "sgdrift", ""), "apply", "-f", "-").ok();
    awaitConverged("default", "sgdrift");
    String sgId = k8s.kubectl("get", "rediscache", "sgdrift", "-n", "default", "-o", "jsonpath={.status.securityGroupId}").ok().out();
    clients.ec2Port().authorizeIngress(sgId, List.of(IngressRule.fromCidr(6379, "0.0.0.0/0")));
    long start = System.nanoTime();
    await(Duration.ofSeconds(60), () -> clients.ec2Port().findSecurityGroup(ids.get("vpc-0123456789abcdef0"),
        Names.securityGroupName(CLUSTER_ID, "default", "sgdrift")).orElseThrow().ingress().equals(Set.of(IngressRule.fromCidr(6379, "10.0.0.0/16"))));
    System.out.printf("security group drift corrected in %.1f s (steady sweep period 5 s)%n", (System.nanoTime() - start) / 1e9);
    assertThat(events("default", "sgdrift")).contains("IngressRevoked");
    k8s.kubectl("delete", "rediscache", "sgdrift", "-n", "default", "--timeout=120s").ok();
  }

  @Test
  @Order(13)
  void logDeliveryAndAlarmsComeAndGoWithTheCache() {
    k8s.kubectlWithInput(cache("default", "watched", "replicasPerShard: 1\n  logDelivery: {slowLog: {logGroup: /elasticache/default/watched}}\n"
        + "  alarms: {cpuPercent: 75, memoryPercent: 85, connections: 50000, evictions: 0, snsTopicArn: \"arn:aws:sns:us-east-1:123456789012:oncall\"}"),
        "apply", "-f", "-").ok();
    String rgId = Names.replicationGroupId(CLUSTER_ID, "default", "watched");
    awaitConverged("default", "watched");
    assertThat(group(rgId).logDeliveryConfigurations()).singleElement().satisfies(l -> {
      assertThat(l.logTypeAsString()).isEqualTo("slow-log");
      assertThat(l.destinationDetails().cloudWatchLogsDetails().logGroup()).isEqualTo("/elasticache/default/watched");
    });
    try (var cw = software.amazon.awssdk.services.cloudwatch.CloudWatchClient.builder().endpointOverride(aws.uri())
        .region(AwsTestClients.REGION).credentialsProvider(clients.credentialsProvider())
        .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build()) {
      var alarms = cw.describeAlarms(r -> r.alarmNamePrefix("rediscache-" + rgId + "-")).metricAlarms();
      assertThat(alarms).hasSize(8); // 2 nodes x 4 metrics
      assertThat(alarms).allSatisfy(a -> assertThat(a.alarmActions()).containsExactly("arn:aws:sns:us-east-1:123456789012:oncall"));
      k8s.kubectl("delete", "rediscache", "watched", "-n", "default", "--timeout=120s").ok();
      assertThat(cw.describeAlarms(r -> r.alarmNamePrefix("rediscache-" + rgId + "-")).metricAlarms()).isEmpty();
    }
  }

  @Test
  @Order(15)
  void aPublishedServiceUpdateIsListedInStatusAndAutoAppliesItInTheWindow() throws Exception {
    // samples/auto-patched.yaml, first with Manual and a window open now (UTC, two hours from ten minutes ago)
    java.time.ZonedDateTime from = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).minusMinutes(10);
    java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern("EEE:HH:mm", java.util.Locale.ROOT);
    String window = (from.format(f) + "-" + from.plusHours(2).format(f)).toLowerCase(java.util.Locale.ROOT);
    String sample = withRealIds(Files.readString(Path.of("samples/auto-patched.yaml")))
        .replace("\"tue:03:00-tue:04:00\"", "\"" + window + "\"");
    assertThat(sample).contains(window).contains("serviceUpdates: Auto");
    k8s.kubectlWithInput(sample.replace("serviceUpdates: Auto", "serviceUpdates: Manual"), "apply", "-f", "-").ok();
    awaitConverged("ops", "patched");
    String rgId = Names.replicationGroupId(CLUSTER_ID, "ops", "patched");

    aws.publishServiceUpdate("elasticache-valkey-e2e-001", "valkey", "critical", java.time.Instant.parse("2027-03-01T00:00:00Z"));
    await(Duration.ofSeconds(60), () -> "not-applied".equals(serviceUpdate("ops", "patched").path("status").asText()));
    JsonNode listed = serviceUpdate("ops", "patched");
    assertThat(listed.path("severity").asText()).isEqualTo("critical");
    assertThat(listed.path("type").asText()).isEqualTo("security-update");
    assertThat(listed.path("recommendedApplyBy").asText()).isEqualTo("2027-03-01T00:00:00Z");
    assertThat(listed.path("releaseDate").asText()).isNotBlank();
    assertThat(events("ops", "patched")).contains("ServiceUpdateAvailable");
    Thread.sleep(12_000); // two more looks at service updates: Manual applies nothing
    assertThat(aws.calls("elasticache", "BatchApplyUpdateAction")).isZero();
    assertThat(group(rgId).status()).isEqualTo("available");

    k8s.kubectlWithInput(sample, "apply", "-f", "-").ok(); // Auto
    // The event stays; status.serviceUpdates says complete only until the next listing of pending
    // actions (5 s here, 6 h by default) leaves it out (ServiceUpdatesComponentTest shows both).
    await(Duration.ofSeconds(90), () -> events("ops", "patched").contains("ServiceUpdateApplied"));
    assertThat(serviceUpdate("ops", "patched").path("status").asText()).isIn("complete", "");
    assertThat(aws.calls("elasticache", "BatchApplyUpdateAction")).isEqualTo(1);
    assertThat(clients.elastiCache().describeUpdateActions(r -> r.serviceUpdateName("elasticache-valkey-e2e-001")
        .replicationGroupIds(rgId)).updateActions()).singleElement()
        .satisfies(a -> assertThat(a.updateActionStatusAsString()).isEqualTo("complete"));
    assertThat(events("ops", "patched")).contains("ServiceUpdateApplying").contains("ServiceUpdateApplied");
    awaitConverged("ops", "patched");
    k8s.kubectl("delete", "rediscache", "patched", "-n", "ops", "--timeout=120s").ok();
  }

  /** The cache's first status.serviceUpdates entry (a missing node when there is none). */
  JsonNode serviceUpdate(String ns, String name) {
    try {
      return JSON.readTree(k8s.kubectl("get", "rediscache", name, "-n", ns, "-o", "json").ok().out()).at("/status/serviceUpdates/0");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  @Order(21)
  void durabilityIsSwitchedOnTheRunningClusterAndRefusedWhereAwsHasNone() {
    Proc.Result v8 = k8s.kubectlWithInput(cache("default", "invalid", "durability: Sync\n  engineVersion: \"8.2\"\n  shards: 2\n"
        + "  replicasPerShard: 1\n  multiAZ: true\n  nodeType: cache.r7g.large"), "apply", "--dry-run=server", "-f", "-");
    assertThat(v8.exit()).isNotZero();
    assertThat(v8.err()).contains("durability needs valkey 9.0 or later").doesNotContain("needs cluster mode");
    String durable = "engineVersion: \"9.0\"\n  shards: 2\n  replicasPerShard: 1\n  multiAZ: true\n  nodeType: cache.r7g.large";
    k8s.kubectlWithInput(cache("default", "ledger", durable + "\n  durability: Async"), "apply", "-f", "-").ok();
    String rgId = Names.replicationGroupId(CLUSTER_ID, "default", "ledger");
    awaitConverged("default", "ledger");
    assertThat(group(rgId).effectiveDurabilityAsString()).isEqualTo("async");
    assertThat(group(rgId).storageEncryptionTypeAsString()).isEqualTo("sse-elasticache");

    int modifies = aws.calls("elasticache", "ModifyReplicationGroup");
    patch("default", "ledger", "{\"spec\":{\"durability\":\"Sync\"}}");
    awaitConverged("default", "ledger");
    assertThat(group(rgId).effectiveDurabilityAsString()).isEqualTo("sync");
    assertThat(aws.calls("elasticache", "ModifyReplicationGroup")).isEqualTo(modifies + 1);
    assertThat(events("default", "ledger").replace("\\u003e", ">")).contains("durability async -> sync"); // kubectl's JSON escapes >
    // off: removing the field switches durability off on the running cluster, without recreating it
    patch("default", "ledger", "{\"spec\":{\"durability\":null}}");
    awaitConverged("default", "ledger");
    assertThat(group(rgId).effectiveDurabilityAsString()).isEqualTo("disabled");
    assertThat(aws.calls("elasticache", "CreateReplicationGroup")).isGreaterThanOrEqualTo(1);
    assertThat(clients.elastiCache().describeReplicationGroups().replicationGroups()).filteredOn(g -> g.replicationGroupId().equals(rgId)).hasSize(1);
    k8s.kubectl("delete", "rediscache", "ledger", "-n", "default", "--timeout=120s").ok();
  }

  /**
   * Issue 10, live migrations: TLS switched on a running cache and back. The test watches AWS (the
   * emulator's TransitEncryptionMode) and the Secret together: at every look, the URL in the Secret
   * is one AWS accepts, and the Secret switches while AWS is in preferred.
   */
  @Test
  @Order(19)
  void tlsIsSwitchedOnARunningCacheWithTheSecretFollowingAtTheRightMoment() {
    k8s.kubectlWithInput(cache("default", "tlsmove", "tls: false\n  auth: {enabled: false}"), "apply", "-f", "-").ok();
    String rgId = Names.replicationGroupId(CLUSTER_ID, "default", "tlsmove");
    awaitConverged("default", "tlsmove");
    assertThat(secret("default", "tlsmove-redis")).containsEntry("tls", "false");
    assertThat(group(rgId).transitEncryptionEnabled()).isFalse();

    patch("default", "tlsmove", "{\"spec\":{\"tls\":true}}");
    List<String> up = watchTls(rgId, "tlsmove-redis", "required/rediss");
    // "preferred/redis" may be seen for a moment (AWS accepts both; the operator has not looked yet); never "required/redis"
    assertThat(up).containsSubsequence("off/redis", "preferred/rediss", "required/rediss");
    awaitConverged("default", "tlsmove");
    assertThat(secret("default", "tlsmove-redis")).containsEntry("tls", "true").containsEntry("ssl", "true");
    assertThat(events("default", "tlsmove")).contains("tls off").contains("tls preferred");

    patch("default", "tlsmove", "{\"spec\":{\"tls\":false}}");
    List<String> down = watchTls(rgId, "tlsmove-redis", "off/redis");
    assertThat(down).containsSubsequence("required/rediss", "preferred/redis", "off/redis");
    awaitConverged("default", "tlsmove");
    assertThat(clients.elastiCache().describeReplicationGroups().replicationGroups()).filteredOn(g -> g.replicationGroupId().equals(rgId)).hasSize(1);
    k8s.kubectl("delete", "rediscache", "tlsmove", "-n", "default", "--timeout=120s").ok();
  }

  /** Looks at the Secret, then AWS, until {@code end}; each distinct "awsMode/scheme" once, the invariant checked at every look. */
  List<String> watchTls(String rgId, String secretName, String end) {
    List<String> seen = new ArrayList<>();
    await(READY_TIMEOUT, () -> {
      String url = secret("default", secretName).getOrDefault("url", "");
      ReplicationGroup g = group(rgId);
      String aws = Boolean.TRUE.equals(g.transitEncryptionEnabled()) ? g.transitEncryptionModeAsString() : "off";
      boolean tls = url.startsWith("rediss://");
      assertThat(tls ? !"off".equals(aws) : !"required".equals(aws)).as("Secret %s while AWS is %s", url, aws).isTrue();
      String entry = aws + "/" + (tls ? "rediss" : "redis");
      if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(entry)) seen.add(entry);
      return entry.equals(end) && "available".equals(g.status());
    });
    return seen;
  }

  /**
   * Issue 10, live migrations: cluster mode on a running cache, disabled -> compatible -> enabled, with
   * an app (redis-py, given only the Secret) before and after. The data plane is the test's own, and
   * follows what the emulator reports: a plain redis-server while the group is disabled, the same data
   * in a one-node cluster-enabled redis-server (all 16384 slots) from compatible on, which serves plain
   * and cluster clients as AWS's compatible mode does. At every look the Secret's clusterMode is one
   * AWS serves: never cluster while disabled, never plain once enabled.
   */
  @Test
  @Order(27)
  void clusterModeIsMigratedOnARunningCacheWithTheAppFollowingTheSecret() throws Exception {
    Path redisServer = Stream.of("/usr/bin/redis-server", "/usr/local/bin/redis-server").map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
    assumeThat(redisServer).as("redis-server (Debian package redis-server; .ci/run installs it)").isNotNull();
    Path dir = Path.of("target/e2e-clustermode").toAbsolutePath();
    Files.createDirectories(dir);
    Files.deleteIfExists(dir.resolve("dump.rdb"));
    Files.deleteIfExists(dir.resolve("nodes.conf"));
    makeCertificates(dir.resolve("tls")); // the cache has no TLS; the apps' installer wants a CA all the same
    AppClients apps = AppClients.install(root, dir.resolve("tls/ca.crt"));
    Path bindings = dir.resolve("bindings");
    int port = freePort();
    List<Process> servers = new ArrayList<>(List.of(redis(redisServer, dir, port)));
    String rgId = Names.replicationGroupId(CLUSTER_ID, "default", "cmmove");
    try {
      aws.config(Map.of("endpointHost", "localhost", "endpointPort", port));
      k8s.kubectlWithInput(cache("default", "cmmove", "tls: false\n  auth: {enabled: false}\n  replicasPerShard: 1"), "apply", "-f", "-").ok();
      awaitConverged("default", "cmmove");
      assertThat(group(rgId).clusterModeAsString()).isEqualTo("disabled");
      Map<String, String> before = secret("default", "cmmove-redis");
      assertThat(before).containsEntry("clusterMode", "false").containsEntry("host", "localhost");
      AppClients.bindingDirectory(bindings, "cmmove-redis", before);
      assertThat(apps.redisPy(bindings, "session:1", "written before").ok().out()).isEqualTo("written before\n");
      // the same app given clusterMode true speaks the cluster protocol, which a cluster-mode-disabled node refuses
      Path early = dir.resolve("early");
      Map<String, String> asCluster = new LinkedHashMap<>(before);
      asCluster.put("clusterMode", "true");
      AppClients.bindingDirectory(early, "cmmove-redis", asCluster);
      assertThat(apps.redisPy(early, "session:1").exit()).isNotZero();

      patch("default", "cmmove", "{\"spec\":{\"clusterMode\":\"Enabled\"}}");
      List<String> seen = new ArrayList<>();
      boolean[] clusterServer = {false};
      await(READY_TIMEOUT, () -> {
        String secretMode = secret("default", "cmmove-redis").get("clusterMode");
        ReplicationGroup g = group(rgId);
        String aws = g.clusterModeAsString();
        boolean cluster = "true".equals(secretMode);
        assertThat(cluster ? !"disabled".equals(aws) : !"enabled".equals(aws)).as("Secret clusterMode %s while AWS is %s", secretMode, aws).isTrue();
        String entry = aws + "/" + (cluster ? "cluster" : "plain");
        if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(entry)) seen.add(entry);
        if (!"disabled".equals(aws) && !clusterServer[0]) {
          // AWS went compatible: the test's node becomes a one-shard cluster with the same data
          try {
            servers.add(clusterRedis(redisServer, dir, port, servers.remove(0)));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          clusterServer[0] = true;
        }
        return "enabled".equals(aws) && "available".equals(g.status());
      });
      System.out.println("cluster mode migration, AWS/Secret as seen: " + seen);
      assertThat(seen).containsSubsequence("disabled/plain", "compatible/cluster", "enabled/cluster");
      awaitConverged("default", "cmmove");
      Map<String, String> after = secret("default", "cmmove-redis");
      assertThat(after).containsEntry("clusterMode", "true").doesNotContainKey("readerHost");
      assertThat(group(rgId).configurationEndpoint()).isNotNull();
      assertThat(k8s.kubectl("get", "rediscache", "cmmove", "-n", "default", "-o", "jsonpath={.status.clusterMode}").ok().out()).isEqualTo("enabled");
      assertThat(events("default", "cmmove")).contains("clusterMode disabled").contains("clusterMode compatible"); // "->" is escaped in JSON
      // the app, given the Secret as it is now, reads what it wrote before through redis-py's cluster client
      AppClients.bindingDirectory(bindings, "cmmove-redis", after); // the kubelet updates the mounted files
      assertThat(apps.redisPy(bindings, "session:1").ok().out()).isEqualTo("written before\n");
      assertThat(apps.redisPy(bindings, "session:2", "written after").ok().out()).isEqualTo("written after\n");
      // going back is refused by the API server (AWS cannot revert cluster mode enabled)
      Proc.Result back = k8s.kubectl("patch", "rediscache", "cmmove", "-n", "default", "--type=merge", "-p", "{\"spec\":{\"clusterMode\":\"Disabled\"}}");
      assertThat(back.exit()).isNotZero();
      assertThat(back.err()).contains("clusterMode cannot leave Enabled");
      assertThat(clients.elastiCache().describeReplicationGroups().replicationGroups()).filteredOn(g -> g.replicationGroupId().equals(rgId)).hasSize(1);
    } finally {
      servers.forEach(Process::destroy);
      clearEndpointOverride();
      k8s.kubectl("delete", "rediscache", "cmmove", "-n", "default", "--ignore-not-found", "--timeout=120s");
    }
  }

  /** The plain server's data (SAVE) in a cluster-enabled redis-server on the same port that owns every slot. */
  static Process clusterRedis(Path server, Path dir, int port, Process plain) throws Exception {
    Proc.run(dir, Map.of(), null, 30, List.of("redis-cli", "-p", Integer.toString(port), "SAVE")).ok();
    plain.destroy();
    plain.waitFor();
    Process p = new ProcessBuilder(server.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
        "--dbfilename", "dump.rdb", "--save", "", "--appendonly", "no", "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf")
        .redirectErrorStream(true).redirectOutput(dir.resolve("redis-cluster.log").toFile()).start();
    await(Duration.ofSeconds(10), () -> Proc.run(dir, Map.of(), null, 10, List.of("redis-cli", "-p", Integer.toString(port), "PING")).out().contains("PONG"));
    // A node that loads keys takes the slots they are in by itself; it gets every other slot
    String nodes = Proc.run(dir, Map.of(), null, 10, List.of("redis-cli", "-p", Integer.toString(port), "CLUSTER", "MYID")).ok().out().strip();
    String line = Proc.run(dir, Map.of(), null, 10, List.of("redis-cli", "-p", Integer.toString(port), "CLUSTER", "NODES")).ok().out()
        .lines().filter(l -> l.startsWith(nodes)).findFirst().orElseThrow();
    java.util.BitSet owned = new java.util.BitSet(16384);
    String[] fields = line.strip().split(" ");
    for (int i = 8; i < fields.length; i++) {
      String[] range = fields[i].split("-");
      owned.set(Integer.parseInt(range[0]), Integer.parseInt(range[range.length - 1]) + 1);
    }
    List<String> add = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port), "CLUSTER", "ADDSLOTSRANGE"));
    for (int from = owned.nextClearBit(0); from < 16384; from = owned.nextClearBit(owned.nextSetBit(from) < 0 ? 16384 : owned.nextSetBit(from))) {
      int to = owned.nextSetBit(from) < 0 ? 16383 : owned.nextSetBit(from) - 1;
      add.add(Integer.toString(from));
      add.add(Integer.toString(to));
    }
    assertThat(Proc.run(dir, Map.of(), null, 10, add).ok().out()).contains("OK");
    await(Duration.ofSeconds(10), () -> Proc.run(dir, Map.of(), null, 10, List.of("redis-cli", "-p", Integer.toString(port), "CLUSTER", "INFO"))
        .out().contains("cluster_state:ok"));
    return p;
  }

  /**
   * spec.network.subnetSelector on a running cache: no match is Stalled naming the field with nothing
   * made; the subnets tagged then are picked when the selector changes (one DescribeSubnets each
   * time, none for other changes), and the cache subnet group follows a selector that picks others.
   */
  @Test
  @Order(24)
  void aSubnetSelectorIsResolvedOnceAndTheSubnetGroupFollowsWhenItChanges() throws Exception {
    var ec2 = clients.ec2();
    String vpc = ids.get("vpc-0123456789abcdef0");
    String ns = "selector";
    k8s.kubectl("create", "namespace", ns).ok();
    String manifest = cache(ns, "picky", "").replace("    subnetIds: [" + ids.get("subnet-0a1b2c3d4e5f60718") + ", " + ids.get("subnet-0f1e2d3c4b5a69788") + "]\n",
        "    subnetSelector: {vpcId: " + vpc + ", tags: {stage: blue}}\n");
    k8s.kubectlWithInput(manifest, "apply", "-f", "-").ok();
    await(READY_TIMEOUT, () -> k8s.kubectl("get", "rediscache", "picky", "-n", ns, "-o", "jsonpath={.status.conditions[?(@.type=='Stalled')].reason}")
        .out().equals("NoSubnetsSelected"));
    assertThat(k8s.kubectl("get", "rediscache", "picky", "-n", ns, "-o", "jsonpath={.status.conditions[?(@.type=='Stalled')].message}").out())
        .startsWith("spec.network.subnetSelector: no subnet of " + vpc + " carries the tags {stage=blue}");
    String rgId = Names.replicationGroupId(CLUSTER_ID, ns, "picky");
    assertThat(clients.elastiCache().describeReplicationGroups().replicationGroups()).noneMatch(g -> g.replicationGroupId().equals(rgId));

    // Subnets tagged stage: green (A and B), and the selector changed to them: Ready in those subnets.
    String a = ids.get("subnet-0a1b2c3d4e5f60718");
    String b = ids.get("subnet-0f1e2d3c4b5a69788");
    ec2.createTags(r -> r.resources(a, b).tags(software.amazon.awssdk.services.ec2.model.Tag.builder().key("stage").value("green").build()));
    int before = operatorCalls("ec2:DescribeSubnets");
    patch(ns, "picky", "{\"spec\":{\"network\":{\"subnetSelector\":{\"tags\":{\"stage\":\"green\"}}}}}");
    awaitConverged(ns, "picky");
    assertThat(clients.elastiCachePort().findSubnetGroup(rgId).orElseThrow().subnetIds()).containsExactlyInAnyOrder(a, b);
    JsonNode status = JSON.readTree(k8s.kubectl("get", "rediscache", "picky", "-n", ns, "-o", "json").ok().out()).get("status");
    assertThat(status.at("/network/subnetIds").toString()).isEqualTo(JSON.writeValueAsString(List.of(a, b).stream().sorted().toList()));
    assertThat(operatorCalls("ec2:DescribeSubnets")).isEqualTo(before + 1);

    // Another change, and time for a few sweeps: EC2 is not asked again.
    patch(ns, "picky", "{\"spec\":{\"backups\":{\"retentionDays\":2}}}");
    awaitConverged(ns, "picky");
    Thread.sleep(6_000);
    assertThat(operatorCalls("ec2:DescribeSubnets")).isEqualTo(before + 1);

    // A selector that picks the dual-stack subnets instead: the subnet group follows (ModifyCacheSubnetGroup).
    String dualA = ids.get("subnet-0d5a1c2e3f4b5d6e7");
    String dualB = ids.get("subnet-0d5b1c2e3f4b5d6e8");
    ec2.createTags(r -> r.resources(dualA, dualB).tags(software.amazon.awssdk.services.ec2.model.Tag.builder().key("stage").value("teal").build()));
    patch(ns, "picky", "{\"spec\":{\"network\":{\"subnetSelector\":{\"tags\":{\"stage\":\"teal\"}}}}}");
    awaitConverged(ns, "picky");
    await(READY_TIMEOUT, () -> new java.util.HashSet<>(clients.elastiCachePort().findSubnetGroup(rgId).orElseThrow().subnetIds()).equals(java.util.Set.of(dualA, dualB)));
    assertThat(operatorCalls("ec2:DescribeSubnets")).isEqualTo(before + 2);
    assertThat(events(ns, "picky")).contains("SubnetGroupModified").contains("SubnetsSelected");

    k8s.kubectl("delete", "rediscache", "picky", "-n", ns, "--wait=true", "--timeout=180s").ok();
    assertNothingLeftInAws();
  }
}
