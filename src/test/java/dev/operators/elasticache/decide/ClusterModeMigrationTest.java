package dev.operators.elasticache.decide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.elasticache.api.ClusterMode;
import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.aws.Endpoint;
import dev.operators.elasticache.aws.ObservedGroup;
import dev.operators.elasticache.aws.ReplicationGroupInfo;
import dev.operators.elasticache.aws.ReplicationGroupInfoBuilder;
import dev.operators.elasticache.fake.Harness;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterModeMigrationTest {
  static final EngineVersions AWS = DecisionsTest.AWS;

  static ReplicationGroupInfo group(String mode) {
    return ReplicationGroupInfoBuilder.builder().id("rg").engine("valkey").status("available").clusterMode(mode)
        .clusterEnabled("enabled".equals(mode)).numNodeGroups(1).replicasPerNodeGroup(1).automaticFailover(true)
        .transitEncryption(true).transitEncryptionMode("required")
        .primaryEndpoint("enabled".equals(mode) ? null : new Endpoint("master.rg", 6379))
        .configurationEndpoint("disabled".equals(mode) ? null : new Endpoint("clustercfg.rg", 6379))
        .memberClusters(List.of("rg-001", "rg-002")).build();
  }

  static final ReplicationGroupInfo DISABLED = group("disabled");
  static final ReplicationGroupInfo COMPATIBLE = group("compatible");
  static final ReplicationGroupInfo ENABLED = group("enabled");

  static Desired desired(ClusterMode mode, int replicas) {
    RedisCache rc = Harness.cache("shop", "orders");
    rc.getSpec().setClusterMode(mode);
    rc.getSpec().setReplicasPerShard(replicas);
    return Desired.of(rc, "prod", AWS);
  }

  static Desired redis(ClusterMode mode, String version) {
    RedisCache rc = Harness.cache("shop", "orders");
    rc.getSpec().setEngine(dev.operators.elasticache.api.Engine.REDIS);
    rc.getSpec().setEngineVersion(version);
    rc.getSpec().setClusterMode(mode);
    rc.getSpec().setReplicasPerShard(1);
    return Desired.of(rc, "prod", AWS);
  }

  @Test
  void enabledGoesThroughCompatibleAndIsFinal() {
    Change.Modify first = ClusterModeMigration.next("enabled", DISABLED);
    assertThat(first.request().clusterMode()).isEqualTo("compatible");
    assertThat(first.request().applyImmediately()).isTrue();
    assertThat(first.request()).as("alone in its request").isEqualTo(dev.operators.elasticache.aws.ModifyRequest.of("rg", true).withClusterMode("compatible"));
    assertThat(ClusterModeMigration.next("enabled", COMPATIBLE).request().clusterMode()).isEqualTo("enabled");
    assertThat(ClusterModeMigration.next("enabled", ENABLED)).isNull();
    assertThat(ClusterModeMigration.next("compatible", DISABLED).request().clusterMode()).isEqualTo("compatible");
    assertThat(ClusterModeMigration.next("compatible", COMPATIBLE)).as("compatible is a place to rest").isNull();
    assertThat(ClusterModeMigration.next("disabled", COMPATIBLE).request().clusterMode()).as("back, only from compatible").isEqualTo("disabled");
    assertThat(ClusterModeMigration.next("disabled", ENABLED)).as("enabled cannot be left").isNull();
    assertThat(ClusterModeMigration.next("disabled", DISABLED)).isNull();
    // a group that reports no ClusterMode: from ClusterEnabled
    assertThat(ClusterModeMigration.next("enabled", DISABLED.withClusterMode(null)).request().clusterMode()).isEqualTo("compatible");
    assertThat(ClusterModeMigration.next("enabled", ENABLED.withClusterMode(null))).isNull();
    assertThat(ClusterModeMigration.leavesCompatible(ClusterModeMigration.next("enabled", COMPATIBLE))).isTrue();
    assertThat(ClusterModeMigration.leavesCompatible(ClusterModeMigration.next("disabled", COMPATIBLE))).isTrue();
    assertThat(ClusterModeMigration.leavesCompatible(first)).isFalse();
  }

  @Test
  void theSecretSwitchesWhileAwsServesBothKindsOfClient() {
    assertThat(ClusterModeMigration.secretClusterMode("enabled", null)).as("before the group exists: the spec").isTrue();
    assertThat(ClusterModeMigration.secretClusterMode("disabled", null)).isFalse();
    // on the way to enabled: plain while disabled, cluster from compatible (before enabled is asked)
    assertThat(ClusterModeMigration.secretClusterMode("enabled", DISABLED)).isFalse();
    assertThat(ClusterModeMigration.secretClusterMode("enabled", COMPATIBLE)).isTrue();
    assertThat(ClusterModeMigration.secretClusterMode("compatible", COMPATIBLE)).isTrue();
    assertThat(ClusterModeMigration.secretClusterMode("enabled", ENABLED)).isTrue();
    // back: plain from compatible, before disabled is asked
    assertThat(ClusterModeMigration.secretClusterMode("disabled", COMPATIBLE)).isFalse();

    // the keys: the configuration endpoint and clusterMode true from compatible; no readerHost then
    Desired up = desired(ClusterMode.Enabled, 1);
    assertThat(ConnectionDetails.data(up, DISABLED.withReaderEndpoint(new Endpoint("replica.rg", 6379)), null))
        .containsEntry("host", "master.rg").containsEntry("clusterMode", "false").containsEntry("readerHost", "replica.rg");
    assertThat(ConnectionDetails.data(up, COMPATIBLE.withReaderEndpoint(new Endpoint("replica.rg", 6379)), null))
        .containsEntry("host", "clustercfg.rg").containsEntry("clusterMode", "true").doesNotContainKey("readerHost");
    assertThat(ConnectionDetails.data(up, ENABLED, null)).containsEntry("host", "clustercfg.rg").containsEntry("clusterMode", "true");
    assertThat(ConnectionDetails.data(desired(ClusterMode.Disabled, 1), COMPATIBLE, null))
        .containsEntry("host", "master.rg").containsEntry("clusterMode", "false");
  }

  @Test
  void awsPreconditionsAreCheckedNamingTheField() {
    assertThat(ClusterModeMigration.precondition(desired(ClusterMode.Enabled, 1), DISABLED, "8.0.1")).isNull();
    assertThat(ClusterModeMigration.precondition(desired(ClusterMode.Compatible, 1), DISABLED, "7.2.4")).isNull();
    ReplicationGroupInfo redis = DISABLED.withEngine("redis");
    Problem oldRedis = ClusterModeMigration.precondition(redis(ClusterMode.Enabled, "6.2"), redis, "6.2.6");
    assertThat(oldRedis.field()).isEqualTo("spec.engineVersion");
    assertThat(oldRedis.message()).contains("Redis OSS 7.0").contains("6.2.6");
    assertThat(ClusterModeMigration.precondition(redis(ClusterMode.Enabled, "7.0"), redis, "7.0.7")).isNull();
    assertThat(ClusterModeMigration.precondition(redis(ClusterMode.Enabled, "7.1"), redis, "6.2.6"))
        .as("an upgrade asked together runs first").isNull();
    assertThat(EngineVersions.atLeast("7.1.0", "7.2")).isFalse();
    assertThat(EngineVersions.atLeast("7.2", "7.2")).isTrue();
    assertThat(EngineVersions.atLeast("8.0.1", "7.2")).isTrue();
    Problem noReplica = ClusterModeMigration.precondition(desired(ClusterMode.Enabled, 0), DISABLED, "8.0.1");
    assertThat(noReplica.field()).isEqualTo("spec.replicasPerShard");
    assertThat(noReplica.message()).contains("automatic failover").contains("at least one replica");
    RedisCache tuned = Harness.cache("shop", "orders");
    tuned.getSpec().setClusterMode(ClusterMode.Enabled);
    tuned.getSpec().setReplicasPerShard(1);
    tuned.getSpec().setParameters(Map.of("maxmemory-policy", "allkeys-lru"));
    assertThat(ClusterModeMigration.precondition(Desired.of(tuned, "prod", AWS), DISABLED, "8.0.1").field()).isEqualTo("spec.parameters");
    Problem revert = ClusterModeMigration.precondition(desired(ClusterMode.Disabled, 1), ENABLED, "8.0.1");
    assertThat(revert.field()).isEqualTo("spec.clusterMode");
    assertThat(revert.message()).contains("cannot revert");
    assertThat(ClusterModeMigration.precondition(desired(ClusterMode.Disabled, 1), COMPATIBLE, "8.0.1")).as("back from compatible").isNull();
    assertThat(ClusterModeMigration.precondition(desired(ClusterMode.Disabled, 0), DISABLED, "6.2.6")).as("nothing to change").isNull();
  }

  @Test
  void thePlanMovesClusterModeAfterTheReplicasAndAloneOutOfCompatibleAndShardsOnlyOnceEnabled() {
    RedisCache rc = Harness.cache("shop", "orders");
    rc.getSpec().setClusterMode(ClusterMode.Enabled);
    rc.getSpec().setShards(3);
    rc.getSpec().setReplicasPerShard(1);
    Desired d = Desired.of(rc, "prod", AWS);
    ObservedGroup noReplica = new ObservedGroup(DISABLED.withReplicasPerNodeGroup(0).withAutomaticFailover(false), List.of());
    assertThat(ReplicationGroupChanges.plan(d, noReplica, null)).extracting(Change::summary)
        .containsExactly("replicasPerShard 0 -> 1", "automaticFailover off -> on", "clusterMode disabled -> compatible");
    // in compatible: the step out of it, alone (AWS takes no other modification meanwhile)
    ObservedGroup compatible = new ObservedGroup(COMPATIBLE.withSnapshotRetentionLimit(3), List.of());
    assertThat(ReplicationGroupChanges.plan(d, compatible, null)).extracting(Change::summary).containsExactly("clusterMode compatible -> enabled");
    assertThat(ReplicationGroupChanges.plan(d, new ObservedGroup(ENABLED, List.of()), null)).extracting(Change::summary).containsExactly("shards 1 -> 3");
  }

  @Test
  void shardsAboveOneNeedClusterModeEnabled() {
    RedisCache rc = Harness.cache("shop", "orders");
    rc.getSpec().setShards(2);
    assertThat(SpecValidation.validate(rc.getSpec(), AWS)).as("absent: Enabled with shards > 1").isEmpty();
    assertThat(Desired.of(rc, "prod", AWS).clusterMode()).isTrue();
    rc.getSpec().setClusterMode(ClusterMode.Compatible);
    assertThat(SpecValidation.validate(rc.getSpec(), AWS)).extracting(Problem::field).containsExactly("spec.shards");
    rc.getSpec().setShards(1);
    assertThat(Desired.of(rc, "prod", AWS).clusterModeTargetOrDefault()).isEqualTo("compatible");
    assertThat(Desired.of(rc, "prod", AWS).clusterMode()).as("a new group is created disabled, then moved").isFalse();
  }
}
