package dev.operators.elasticache.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.elasticache.api.DeletionPolicy;
import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.api.RestoreFromSpec;
import dev.operators.elasticache.decide.Desired;
import dev.operators.elasticache.decide.Names;
import dev.operators.elasticache.fake.FakeAws;
import dev.operators.elasticache.fake.Harness;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** spec.restoreFrom through the reconciler, against the fake's E27 rules. */
class RestoreComponentTest {

  static RedisCache restoring(String name, String snapshot, List<String> arns) {
    RedisCache rc = Harness.cache("shop", name);
    RestoreFromSpec r = new RestoreFromSpec();
    r.setSnapshotName(snapshot);
    r.setRdbS3Arns(arns);
    rc.getSpec().setRestoreFrom(r);
    return rc;
  }

  /** A cache that was deleted with deletionPolicy Snapshot: the name of its final snapshot. */
  static String finalSnapshotOfADeletedCache(Harness h) {
    RedisCache old = Harness.cache("shop", "old-orders");
    old.getSpec().setDeletionPolicy(DeletionPolicy.Snapshot);
    h.reconcileUntilReady(old, 20);
    assertThat(h.deleteUntilGone(old, 20)).isTrue();
    String name = Names.finalSnapshotName(Desired.replicationGroupId(old, "test"), old.getMetadata().getUid());
    assertThat(h.aws.snapshots).contains(name);
    return name;
  }

  static String rgId(RedisCache rc) {
    return Desired.replicationGroupId(rc, "test");
  }

  @Test
  void aNewCacheIsCreatedFromTheFinalSnapshotOfADeletedOneAndSaysSo() {
    Harness h = new Harness();
    String snapshot = finalSnapshotOfADeletedCache(h);
    h.aws.calls.clear();
    RedisCache rc = restoring("orders", snapshot, null);
    h.reconcileUntilReady(rc, 20);
    assertThat(Harness.ready(rc)).isTrue();
    assertThat(h.aws.restoredFrom).containsEntry(rgId(rc), "snapshot " + snapshot);
    assertThat(h.aws.groups.get(rgId(rc)).spec.snapshotName()).isEqualTo(snapshot);
    assertThat(rc.getStatus().getRestoredFrom()).isEqualTo("snapshot " + snapshot);
    assertThat(h.kube.events).anyMatch(e -> e.reason().equals("CreatingReplicationGroup"));
    // One look at the snapshot, before the create; none once the group exists.
    assertThat(h.aws.count("elasticache:DescribeSnapshots")).isEqualTo(1);
    for (int i = 0; i < 5; i++) {
      h.aws.clock.advance(Duration.ofMinutes(5));
      h.sweep();
      h.reconcile(rc);
    }
    assertThat(h.aws.count("elasticache:DescribeSnapshots")).isEqualTo(1);
    assertThat(rc.getStatus().getRestoredFrom()).isEqualTo("snapshot " + snapshot);
  }

  @Test
  void aSnapshotThatDoesNotExistOrDoesNotFitIsStalledNamingTheFieldAndNothingIsCreated() {
    Harness h = new Harness();
    RedisCache rc = restoring("orders", "no-such-snapshot", null);
    h.reconcile(rc);
    var stalled = Harness.condition(rc, "Stalled").orElseThrow();
    assertThat(stalled.getStatus()).isEqualTo("True");
    assertThat(stalled.getReason()).isEqualTo("RestoreSourceUnusable");
    assertThat(stalled.getMessage()).startsWith("spec.restoreFrom.snapshotName: snapshot no-such-snapshot does not exist");
    assertThat(h.aws.count("elasticache:CreateReplicationGroup")).isZero();
    assertThat(h.kube.events).anyMatch(e -> e.type().equals("Warning") && e.reason().equals("RestoreSourceUnusable"));

    String snapshot = finalSnapshotOfADeletedCache(h); // valkey 8.0
    RedisCache older = restoring("older", snapshot, null);
    older.getSpec().setEngineVersion("7.2");
    h.reconcile(older);
    assertThat(Harness.condition(older, "Stalled").orElseThrow().getMessage()).startsWith("spec.engineVersion: ");
    assertThat(h.aws.groups).doesNotContainKey(rgId(older));
  }

  @Test
  void aSnapshotStillBeingTakenIsWaitedFor() {
    Harness h = new Harness();
    RedisCache source = Harness.cache("shop", "source");
    h.reconcileUntilReady(source, 20);
    h.aws.createSnapshot(rgId(source), "source-manual");
    RedisCache rc = restoring("orders", "source-manual", null);
    h.reconcile(rc);
    assertThat(Harness.condition(rc, "Reconciling").orElseThrow().getReason()).isEqualTo("WaitingForSnapshot");
    assertThat(h.aws.groups).doesNotContainKey(rgId(rc));
    h.aws.clock.advance(h.aws.snapshottingTime.plusSeconds(1));
    h.reconcileUntilReady(rc, 20);
    assertThat(h.aws.restoredFrom).containsEntry(rgId(rc), "snapshot source-manual");
  }

  @Test
  void rdbFilesAwsCannotReadAreAwsRefusalWithItsMessageThenTheCacheIsSeeded() {
    Harness h = new Harness();
    String arn = "arn:aws:s3:::seed-bucket/dumps/orders.rdb";
    RedisCache rc = restoring("orders", null, List.of(arn));
    h.reconcile(rc);
    var stalled = Harness.condition(rc, "Stalled").orElseThrow();
    assertThat(stalled.getReason()).isEqualTo("AwsRejectedSpec");
    assertThat(stalled.getMessage()).contains("No object dumps/orders.rdb in bucket seed-bucket");
    assertThat(h.kube.events).anyMatch(e -> e.type().equals("Warning") && e.message().contains("No object dumps/orders.rdb"));
    assertThat(h.aws.count("elasticache:DescribeSnapshots")).isZero();

    h.aws.s3Objects.add("seed-bucket/dumps/orders.rdb");
    rc.getMetadata().setGeneration(2L); // the user fixed the bucket and touched the spec (a Stalled cache waits for a change)
    h.reconcileUntilReady(rc, 20);
    assertThat(h.aws.restoredFrom).containsEntry(rgId(rc), "s3 " + arn);
    assertThat(rc.getStatus().getRestoredFrom()).isEqualTo("s3 " + arn);
  }

  @Test
  void aRestartMidCreateCreatesOnceAndStillSaysWhatItWasRestoredFrom() {
    FakeAws aws = new FakeAws();
    Harness.Kube kube = new Harness.Kube();
    String snapshot = finalSnapshotOfADeletedCache(new Harness(aws, kube));
    aws.calls.clear();
    RedisCache rc = restoring("orders", snapshot, null);
    Harness first = new Harness(aws, kube);
    // The create is sent, then the process dies before the status is written.
    first.failNextStatusPatch = true;
    for (int i = 0; i < 10 && !aws.groups.containsKey(rgId(rc)); i++) {
      try {
        first.reconcile(rc);
      } catch (RuntimeException e) {
        // the injected status patch failure
      }
    }
    assertThat(aws.groups).containsKey(rgId(rc));
    assertThat(rc.getStatus() == null ? null : rc.getStatus().getRestoredFrom()).isNull();
    // A fresh process each step, some before their first sweep.
    for (int i = 0; i < 12 && !Harness.ready(rc); i++) {
      Harness h = new Harness(aws, kube);
      if (i % 2 == 1) h.sweep();
      h.reconcile(rc);
      aws.clock.advance(Duration.ofMinutes(2));
    }
    new Harness(aws, kube).reconcileUntilReady(rc, 5);
    assertThat(aws.count("elasticache:CreateReplicationGroup")).isLessThanOrEqualTo(2); // a second try answers AlreadyExists
    assertThat(aws.groups.keySet().stream().filter(id -> id.equals(rgId(rc)))).hasSize(1);
    assertThat(aws.restoredFrom).containsEntry(rgId(rc), "snapshot " + snapshot);
    assertThat(rc.getStatus().getRestoredFrom()).isEqualTo("snapshot " + snapshot);
  }

  @Test
  void aSnapshotDeletedAfterTheCreateWasSentDoesNotStallARestartBeforeItsFirstSweep() {
    FakeAws aws = new FakeAws();
    Harness.Kube kube = new Harness.Kube();
    Harness h = new Harness(aws, kube);
    String snapshot = finalSnapshotOfADeletedCache(h);
    RedisCache rc = restoring("orders", snapshot, null);
    h.reconcile(rc);
    assertThat(aws.groups).containsKey(rgId(rc));
    assertThat(rc.getStatus().getRestoredFrom()).isEqualTo("snapshot " + snapshot);
    // The snapshot goes; a new process reconciles before its poller has seen the group: it does not
    // judge the snapshot again (the group exists; nothing is created), so nothing stalls.
    aws.snapshots.remove(snapshot);
    aws.snapshotInfo.remove(snapshot);
    Harness restarted = h.restartBeforeFirstSweep();
    restarted.reconcile(rc);
    assertThat(Harness.condition(rc, "Stalled").map(c -> c.getStatus()).orElse("False")).isEqualTo("False");
    restarted.sweep();
    restarted.reconcileUntilReady(rc, 20);
    assertThat(Harness.ready(rc)).isTrue();
    assertThat(aws.count("elasticache:CreateReplicationGroup")).isLessThanOrEqualTo(2);
  }
}
