package dev.operators.elasticache.decide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.elasticache.api.AuthSpec;
import dev.operators.elasticache.api.BackupSpec;
import dev.operators.elasticache.api.ConnectionSecretSpec;
import dev.operators.elasticache.api.Engine;
import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.api.RedisCacheStatus;
import dev.operators.elasticache.aws.Endpoint;
import dev.operators.elasticache.aws.IngressRule;
import dev.operators.elasticache.aws.ObservedGroup;
import dev.operators.elasticache.aws.ReplicationGroupInfo;
import dev.operators.elasticache.aws.ReplicationGroupInfoBuilder;
import dev.operators.elasticache.fake.Harness;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DecisionsTest {

  @Test
  void replicationGroupIdsAreDeterministicShortAndValid() {
    String a = Names.replicationGroupId("prod", "shop", "sessions");
    assertThat(a).isEqualTo(Names.replicationGroupId("prod", "shop", "sessions")).startsWith("rc-shop-sessions-");
    assertThat(a).isNotEqualTo(Names.replicationGroupId("staging", "shop", "sessions"));
    String long1 = Names.replicationGroupId("prod", "a-very-long-namespace-name-indeed", "and-an-even-longer-cache-name-for-sure");
    String long2 = Names.replicationGroupId("prod", "a-very-long-namespace-name-indeed", "and-an-even-longer-cache-name-for-surf");
    for (String id : List.of(a, long1, long2, Names.replicationGroupId("x", "ns", "UPPER.case--and__odd"))) {
      assertThat(id).hasSizeLessThanOrEqualTo(40).matches("^[a-z][a-z0-9-]*[a-z0-9]$").doesNotContain("--");
    }
    assertThat(long1).isNotEqualTo(long2);
  }

  @Test
  void ownershipTagsCannotBeOverriddenByUserTags() {
    Map<String, String> tags = Names.tags("prod", "shop", "sessions", "uid-1",
        Map.of("team", "payments", Names.TAG_UID, "forged", "aws:x", "y"));
    assertThat(tags).containsEntry("team", "payments").containsEntry(Names.TAG_UID, "uid-1")
        .containsEntry(Names.TAG_CLUSTER, "prod").containsEntry(Names.TAG_NAMESPACE, "shop").containsEntry(Names.TAG_NAME, "sessions")
        .doesNotContainKey("aws:x");
  }

  @Test
  void adoptionNeedsTheGroupOwnersTagOrThePlatformEngineersAllowList() {
    Map<String, String> untagged = Map.of("team", "old");
    var none = AdoptionConsent.decide("shop", "sessions", "uid-1", "legacy-sessions", untagged, List.of());
    assertThat(none.verdict()).isEqualTo(AdoptionConsent.Verdict.NOT_ALLOWED);
    assertThat(none.mayProceed()).isFalse();
    assertThat(none.message()).contains("elasticache.operators.dev/adoptable-by=shop/sessions")
        .contains("shop/sessions=legacy-sessions to the operator's rediscache.adoption.allowed (REDISCACHE_ADOPTION_ALLOWED)")
        .contains("Nothing was changed in AWS");

    // The tag: exactly this namespace/name.
    assertThat(AdoptionConsent.decide("shop", "sessions", "uid-1", "legacy-sessions",
        Map.of(Names.TAG_ADOPTABLE_BY, "shop/sessions"), List.of()).verdict()).isEqualTo(AdoptionConsent.Verdict.ALLOWED);
    for (String other : List.of("shop/other", "other/sessions", "shop/*", "*", "shop", "")) {
      var d = AdoptionConsent.decide("shop", "sessions", "uid-1", "legacy-sessions", Map.of(Names.TAG_ADOPTABLE_BY, other), List.of());
      assertThat(d.verdict()).as(other).isEqualTo(AdoptionConsent.Verdict.NOT_ALLOWED);
    }

    // The allow-list: namespace/name=group, * matching any run of characters; malformed entries named, never matching.
    for (String entry : List.of("shop/sessions=legacy-sessions", "shop/*=legacy-*", "*/*=*", " shop/sessions = LEGACY-SESSIONS ", "sh*/se*ns=*sessions")) {
      assertThat(AdoptionConsent.decide("shop", "sessions", "uid-1", "legacy-sessions", untagged, List.of(entry)).verdict())
          .as(entry).isEqualTo(AdoptionConsent.Verdict.ALLOWED);
    }
    for (String entry : List.of("shop/sessions=legacy", "shop/sessions=other-*", "shop/other=legacy-sessions", "payments/*=*",
        "shop/sessions", "shop=legacy-sessions", "shop/sessions=a=b", "a/b/c=legacy-sessions", "/=", "shop/.*=legacy-sessions")) {
      assertThat(AdoptionConsent.decide("shop", "sessions", "uid-1", "legacy-sessions", untagged, List.of(entry)).verdict())
          .as(entry).isEqualTo(AdoptionConsent.Verdict.NOT_ALLOWED);
    }
    assertThat(AdoptionConsent.decide("shop", "sessions", "uid-1", "legacy-sessions", untagged, List.of("shop/sessions")).message())
        .contains("ignored as malformed: [shop/sessions]");

    // An owned group is never a consent question.
    Map<String, String> ours = Map.of(Names.TAG_UID, "uid-1", Names.TAG_ADOPTABLE_BY, "shop/other");
    assertThat(AdoptionConsent.decide("shop", "sessions", "uid-1", "legacy-sessions", ours, List.of()).verdict())
        .isEqualTo(AdoptionConsent.Verdict.ALREADY_OURS);
    Map<String, String> theirs = Map.of(Names.TAG_UID, "uid-2", Names.TAG_ADOPTABLE_BY, "shop/sessions");
    assertThat(AdoptionConsent.decide("shop", "sessions", "uid-1", "legacy-sessions", theirs, List.of("*/*=*")).verdict())
        .isEqualTo(AdoptionConsent.Verdict.OWNED_BY_ANOTHER);
  }

  @Test
  void releasingAGroupRemovesOnlyTheOwnershipTags() {
    Map<String, String> tags = new java.util.LinkedHashMap<>(Names.tags("prod", "shop", "sessions", "uid-1", Map.of("team", "shop")));
    tags.put(Names.TAG_ADOPTED, "true");
    tags.put(Names.TAG_ADOPTABLE_BY, "shop/sessions");
    assertThat(Names.releasedTags(tags)).containsExactlyInAnyOrder(Names.TAG_MANAGED_BY, Names.TAG_CLUSTER, Names.TAG_NAMESPACE,
        Names.TAG_NAME, Names.TAG_UID, Names.TAG_ADOPTED);
    // Someone else's managed-by stays.
    assertThat(Names.releasedTags(Map.of(Names.TAG_MANAGED_BY, "terraform", Names.TAG_UID, "uid-1"))).containsExactly(Names.TAG_UID);
  }

  @Test
  void generatedTokensFollowAwsRules() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      String t = AuthTokens.generate();
      assertThat(AuthTokens.isValid(t)).isTrue();
      assertThat(t).hasSize(64).matches("[A-Za-z0-9]+");
      seen.add(t);
    }
    assertThat(seen).hasSize(200);
    assertThat(AuthTokens.isValid("short")).isFalse();
    assertThat(AuthTokens.isValid("a".repeat(129))).isFalse();
    assertThat(AuthTokens.isValid("a".repeat(16))).isTrue();
    assertThat(AuthTokens.isValid("abcdefgh!&#$^<>-")).isTrue();
    assertThat(AuthTokens.isValid("abcdefghijklmno@")).isFalse();
    assertThat(AuthTokens.isValid("abcdefghijklmno/")).isFalse();
    assertThat(AuthTokens.isValid("abcdefghijklmn o")).isFalse();
    assertThat(AuthTokens.isValid("abcdefghijklmnoé")).isFalse();
  }

  @Test
  void familiesFollowEngineAndVersion() {
    assertThat(EngineVersions.family(Engine.VALKEY, "8.0")).contains("valkey8");
    assertThat(EngineVersions.family(Engine.VALKEY, "7.2")).contains("valkey7");
    assertThat(EngineVersions.family(Engine.REDIS, "7.1")).contains("redis7");
    assertThat(EngineVersions.family(Engine.REDIS, "6.2")).contains("redis6.x");
    assertThat(EngineVersions.family(Engine.VALKEY, "6.2")).isEmpty();
    assertThat(EngineVersions.sameMinor("7.2", "7.2.4")).isTrue();
    assertThat(EngineVersions.sameMinor("7.2", "7.20.1")).isFalse();
  }

  @Test
  void validationNamesEachFieldAndWhatToDo() {
    RedisCache rc = Harness.cache("ns", "n");
    assertThat(SpecValidation.validate(rc.getSpec())).isEmpty();
    rc.getSpec().setMultiAZ(true);
    rc.getSpec().setTls(false);
    rc.getSpec().setMaintenanceWindow("sunday:04:00-sun:05:00");
    BackupSpec b = new BackupSpec();
    b.setWindow("03:00-03:30");
    rc.getSpec().setBackups(b);
    ConnectionSecretSpec cs = new ConnectionSecretSpec();
    cs.setTemplate(Map.of("BROKER", "{{ .uri }}", "url", "x"));
    rc.getSpec().setConnectionSecret(cs);
    rc.getSpec().getNetwork().setSubnetGroupName("theirs");
    List<Problem> p = SpecValidation.validate(rc.getSpec());
    assertThat(p).extracting(Problem::field).contains("spec.multiAZ", "spec.auth.enabled", "spec.maintenanceWindow",
        "spec.backups.window", "spec.connectionSecret.template.BROKER", "spec.connectionSecret.template.url", "spec.network",
        "spec.network.vpcId");
    assertThat(Problem.describe(p)).contains("unknown placeholder {{ .uri }}");
  }

  @Test
  void validationAcceptsAuthOffWithoutTlsAndWindowsAcrossMidnight() {
    RedisCache rc = Harness.cache("ns", "n");
    AuthSpec auth = new AuthSpec();
    auth.setEnabled(false);
    rc.getSpec().setAuth(auth);
    rc.getSpec().setTls(false);
    BackupSpec b = new BackupSpec();
    b.setWindow("23:30-00:30");
    rc.getSpec().setBackups(b);
    rc.getSpec().setMaintenanceWindow("Sun:04:00-Sun:05:00");
    assertThat(SpecValidation.validate(rc.getSpec())).isEmpty();
  }

  @Test
  void ingressPlanAddsMissingAndRevokesStaleRules() {
    IngressRule a = IngressRule.fromCidr(6379, "10.0.0.0/16");
    IngressRule b = IngressRule.fromGroup(6379, "sg-1");
    IngressRule stale = IngressRule.fromCidr(6379, "0.0.0.0/0");
    IngressPlan plan = IngressPlan.of(Set.of(a, b), Set.of(b, stale));
    assertThat(plan.authorize()).containsExactly(a);
    assertThat(plan.revoke()).containsExactly(stale);
    assertThat(IngressPlan.of(Set.of(a), Set.of(a)).empty()).isTrue();
  }

  @Test
  void parameterPlanSetsChangedAndResetsRemoved() {
    ParameterPlan plan = ParameterPlan.of(Map.of("timeout", "300", "maxmemory-policy", "allkeys-lru"),
        Map.of("timeout", "0", "maxmemory-policy", "allkeys-lru", "notify-keyspace-events", "Ex"));
    assertThat(plan.set()).containsExactly(Map.entry("timeout", "300"));
    assertThat(plan.reset()).containsExactly("notify-keyspace-events");
  }

  @Test
  void clusterModeParameterGroupsAreClusterEnabled() {
    RedisCache rc = Harness.cache("ns", "n");
    rc.getSpec().setShards(2);
    rc.getSpec().setParameters(Map.of("timeout", "300"));
    Desired d = Desired.of(rc, "c");
    assertThat(d.parameters()).containsEntry("cluster-enabled", "yes");
    assertThat(d.parameterGroupName()).endsWith("-valkey8");
    assertThat(d.replicationGroupSpec("sg-1").clusterMode()).isTrue();
  }

  @Test
  void secretKeysForEachShape() {
    RedisCache rc = Harness.cache("ns", "n");
    rc.getSpec().setReplicasPerShard(1);
    ConnectionSecretSpec cs = new ConnectionSecretSpec();
    cs.setTemplate(Map.of("CELERY_BROKER_URL", "{{ .url }}/0?ssl_cert_reqs=required", "HOSTPORT", "{{.host}}:{{ .port }}"));
    rc.getSpec().setConnectionSecret(cs);
    Desired d = Desired.of(rc, "c");
    ReplicationGroupInfo g = group(false, new Endpoint("primary.x", 6379), new Endpoint("reader.x", 6379), null);
    Map<String, String> data = ConnectionDetails.data(d, g, "T".repeat(64));
    assertThat(data).containsEntry("host", "primary.x").containsEntry("port", "6379").containsEntry("tls", "true")
        .containsEntry("clusterMode", "false").containsEntry("readerHost", "reader.x")
        .containsEntry("url", "rediss://:" + "T".repeat(64) + "@primary.x:6379")
        .containsEntry("type", "redis").containsEntry("provider", "aws-elasticache").containsEntry("ssl", "true")
        .containsEntry("pythonUrl", "rediss://:" + "T".repeat(64) + "@primary.x:6379?ssl_cert_reqs=required")
        .containsEntry("CELERY_BROKER_URL", "rediss://:" + "T".repeat(64) + "@primary.x:6379/0?ssl_cert_reqs=required")
        .containsEntry("HOSTPORT", "primary.x:6379");
    assertThat(ConnectionDetails.complete(data)).isTrue();
    Map<String, String> before = ConnectionDetails.data(d, null, "T".repeat(64));
    assertThat(before).containsOnlyKeys("type", "provider", "port", "password", "tls", "ssl", "clusterMode");
    assertThat(ConnectionDetails.complete(before)).isFalse();
  }

  @Test
  void conditionsKeepTransitionTimeWhileStatusHolds() {
    RedisCache rc = Harness.cache("ns", "n");
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    RedisCacheStatus s1 = new StatusBuilder(rc, t0).reconciling("Creating", "creating").status();
    rc.setStatus(s1);
    assertThat(s1.getConditions()).extracting(c -> c.getType() + "=" + c.getStatus())
        .containsExactly("Ready=False", "Reconciling=True", "Stalled=False");
    StatusBuilder same = new StatusBuilder(rc, t0.plusSeconds(60)).reconciling("Creating", "creating");
    assertThat(same.changed()).isFalse();
    StatusBuilder ready = new StatusBuilder(rc, t0.plusSeconds(120)).ready("ok");
    assertThat(ready.changed()).isTrue();
    var conds = ready.status().getConditions();
    assertThat(conds.get(0).getLastTransitionTime()).isEqualTo("2026-01-01T00:02:00Z");
    assertThat(conds.get(2).getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z"); // Stalled stayed False
    assertThat(conds).allMatch(c -> c.getObservedGeneration() == 1L);
  }

  @Test
  void statusCarriesEndpointsVersionMembersAndCost() {
    RedisCache rc = Harness.cache("ns", "n");
    rc.getSpec().setReplicasPerShard(1);
    Desired d = Desired.of(rc, "c");
    ReplicationGroupInfo g = group(false, new Endpoint("primary.x", 6379), new Endpoint("reader.x", 6379), null);
    var observed = new ObservedGroup(g, List.of(dev.operators.elasticache.aws.CacheClusterInfoBuilder.builder()
        .id("m1")
        .replicationGroupId("rg")
        .status("available")
        .engineVersion("8.0.1")
        .securityGroupIds(List.of())
        .build()));
    RedisCacheStatus s = new StatusBuilder(rc, Instant.now()).observed(d, observed, "us-east-1").status();
    assertThat(s.getEndpoint()).isEqualTo("primary.x:6379");
    assertThat(s.getReaderEndpoint()).isEqualTo("reader.x:6379");
    assertThat(s.getEngineVersion()).isEqualTo("8.0.1");
    assertThat(s.getMembers()).isEqualTo(2);
    assertThat(s.getEstimatedMonthlyCostUSD()).isEqualTo("18.69");
    assertThat(s.getEstimatedMonthlyCost().getUsd()).isEqualTo("18.69");
    assertThat(s.getEstimatedMonthlyCost().getNote()).startsWith("2 x cache.t4g.micro in us-east-1: $0.016 per node-hour");
    RedisCacheStatus elsewhere = new StatusBuilder(rc, Instant.now()).observed(d, observed, "me-central-1").status();
    assertThat(elsewhere.getEstimatedMonthlyCostUSD()).isNull();
    assertThat(elsewhere.getEstimatedMonthlyCost().getUsd()).isNull();
    assertThat(elsewhere.getEstimatedMonthlyCost().getNote()).isEqualTo("no prices for region me-central-1");

    // The node type AWS runs wins over the spec's: an adopted previous-generation group gets its figure ...
    var legacy = new ObservedGroup(g.withCacheNodeType("cache.m3.medium"), observed.clusters());
    RedisCacheStatus adopted = new StatusBuilder(rc, Instant.now()).observed(d, legacy, "us-east-1").status();
    assertThat(adopted.getEstimatedMonthlyCost().getUsd()).isEqualTo("105.12"); // 0.090 * 0.8 * 730 * 2
    assertThat(adopted.getEstimatedMonthlyCost().getNote()).startsWith("2 x cache.m3.medium in us-east-1: $0.090 per node-hour");
    // ... and a type without one says which type and region.
    var unknown = new ObservedGroup(g.withCacheNodeType("cache.x9.large"), observed.clusters());
    assertThat(new StatusBuilder(rc, Instant.now()).observed(d, unknown, "me-south-1").status().getEstimatedMonthlyCost())
        .isEqualTo(new dev.operators.elasticache.api.CostStatus(null, "no price for cache.x9.large in me-south-1"));
  }

  static ReplicationGroupInfo group(boolean cluster, Endpoint primary, Endpoint reader, Endpoint config) {
    return ReplicationGroupInfoBuilder.builder()
        .id("rg")
        .arn("arn:rg")
        .status("available")
        .engine("valkey")
        .cacheNodeType("cache.t4g.micro")
        .clusterEnabled(cluster)
        .numNodeGroups(1)
        .replicasPerNodeGroup(1)
        .memberClusters(List.of("rg-001", "rg-002"))
        .primaryEndpoint(primary)
        .readerEndpoint(reader)
        .configurationEndpoint(config)
        .automaticFailover(true)
        .multiAZ(false)
        .transitEncryption(true)
        .atRestEncryption(true)
        .authTokenEnabled(true)
        .snapshotRetentionLimit(0)
        .nodeGroupIds(List.of("0001"))
        .pendingChanges(false)
        .logDelivery(List.of())
        .build();
  }
}
