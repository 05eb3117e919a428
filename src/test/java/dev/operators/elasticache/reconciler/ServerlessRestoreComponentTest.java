package dev.operators.elasticache.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.elasticache.api.DeletionPolicy;
import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.api.RestoreFromSpec;
import dev.operators.elasticache.api.ServerlessSpec;
import dev.operators.elasticache.decide.Desired;
import dev.operators.elasticache.decide.Names;
import dev.operators.elasticache.fake.Harness;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** spec.restoreFrom on a serverless RedisCache through the reconciler, against the fake's E58 rules. */
class ServerlessRestoreComponentTest {

  static RedisCache serverless(String ns, String name) {
    RedisCache rc = Harness.cache(ns, name);
    rc.getSpec().setServerless(new ServerlessSpec());
    return rc;
  }

  static RedisCache restoring(String name, String snapshot, List<String> arns) {
    RedisCache rc = serverless("staging", name);
    RestoreFromSpec r = new RestoreFromSpec();
    r.setSnapshotName(snapshot);
    r.setRdbS3Arns(arns);
    rc.getSpec().setRestoreFrom(r);
    return rc;
  }

  static String nameOf(RedisCache rc) {
    return Desired.replicationGroupId(rc, "test");
  }

  /** A serverless RedisCache deleted with deletionPolicy Snapshot: the name of its final snapshot. */
  static String finalSnapshotOfADeletedServerlessCache(Harness h) {
    RedisCache old = serverless("web", "sessions");
    old.getSpec().setDeletionPolicy(DeletionPolicy.Snapshot);
    h.reconcileUntilReady(old, 30);
    assertThat(h.deleteUntilGone(old, 30)).isTrue();
    String name = Names.finalSnapshotName(nameOf(old), old.getMetadata().getUid());
    assertThat(h.aws.serverlessSnapshotInfo).containsKey(name);
    return name;
  }

  @Test
  void aServerlessCacheIsCreatedFromTheFinalSnapshotOfAnotherAndSaysSo() {
    Harness h = new Harness();
    String snapshot = finalSnapshotOfADeletedServerlessCache(h);
    h.aws.calls.clear();
    RedisCache rc = restoring("sessions", snapshot, null);
    h.reconcileUntilReady(rc, 30);
    assertThat(Harness.ready(rc)).isTrue();
    String arn = h.aws.serverlessSnapshotInfo.get(snapshot).arn();
    assertThat(h.aws.serverlessRestoredFrom.get(nameOf(rc))).containsExactly(arn);
    assertThat(rc.getStatus().getRestoredFrom()).isEqualTo("snapshot " + snapshot);
    assertThat(h.kube.events).anyMatch(e -> e.reason().equals("ServerlessCacheCreating") && e.message().contains("restored from snapshot " + snapshot));
    // one look at the snapshot, before the create; none once the cache exists
    assertThat(h.aws.count("elasticache:DescribeServerlessCacheSnapshots")).isEqualTo(1);
    for (int i = 0; i < 5; i++) {
      h.aws.clock.advance(Duration.ofMinutes(5));
      h.sweep();
      h.reconcile(rc);
    }
    assertThat(h.aws.count("elasticache:DescribeServerlessCacheSnapshots")).isEqualTo(1);
    assertThat(h.aws.count("elasticache:CreateServerlessCache")).isEqualTo(1);
    assertThat(rc.getStatus().getRestoredFrom()).isEqualTo("snapshot " + snapshot);
  }

  @Test
  void aSnapshotThatDoesNotExistOrDoesNotFitIsStalledNamingTheFieldAndNothingIsCreated() {
    Harness h = new Harness();
    RedisCache rc = restoring("ghost", "no-such-snapshot", null);
    h.reconcile(rc);
    var stalled = Harness.condition(rc, "Stalled").orElseThrow();
    assertThat(stalled.getStatus()).isEqualTo("True");
    assertThat(stalled.getReason()).isEqualTo("RestoreSourceUnusable");
    assertThat(stalled.getMessage()).startsWith("spec.restoreFrom.snapshotName: no serverless cache snapshot no-such-snapshot");
    assertThat(h.aws.count("elasticache:CreateServerlessCache")).isZero();

    String snapshot = finalSnapshotOfADeletedServerlessCache(h); // valkey 8
    RedisCache older = restoring("older", snapshot, null);
    older.getSpec().setEngineVersion("7.2");
    h.reconcile(older);
    assertThat(Harness.condition(older, "Stalled").orElseThrow().getMessage()).startsWith("spec.engineVersion: serverless snapshot " + snapshot);
    RedisCache redis = restoring("redis", snapshot, null);
    redis.getSpec().setEngine(dev.operators.elasticache.api.Engine.REDIS);
    redis.getSpec().setEngineVersion("7.1");
    h.reconcile(redis);
    assertThat(Harness.condition(redis, "Stalled").orElseThrow().getMessage()).startsWith("spec.engine: serverless snapshot " + snapshot + " holds valkey data");
    assertThat(h.aws.serverless).doesNotContainKeys(nameOf(older), nameOf(redis), nameOf(rc));
  }

  @Test
  void aServerlessCacheIsCreatedFromANodeBasedSnapshotByItsArnAndSaysSo() {
    Harness h = new Harness();
    // a node-based cache's final snapshot (deletionPolicy Snapshot), as DescribeSnapshots answers it
    RedisCache old = Harness.cache("web", "orders");
    old.getSpec().setDeletionPolicy(DeletionPolicy.Snapshot);
    h.reconcileUntilReady(old, 30);
    assertThat(h.deleteUntilGone(old, 30)).isTrue();
    String snapshot = h.aws.snapshotInfo.keySet().stream().filter(n -> n.contains("-final-")).findFirst().orElseThrow();
    String arn = h.aws.snapshotInfo.get(snapshot).arn();
    assertThat(arn).isEqualTo("arn:aws:elasticache:us-east-1:123456789012:snapshot:" + snapshot);
    h.aws.calls.clear();
    RedisCache rc = restoring("orders", snapshot, null);
    h.reconcileUntilReady(rc, 30);
    assertThat(h.aws.serverlessRestoredFrom.get(nameOf(rc))).containsExactly(arn);
    assertThat(rc.getStatus().getRestoredFrom()).isEqualTo("snapshot " + snapshot);
    assertThat(h.kube.events).anyMatch(e -> e.reason().equals("ServerlessCacheCreating")
        && e.message().contains("restored from node-based snapshot " + snapshot + " of replication group " + nameOf(old)) && e.message().contains(arn));
    // looked up once (serverless first, then node-based), before the one create
    assertThat(h.aws.count("elasticache:DescribeServerlessCacheSnapshots")).isEqualTo(1);
    assertThat(h.aws.count("elasticache:DescribeSnapshots")).isEqualTo(1);
    assertThat(h.aws.count("elasticache:CreateServerlessCache")).isEqualTo(1);

    // Valkey 8 data into a Redis OSS serverless cache: Stalled naming the field, nothing created
    RedisCache redis = restoring("redis", snapshot, null);
    redis.getSpec().setEngine(dev.operators.elasticache.api.Engine.REDIS);
    redis.getSpec().setEngineVersion("7.1");
    h.reconcile(redis);
    assertThat(Harness.condition(redis, "Stalled").orElseThrow().getMessage()).startsWith("spec.engine: snapshot " + snapshot + " holds valkey data");
    assertThat(h.aws.serverless).doesNotContainKey(nameOf(redis));
  }

  @Test
  void rdbFilesInS3AreSentAsTheyAreAndAwsRefusalIsStalledWithItsWords() {
    Harness h = new Harness();
    RedisCache missing = restoring("missing", null, List.of("arn:aws:s3:::seed/missing.rdb"));
    h.reconcile(missing);
    var stalled = Harness.condition(missing, "Stalled").orElseThrow();
    assertThat(stalled.getReason()).isEqualTo("RestoreSourceUnusable");
    assertThat(stalled.getMessage()).startsWith("spec.restoreFrom: AWS refused to restore serverless cache " + nameOf(missing)
        + " from s3 arn:aws:s3:::seed/missing.rdb: No object missing.rdb in bucket seed");

    h.aws.s3Objects.add("seed/carts.rdb");
    RedisCache rc = restoring("carts", null, List.of("arn:aws:s3:::seed/carts.rdb"));
    h.reconcileUntilReady(rc, 30);
    assertThat(h.aws.serverlessRestoredFrom.get(nameOf(rc))).containsExactly("arn:aws:s3:::seed/carts.rdb");
    assertThat(rc.getStatus().getRestoredFrom()).isEqualTo("s3 arn:aws:s3:::seed/carts.rdb");
    assertThat(h.aws.count("elasticache:DescribeServerlessCacheSnapshots")).isZero();
  }
}
