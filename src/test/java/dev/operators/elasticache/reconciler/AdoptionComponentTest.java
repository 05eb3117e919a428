package dev.operators.elasticache.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.elasticache.api.AdoptionSpec;
import dev.operators.elasticache.api.DeletionPolicy;
import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.aws.ReplicationGroupSpec;
import dev.operators.elasticache.aws.ReplicationGroupSpecBuilder;
import dev.operators.elasticache.decide.Names;
import dev.operators.elasticache.fake.FakeAws;
import dev.operators.elasticache.fake.Harness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Taking over an existing replication group without recreating it. */
public class AdoptionComponentTest {
  public static final String LEGACY = "legacy-sessions";
  static final String LEGACY_TOKEN = "legacyTokenThatNobodyToldTheOperator0";

  /** A hand-made group whose owner agreed to its adoption by the RedisCache {@code shop/<adopter>}. */
  public static void legacyGroup(FakeAws aws, String adopter) {
    legacyGroup(aws);
    consent(aws, "shop/" + adopter);
  }

  /** What the group's owner does in AWS to let a RedisCache adopt it. */
  static void consent(FakeAws aws, String namespaceAndName) {
    FakeAws.Group g = aws.groups.get(LEGACY);
    Map<String, String> tags = new java.util.LinkedHashMap<>(g.tags);
    tags.put(Names.TAG_ADOPTABLE_BY, namespaceAndName);
    g.tags = Map.copyOf(tags);
  }

  /** A hand-made group, nobody's consent given. */
  static void legacyGroup(FakeAws aws) {
    aws.createSubnetGroup("legacy-subnets", "theirs", List.of("subnet-0a1b2c3d4e5f60718"), Map.of());
    String sg = aws.createSecurityGroup(FakeAws.VPC, "legacy-sg", "theirs", Map.of());
    aws.createReplicationGroup(ReplicationGroupSpecBuilder.builder()
        .replicationGroupId(LEGACY)
        .description("made by hand")
        .engine("redis")
        .engineVersion("7.1")
        .cacheNodeType("cache.t4g.small")
        .numNodeGroups(1)
        .replicasPerNodeGroup(1)
        .clusterMode(false)
        .automaticFailover(true)
        .multiAZ(false)
        .port(6379)
        .cacheSubnetGroupName("legacy-subnets")
        .securityGroupIds(List.of(sg))
        .transitEncryption(true)
        .atRestEncryption(true)
        .authToken(LEGACY_TOKEN)
        .snapshotRetentionLimit(1)
        .tags(Map.of("team", "old"))
        .build());
    aws.clock.advance(Duration.ofMinutes(30));
    aws.calls.clear();
  }

  public static RedisCache adopting(String name) {
    RedisCache rc = Harness.cache("shop", name);
    AdoptionSpec a = new AdoptionSpec();
    a.setReplicationGroupId(LEGACY);
    rc.getSpec().setAdoption(a);
    rc.getSpec().getNetwork().setSubnetIds(null);
    rc.getSpec().getNetwork().setSubnetGroupName("legacy-subnets");
    rc.getSpec().getNetwork().setVpcId(FakeAws.VPC);
    rc.getSpec().setEngine(dev.operators.elasticache.api.Engine.REDIS);
    rc.getSpec().setEngineVersion("7.1");
    rc.getSpec().setNodeType("cache.t4g.small");
    rc.getSpec().setReplicasPerShard(1);
    return rc;
  }

  /** Reconciles until the adoption is done: Ready, and the hand-made token replaced by one the operator knows. */
  static void adoptUntilSettled(Harness h, RedisCache rc) {
    FakeAws aws = h.aws;
    for (int i = 0; i < 40 && !(Harness.ready(rc) && rc.getStatus().getTokenRotation() == null
        && aws.groups.get(LEGACY).tokens.size() == 1 && h.secretOf(rc).isPresent()
        && aws.groups.get(LEGACY).tokens.contains(h.secretData(rc).get("password"))); i++) {
      h.reconcile(rc);
      aws.clock.advance(Duration.ofMinutes(2));
      h.sweep();
    }
    h.reconcileUntilReady(rc, 10);
  }

  @Test
  void aGroupMadeByHandSinceThePollersLastSweepIsFoundAtTheFirstReconcile() {
    Harness h = new Harness(); // its poller has swept: the group below is not in its view
    legacyGroup(h.aws, "legacy");
    RedisCache rc = adopting("legacy");
    h.reconcile(rc);
    assertThat(Harness.condition(rc, "Stalled").map(c -> c.getReason()).orElse("")).isNotEqualTo("AdoptionTargetNotFound");
    assertThat(h.aws.count("elasticache:DescribeReplicationGroups")).isEqualTo(1);
  }

  @Test
  void adoptsWithoutRecreatingBringsInAKnownTokenAndFollowsTheSpec() {
    FakeAws aws = new FakeAws();
    legacyGroup(aws, "sessions");
    Harness h = new Harness(aws, new Harness.Kube());
    RedisCache rc = adopting("sessions");
    rc.getSpec().setTags(Map.of("team", "sessions"));
    adoptUntilSettled(h, rc);
    assertThat(aws.count("elasticache:CreateReplicationGroup")).isZero();
    FakeAws.Group g = aws.groups.get(LEGACY);
    // The spec's tags replace the hand-made ones; the operator's own are kept.
    assertThat(g.tags).containsEntry(Names.TAG_UID, rc.getMetadata().getUid()).containsEntry("elasticache.operators.dev/adopted", "true")
        .containsEntry("team", "sessions");
    String token = h.secretData(rc).get("password");
    assertThat(g.tokens).containsExactly(token);
    assertThat(aws.secrets.values().iterator().next().value()).isEqualTo(token);
    assertThat(rc.getStatus().getReplicationGroupId()).isEqualTo(LEGACY);
    assertThat(h.kube.events).anyMatch(e -> e.reason().equals("Adopted") && e.message().contains(Names.TAG_ADOPTABLE_BY + "=shop/sessions"));
    // Its settings now follow the spec: the operator's security group replaces the hand-made one.
    assertThat(g.spec.securityGroupIds()).containsExactly(rc.getStatus().getSecurityGroupId());
    assertThat(g.spec.snapshotRetentionLimit()).isZero();

    // Deleting the RedisCache leaves an adopted group alone unless deletionPolicy says otherwise.
    assertThat(h.deleteUntilGone(rc, 10)).isTrue();
    assertThat(aws.groups).containsKey(LEGACY);
  }

  @Test
  void anAdoptedGroupIsDeletedOnlyWhenDeletionPolicySaysSo() {
    FakeAws aws = new FakeAws();
    legacyGroup(aws, "sessions");
    Harness h = new Harness(aws, new Harness.Kube());
    RedisCache rc = adopting("sessions");
    rc.getSpec().setDeletionPolicy(DeletionPolicy.Delete);
    for (int i = 0; i < 40; i++) {
      h.reconcile(rc);
      aws.clock.advance(Duration.ofMinutes(2));
      h.sweep();
    }
    assertThat(h.deleteUntilGone(rc, 20)).isTrue();
    assertThat(aws.groups).doesNotContainKey(LEGACY);
    assertThat(aws.subnetGroups).containsKey("legacy-subnets");
  }

  @Test
  void refusesToAdoptAGroupAnotherRedisCacheOwnsOrOneThatDoesNotExist() {
    FakeAws aws = new FakeAws();
    legacyGroup(aws, "first");
    Harness h = new Harness(aws, new Harness.Kube());
    RedisCache first = adopting("first");
    for (int i = 0; i < 5; i++) {
      h.reconcile(first);
      aws.clock.advance(Duration.ofMinutes(2));
      h.sweep();
    }
    // Owned is owned: a consent tag naming the newcomer changes nothing, and nothing is written.
    consent(aws, "shop/second");
    RedisCache second = adopting("second");
    aws.calls.clear();
    h.reconcile(second);
    assertThat(Harness.condition(second, "Stalled").orElseThrow().getReason()).isEqualTo("ReplicationGroupOwnedByAnother");
    assertThat(aws.calls).allMatch(AdoptionComponentTest::isRead);

    RedisCache ghost = adopting("ghost");
    ghost.getSpec().getAdoption().setReplicationGroupId("no-such-group");
    aws.calls.clear();
    h.reconcile(ghost);
    assertThat(Harness.condition(ghost, "Stalled").orElseThrow().getReason()).isEqualTo("AdoptionTargetNotFound");
    assertThat(aws.calls).allMatch(AdoptionComponentTest::isRead);
  }

  static boolean isRead(String call) {
    String action = call.substring(call.indexOf(':') + 1);
    return action.startsWith("Describe") || action.startsWith("List") || action.startsWith("Get");
  }

  @Test
  void aTakeoverWithoutConsentIsRefusedBeforeAnythingIsWrittenToAws() {
    FakeAws aws = new FakeAws();
    legacyGroup(aws);
    FakeAws.Group g = aws.groups.get(LEGACY);
    Map<String, String> tagsBefore = Map.copyOf(g.tags);
    ReplicationGroupSpec specBefore = g.spec;
    int securityGroupsBefore = aws.securityGroups.size();
    Harness h = new Harness(aws, new Harness.Kube());
    RedisCache rc = adopting("sessions");
    for (int i = 0; i < 10; i++) {
      h.reconcile(rc);
      aws.clock.advance(Duration.ofMinutes(2));
      h.sweep();
    }
    var stalled = Harness.condition(rc, "Stalled").orElseThrow();
    assertThat(stalled.getStatus()).isEqualTo("True");
    assertThat(stalled.getReason()).isEqualTo("AdoptionNotAllowed");
    assertThat(stalled.getMessage()).contains(Names.TAG_ADOPTABLE_BY + "=shop/sessions")
        .contains("shop/sessions=" + LEGACY + " to the operator's rediscache.adoption.allowed");
    assertThat(Harness.ready(rc)).isFalse();
    // Consent comes from outside what the operator watches: it looks again (reading only) every steady sweep period.
    assertThat(h.lastControl.getScheduleDelay()).contains(Duration.ofSeconds(60).toMillis());
    // Only reads: no tag, no token, no modification, nothing created for it.
    assertThat(aws.calls).isNotEmpty().allMatch(AdoptionComponentTest::isRead);
    assertThat(g.tags).isEqualTo(tagsBefore);
    assertThat(g.tokens).containsExactly(LEGACY_TOKEN);
    assertThat(g.spec).isSameAs(specBefore);
    assertThat(g.status).isEqualTo("available");
    assertThat(aws.securityGroups).hasSize(securityGroupsBefore);
    assertThat(aws.secrets).isEmpty();
    assertThat(aws.parameterGroups).isEmpty();
    assertThat(aws.logGroups).isEmpty();
    assertThat(h.secretOf(rc)).isEmpty();
    assertThat(h.kube.events).anyMatch(e -> e.type().equals("Warning") && e.reason().equals("AdoptionNotAllowed"))
        .noneMatch(e -> e.reason().equals("Adopted"));

    // Consent for someone else is no consent for this one; the message says whom the tag names.
    consent(aws, "payments/cache");
    h.reconcile(rc);
    assertThat(Harness.condition(rc, "Stalled").orElseThrow().getMessage()).contains("names payments/cache, not shop/sessions");

    // Deleting the refused RedisCache (deletionPolicy Retain, an adoption's default) leaves the group alone too.
    aws.calls.clear();
    assertThat(h.deleteUntilGone(rc, 5)).isTrue();
    assertThat(aws.calls).allMatch(AdoptionComponentTest::isRead);
    assertThat(g.tokens).containsExactly(LEGACY_TOKEN);
    assertThat(aws.groups).containsKey(LEGACY);
  }

  @Test
  void aStatusNamingTheGroupIsNoConsent() {
    FakeAws aws = new FakeAws();
    legacyGroup(aws);
    Harness h = new Harness(aws, new Harness.Kube());
    RedisCache rc = adopting("sessions");
    // Whoever may write the status could put the group's ARN there; the operator does not take that as proof of ownership.
    var forged = new dev.operators.elasticache.api.RedisCacheStatus();
    forged.setReplicationGroupArn(aws.groups.get(LEGACY).arn);
    rc.setStatus(forged);
    for (int i = 0; i < 5; i++) {
      h.reconcile(rc);
      aws.clock.advance(Duration.ofMinutes(2));
      h.sweep();
    }
    assertThat(Harness.condition(rc, "Stalled").orElseThrow().getReason()).isEqualTo("AdoptionNotAllowed");
    assertThat(aws.calls).allMatch(AdoptionComponentTest::isRead);
    assertThat(aws.groups.get(LEGACY).tokens).containsExactly(LEGACY_TOKEN);
  }

  @Test
  void thePlatformEngineersAllowListGivesConsent() {
    FakeAws aws = new FakeAws();
    legacyGroup(aws);
    // Malformed entries and entries for others are ignored.
    Harness h = new Harness(aws, new Harness.Kube(), List.of("nonsense", "shop/other=legacy-sessions", "shop/*=legacy-*"));
    RedisCache rc = adopting("sessions");
    adoptUntilSettled(h, rc);
    FakeAws.Group g = aws.groups.get(LEGACY);
    assertThat(g.tags).containsEntry(Names.TAG_UID, rc.getMetadata().getUid()).doesNotContainKey(Names.TAG_ADOPTABLE_BY);
    assertThat(g.tokens).containsExactly(h.secretData(rc).get("password")).doesNotContain(LEGACY_TOKEN);
    assertThat(h.kube.events).anyMatch(e -> e.reason().equals("Adopted") && e.message().contains("shop/*=legacy-*"));

    // The same operator refuses a RedisCache the list does not name.
    FakeAws other = new FakeAws();
    legacyGroup(other);
    Harness h2 = new Harness(other, new Harness.Kube(), List.of("shop/other=legacy-sessions", "team-a/*=*"));
    RedisCache refused = adopting("sessions");
    h2.reconcile(refused);
    assertThat(Harness.condition(refused, "Stalled").orElseThrow().getReason()).isEqualTo("AdoptionNotAllowed");
    assertThat(other.calls).allMatch(AdoptionComponentTest::isRead);
  }

  @Test
  void aGroupReleasedWithRetainCanBeAdoptedAgainWithConsent() {
    FakeAws aws = new FakeAws();
    legacyGroup(aws, "first");
    Harness h = new Harness(aws, new Harness.Kube());
    RedisCache first = adopting("first");
    first.getSpec().setTags(Map.of("team", "first"));
    adoptUntilSettled(h, first);
    String firstToken = h.secretData(first).get("password");
    assertThat(h.deleteUntilGone(first, 5)).isTrue(); // deletionPolicy Retain, an adoption's default
    FakeAws.Group g = aws.groups.get(LEGACY);
    assertThat(g.tags).doesNotContainKeys(Names.TAG_UID, Names.TAG_CLUSTER, Names.TAG_NAMESPACE, Names.TAG_NAME, Names.TAG_ADOPTED,
        Names.TAG_MANAGED_BY).containsEntry("team", "first");
    assertThat(g.tokens).containsExactly(firstToken);
    assertThat(h.kube.events).anyMatch(e -> e.reason().equals("Retained") && e.message().contains("adopted again"));
    h.kube.secrets.clear(); // Kubernetes collects the connection Secret with its owner

    // Released is not consent: the old consent named shop/first.
    RedisCache second = adopting("second");
    aws.calls.clear();
    h.reconcile(second);
    assertThat(Harness.condition(second, "Stalled").orElseThrow().getReason()).isEqualTo("AdoptionNotAllowed");
    assertThat(aws.calls).allMatch(AdoptionComponentTest::isRead);

    // The owner agrees; a restarted operator adopts it.
    consent(aws, "shop/second");
    Harness restarted = h.restart();
    adoptUntilSettled(restarted, second);
    assertThat(Harness.ready(second)).isTrue();
    assertThat(g.tags).containsEntry(Names.TAG_UID, second.getMetadata().getUid()).containsEntry(Names.TAG_NAME, "second");
    String secondToken = restarted.secretData(second).get("password");
    assertThat(g.tokens).containsExactly(secondToken).doesNotContain(firstToken);
    assertThat(aws.count("elasticache:CreateReplicationGroup")).isZero();
  }
}
