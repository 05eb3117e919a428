package dev.operators.elasticache.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.elasticache.api.AdoptionSpec;
import dev.operators.elasticache.api.DeletionPolicy;
import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.aws.ReplicationGroupSpec;
import dev.operators.elasticache.decide.Names;
import dev.operators.elasticache.fake.FakeAws;
import dev.operators.elasticache.fake.Harness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Taking over an existing replication group without recreating it. */
class AdoptionComponentTest {
  static final String LEGACY = "legacy-sessions";
  static final String LEGACY_TOKEN = "legacyTokenThatNobodyToldTheOperator0";

  static void legacyGroup(FakeAws aws) {
    aws.createSubnetGroup("legacy-subnets", "theirs", List.of("subnet-0a1b2c3d4e5f60718"), Map.of());
    String sg = aws.createSecurityGroup(FakeAws.VPC, "legacy-sg", "theirs", Map.of());
    aws.createReplicationGroup(new ReplicationGroupSpec(LEGACY, "made by hand", "redis", "7.1", "cache.t4g.small", 1, 1, false,
        true, false, 6379, "legacy-subnets", List.of(sg), null, true, true, null, LEGACY_TOKEN, 1, null, null, Map.of("team", "old")));
    aws.clock.advance(Duration.ofMinutes(30));
    aws.calls.clear();
  }

  static RedisCache adopting(String name) {
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

  @Test
  void adoptsWithoutRecreatingBringsInAKnownTokenAndFollowsTheSpec() {
    FakeAws aws = new FakeAws();
    legacyGroup(aws);
    Harness h = new Harness(aws, new Harness.Kube());
    RedisCache rc = adopting("sessions");
    rc.getSpec().setTags(Map.of("team", "sessions"));
    for (int i = 0; i < 40 && !(Harness.ready(rc) && rc.getStatus().getTokenRotation() == null
        && aws.groups.get(LEGACY).tokens.size() == 1 && !aws.groups.get(LEGACY).tokens.contains(LEGACY_TOKEN)); i++) {
      h.reconcile(rc);
      aws.clock.advance(Duration.ofMinutes(2));
      h.sweep();
    }
    h.reconcileUntilReady(rc, 10);
    assertThat(aws.count("elasticache:CreateReplicationGroup")).isZero();
    FakeAws.Group g = aws.groups.get(LEGACY);
    // The spec's tags replace the hand-made ones; the operator's own are kept.
    assertThat(g.tags).containsEntry(Names.TAG_UID, rc.getMetadata().getUid()).containsEntry("elasticache.operators.dev/adopted", "true")
        .containsEntry("team", "sessions");
    String token = h.secretData(rc).get("password");
    assertThat(g.tokens).containsExactly(token);
    assertThat(aws.secrets.values().iterator().next().value()).isEqualTo(token);
    assertThat(rc.getStatus().getReplicationGroupId()).isEqualTo(LEGACY);
    assertThat(h.kube.events).anyMatch(e -> e.reason().equals("Adopted"));
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
    legacyGroup(aws);
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
    legacyGroup(aws);
    Harness h = new Harness(aws, new Harness.Kube());
    RedisCache first = adopting("first");
    for (int i = 0; i < 5; i++) {
      h.reconcile(first);
      aws.clock.advance(Duration.ofMinutes(2));
      h.sweep();
    }
    RedisCache second = adopting("second");
    h.reconcile(second);
    assertThat(Harness.condition(second, "Stalled").orElseThrow().getReason()).isEqualTo("ReplicationGroupOwnedByAnother");

    RedisCache ghost = adopting("ghost");
    ghost.getSpec().getAdoption().setReplicationGroupId("no-such-group");
    aws.calls.clear();
    h.reconcile(ghost);
    assertThat(Harness.condition(ghost, "Stalled").orElseThrow().getReason()).isEqualTo("AdoptionTargetNotFound");
    assertThat(aws.count("elasticache:CreateReplicationGroup")).isZero();
  }
}
