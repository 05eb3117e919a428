package dev.operators.elasticache.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.elasticache.api.ApplyChanges;
import dev.operators.elasticache.api.BackupSpec;
import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.aws.ReplicationGroupSpec;
import dev.operators.elasticache.fake.FakeAws;
import dev.operators.elasticache.fake.Harness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Changes to a running cache, one modification at a time, through AWS's own calls. */
class DayTwoComponentTest {

  static RedisCache ready(Harness h, RedisCache rc) {
    return h.reconcileUntilReady(rc, 30);
  }

  static void edit(RedisCache rc, java.util.function.Consumer<RedisCache> change) {
    change.accept(rc);
    rc.getMetadata().setGeneration(rc.getMetadata().getGeneration() + 1);
  }

  FakeAws.Group group(Harness h) {
    return h.aws.groups.values().iterator().next();
  }

  @Test
  void nodeTypeUpAndDownInPlace() {
    Harness h = new Harness();
    RedisCache rc = ready(h, Harness.cache("shop", "resize"));
    edit(rc, r -> r.getSpec().setNodeType("cache.t4g.small"));
    h.reconcile(rc);
    assertThat(Harness.condition(rc, "Reconciling").orElseThrow().getReason()).isEqualTo("Modifying");
    // While AWS modifies the group, apps keep a complete Secret.
    h.aws.clock.advance(Duration.ofMinutes(1));
    h.sweep();
    h.reconcile(rc);
    assertThat(h.aws.groups.values().iterator().next().status).isEqualTo("modifying");
    assertThat(h.secretData(rc)).containsKeys("host", "url", "password");
    assertThat(rc.getStatus().getPendingChanges()).containsExactly("nodeType cache.t4g.micro -> cache.t4g.small");
    ready(h, rc);
    assertThat(group(h).spec.cacheNodeType()).isEqualTo("cache.t4g.small");
    assertThat(rc.getStatus().getPendingChanges()).isNull();
    assertThat(rc.getStatus().getEstimatedMonthlyCostUSD()).isEqualTo("18.69"); // 0.032 * 0.8 * 730
    edit(rc, r -> r.getSpec().setNodeType("cache.t4g.micro"));
    ready(h, rc);
    assertThat(group(h).spec.cacheNodeType()).isEqualTo("cache.t4g.micro");
    assertThat(h.aws.count("elasticache:ModifyReplicationGroup")).isEqualTo(2);
    assertThat(h.aws.count("elasticache:CreateReplicationGroup")).isEqualTo(1);
  }

  @Test
  void addingAReplicaAndMultiAzGoesReplicaFirstThenFailover() {
    Harness h = new Harness();
    RedisCache rc = ready(h, Harness.cache("shop", "grow"));
    edit(rc, r -> {
      r.getSpec().setReplicasPerShard(1);
      r.getSpec().setMultiAZ(true);
    });
    h.reconcile(rc);
    assertThat(rc.getStatus().getPendingChanges()).containsExactly("replicasPerShard 0 -> 1", "automaticFailover off -> on, multiAZ off -> on");
    ready(h, rc);
    assertThat(h.aws.calls).containsSubsequence("elasticache:IncreaseReplicaCount", "elasticache:ModifyReplicationGroup");
    assertThat(group(h).spec.replicasPerNodeGroup()).isEqualTo(1);
    assertThat(group(h).spec.multiAZ()).isTrue();
    assertThat(group(h).spec.automaticFailover()).isTrue();
    assertThat(h.secretData(rc)).containsKey("readerHost");
    // And back: failover and Multi-AZ off before the replica goes (AWS refuses the other order).
    edit(rc, r -> {
      r.getSpec().setReplicasPerShard(0);
      r.getSpec().setMultiAZ(false);
    });
    h.aws.calls.clear();
    ready(h, rc);
    assertThat(h.aws.calls).containsSubsequence("elasticache:ModifyReplicationGroup", "elasticache:DecreaseReplicaCount");
    assertThat(group(h).spec.replicasPerNodeGroup()).isZero();
    assertThat(h.secretData(rc)).doesNotContainKey("readerHost");
  }

  @Test
  void shardsScaleOutAndInKeepingTheFirstShards() {
    Harness h = new Harness();
    RedisCache rc = Harness.cache("feeds", "sharded");
    rc.getSpec().setShards(2);
    ready(h, rc);
    edit(rc, r -> r.getSpec().setShards(4));
    ready(h, rc);
    assertThat(group(h).spec.numNodeGroups()).isEqualTo(4);
    edit(rc, r -> r.getSpec().setShards(3));
    ready(h, rc);
    assertThat(group(h).spec.numNodeGroups()).isEqualTo(3);
    assertThat(h.aws.count("elasticache:ModifyReplicationGroupShardConfiguration")).isEqualTo(2);
  }

  @Test
  void parametersBackupsAndWindowsChangeWithoutResendingTheRest() {
    Harness h = new Harness();
    RedisCache rc = ready(h, Harness.cache("shop", "tune"));
    edit(rc, r -> {
      r.getSpec().setParameters(Map.of("maxmemory-policy", "allkeys-lru"));
      BackupSpec b = new BackupSpec();
      b.setRetentionDays(7);
      b.setWindow("02:00-03:00");
      r.getSpec().setBackups(b);
      r.getSpec().setMaintenanceWindow("Sun:04:00-Sun:05:00");
    });
    ready(h, rc);
    ReplicationGroupSpec s = group(h).spec;
    assertThat(s.cacheParameterGroupName()).endsWith("-valkey8");
    assertThat(h.aws.parameters.get(s.cacheParameterGroupName())).containsEntry("maxmemory-policy", "allkeys-lru");
    assertThat(s.snapshotRetentionLimit()).isEqualTo(7);
    assertThat(s.snapshotWindow()).isEqualTo("02:00-03:00");
    assertThat(s.preferredMaintenanceWindow()).isEqualTo("sun:04:00-sun:05:00");
    assertThat(s.cacheNodeType()).isEqualTo("cache.t4g.micro");
    int modifies = (int) h.aws.count("elasticache:ModifyReplicationGroup");
    // Settled: AWS reporting the window in its own case is not a difference.
    h.aws.clock.advance(Duration.ofMinutes(5));
    h.sweep();
    h.reconcile(rc);
    assertThat(h.aws.count("elasticache:ModifyReplicationGroup")).isEqualTo(modifies);
    // Parameters removed: back to AWS's default group for the family.
    edit(rc, r -> r.getSpec().setParameters(null));
    ready(h, rc);
    assertThat(group(h).spec.cacheParameterGroupName()).isEqualTo("default.valkey8");
  }

  @Test
  void engineUpgradeRedisToValkeyMovesToTheNewFamilysParameterGroup() {
    Harness h = new Harness();
    RedisCache rc = Harness.cache("shop", "upgrade");
    rc.getSpec().setEngine(dev.operators.elasticache.api.Engine.REDIS);
    rc.getSpec().setEngineVersion("7.1");
    rc.getSpec().setParameters(Map.of("timeout", "300"));
    ready(h, rc);
    assertThat(group(h).spec.cacheParameterGroupName()).endsWith("-redis7");
    edit(rc, r -> {
      r.getSpec().setEngine(dev.operators.elasticache.api.Engine.VALKEY);
      r.getSpec().setEngineVersion("8.0");
    });
    ready(h, rc);
    ReplicationGroupSpec s = group(h).spec;
    assertThat(s.engine()).isEqualTo("valkey");
    assertThat(s.engineVersion()).isEqualTo("8.0");
    assertThat(s.cacheParameterGroupName()).endsWith("-valkey8");
    assertThat(h.aws.parameters.get(s.cacheParameterGroupName())).containsEntry("timeout", "300");
    assertThat(rc.getStatus().getEngineVersion()).isEqualTo("8.0.1");
    // On delete both owned parameter groups go.
    assertThat(h.deleteUntilGone(rc, 30)).isTrue();
    assertThat(h.aws.parameterGroups).isEmpty();
  }

  @Test
  void nextMaintenanceWindowLeavesTheChangePendingAndDoesNotResendIt() {
    Harness h = new Harness();
    RedisCache rc = ready(h, Harness.cache("shop", "later"));
    edit(rc, r -> {
      r.getSpec().setApplyChanges(ApplyChanges.NextMaintenanceWindow);
      r.getSpec().setNodeType("cache.r7g.large");
    });
    ready(h, rc);
    assertThat(group(h).spec.cacheNodeType()).isEqualTo("cache.t4g.micro");
    assertThat(rc.getStatus().getPendingChanges()).containsExactly("nodeType -> cache.r7g.large at the next maintenance window");
    h.aws.clock.advance(Duration.ofMinutes(5));
    h.sweep();
    h.reconcile(rc);
    assertThat(h.aws.count("elasticache:ModifyReplicationGroup")).isEqualTo(1);
  }

  @Test
  void driftBehindTheOperatorsBackIsCorrectedAndReported() {
    Harness h = new Harness();
    RedisCache rc = ready(h, Harness.cache("shop", "drift"));
    String id = rc.getStatus().getReplicationGroupId();
    h.aws.changeBehindTheOperatorsBack(id, s -> s.withCacheNodeType("cache.m7g.large").withSnapshotRetentionLimit(35));
    h.sweep();
    h.reconcile(rc);
    assertThat(h.kube.events).anyMatch(e -> e.reason().equals("DriftCorrected") && e.message().contains("cache.m7g.large -> cache.t4g.micro"));
    ready(h, rc);
    assertThat(group(h).spec.cacheNodeType()).isEqualTo("cache.t4g.micro");
    assertThat(group(h).spec.snapshotRetentionLimit()).isZero();
  }

  @Test
  void aChangeAwsAcceptsAndRollsBackIsReportedNotRetriedForever() {
    Harness h = new Harness();
    RedisCache rc = ready(h, Harness.cache("shop", "rollback"));
    h.aws.rollBackNextModification = true;
    edit(rc, r -> r.getSpec().setNodeType("cache.r7g.xlarge"));
    for (int i = 0; i < 10; i++) {
      h.reconcile(rc);
      h.aws.clock.advance(Duration.ofMinutes(1));
      h.sweep();
    }
    var stalled = Harness.condition(rc, "Stalled").orElseThrow();
    assertThat(stalled.getStatus()).isEqualTo("True");
    assertThat(stalled.getReason()).isEqualTo("ChangeRolledBack");
    assertThat(stalled.getMessage()).contains("nodeType cache.t4g.micro -> cache.r7g.xlarge");
    assertThat(h.kube.events).anyMatch(e -> e.type().equals("Warning") && e.reason().equals("ChangeRolledBack"));
    assertThat(h.aws.count("elasticache:ModifyReplicationGroup")).isEqualTo(1);
    // A new spec generation tries again.
    edit(rc, r -> r.getSpec().setNodeType("cache.r7g.large"));
    ready(h, rc);
    assertThat(group(h).spec.cacheNodeType()).isEqualTo("cache.r7g.large");
  }

  @Test
  void tagsFollowTheSpecOnTheGroupAndTheSecurityGroup() {
    Harness h = new Harness();
    RedisCache rc = Harness.cache("shop", "tagged");
    rc.getSpec().setTags(Map.of("team", "payments", "tier", "gold"));
    ready(h, rc);
    edit(rc, r -> r.getSpec().setTags(Map.of("team", "checkout")));
    ready(h, rc);
    assertThat(group(h).tags).containsEntry("team", "checkout").doesNotContainKey("tier")
        .containsEntry("elasticache.operators.dev/uid", rc.getMetadata().getUid());
    assertThat(h.aws.securityGroups.get(rc.getStatus().getSecurityGroupId()).tags()).containsEntry("team", "checkout").doesNotContainKey("tier");
    assertThat(h.kube.events).anyMatch(e -> e.reason().equals("TagsUpdated"));
  }

  @Test
  void subnetsOfTheOwnedSubnetGroupChangeInPlace() {
    Harness h = new Harness();
    RedisCache rc = ready(h, Harness.cache("shop", "subnets"));
    edit(rc, r -> r.getSpec().getNetwork().setSubnetIds(List.of("subnet-0a1b2c3d4e5f60718")));
    ready(h, rc);
    assertThat(h.aws.subnetGroups.get(rc.getStatus().getSubnetGroupName()).subnetIds()).containsExactly("subnet-0a1b2c3d4e5f60718");
    assertThat(h.kube.events).anyMatch(e -> e.reason().equals("SubnetGroupModified"));
    assertThat(h.aws.count("elasticache:CreateReplicationGroup")).isEqualTo(1);
  }

  @Test
  void additionalSecurityGroupsAreAttachedInPlace() {
    Harness h = new Harness();
    String extra = h.aws.createSecurityGroup(FakeAws.VPC, "monitoring", "theirs", Map.of());
    RedisCache rc = ready(h, Harness.cache("shop", "attach"));
    edit(rc, r -> r.getSpec().getNetwork().setAdditionalSecurityGroupIds(List.of(extra)));
    ready(h, rc);
    assertThat(group(h).spec.securityGroupIds()).containsExactlyInAnyOrder(rc.getStatus().getSecurityGroupId(), extra);
  }
}
