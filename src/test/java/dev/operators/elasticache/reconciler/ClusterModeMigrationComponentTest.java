package dev.operators.elasticache.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operators.elasticache.api.ClusterMode;
import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.fake.FakeAws;
import dev.operators.elasticache.fake.Harness;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Cluster mode switched on a running cache through AWS's steps (disabled, compatible, enabled), with
 * the Secret following: at every moment the Secret's endpoint and clusterMode are ones AWS serves
 * (no app is cut off), enabled is asked a grace period after the Secret switched, and a reconcile
 * cut short or a restart anywhere resumes from what AWS reports.
 */
class ClusterModeMigrationComponentTest {

  /** A cache that meets AWS's preconditions: Valkey 8.0, one replica (automatic failover on). */
  static RedisCache cache(String name) {
    RedisCache rc = Harness.cache("shop", name);
    rc.getSpec().setReplicasPerShard(1);
    return rc;
  }

  static FakeAws.Group group(Harness h) {
    return h.aws.groups.values().iterator().next();
  }

  /** What AWS is in and what the Secret says, after a reconcile; checked: AWS serves what the Secret says. */
  static String look(Harness h, RedisCache rc, String when) {
    String aws = group(h).clusterMode();
    Map<String, String> secret = h.secretData(rc);
    boolean cluster = Boolean.parseBoolean(secret.get("clusterMode"));
    // The invariant: cluster clients only once AWS serves them (compatible, enabled); plain ones only while it does (disabled, compatible).
    assertThat(cluster ? !"disabled".equals(aws) : !"enabled".equals(aws)).as("%s: Secret clusterMode %s while AWS is %s", when, cluster, aws).isTrue();
    assertThat(secret.get("host")).as(when).startsWith(cluster ? "clustercfg." : "master.");
    assertThat(secret.get("url")).as(when).contains(secret.get("host"));
    return aws + "/" + (cluster ? "cluster" : "plain");
  }

  /** Reconcile and sweep, a minute apart, until Ready with nothing pending; what was seen, without repeats. */
  static List<String> drive(Harness h, RedisCache rc, int steps) {
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      h.reconcile(rc);
      String entry = look(h, rc, "step " + i);
      if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(entry)) seen.add(entry);
      if (Harness.ready(rc) && rc.getStatus().getPendingChanges() == null) break;
      h.aws.clock.advance(Duration.ofMinutes(1));
      h.sweep();
    }
    return seen;
  }

  @Test
  void disabledGoesCompatibleWithTheClusterSecretBeforeEnabledIsAsked() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(cache("cmon"), 30);
    assertThat(h.secretData(rc)).containsEntry("clusterMode", "false").containsKey("readerHost");
    assertThat(rc.getStatus().getClusterMode()).isEqualTo("disabled");
    DayTwoComponentTest.edit(rc, r -> r.getSpec().setClusterMode(ClusterMode.Enabled));
    List<String> asked = new ArrayList<>();
    List<Instant> askedAt = new ArrayList<>();
    h.aws.beforeModify = m -> {
      // when each step is asked, the Secret already says what AWS serves after it
      asked.add(m.clusterMode() + " with clusterMode " + h.secretData(rc).get("clusterMode"));
      askedAt.add(h.aws.clock.instant());
    };
    List<String> seen = drive(h, rc, 40);
    assertThat(asked).containsExactly("compatible with clusterMode false", "enabled with clusterMode true");
    // apps had the grace period (5 minutes here) to move to the configuration endpoint before AWS stopped serving plain clients
    assertThat(Duration.between(askedAt.get(0), askedAt.get(1))).isGreaterThanOrEqualTo(Duration.ofMinutes(5));
    assertThat(seen).containsSubsequence("disabled/plain", "compatible/cluster", "enabled/cluster").doesNotContain("compatible/plain");
    assertThat(h.kube.events).anyMatch(e -> e.reason().equals("Modifying") && e.message().contains("clusterMode compatible -> enabled"));
    assertThat(rc.getStatus().getClusterModeSecretSwitchedAt()).as("cleared once the change is done").isNull();
    assertThat(rc.getStatus().getClusterMode()).isEqualTo("enabled");
    assertThat(rc.getStatus().getEndpoint()).startsWith("clustercfg.");
    assertThat(h.secretData(rc)).containsEntry("clusterMode", "true").doesNotContainKey("readerHost");
    assertThat(h.aws.count("elasticache:ModifyReplicationGroup")).isEqualTo(2);
    assertThat(h.aws.count("elasticache:CreateReplicationGroup")).isEqualTo(1);

    // once enabled, the cluster grows its shards like any cluster-mode cache
    DayTwoComponentTest.edit(rc, r -> r.getSpec().setShards(2));
    drive(h, rc, 20);
    assertThat(group(h).spec.numNodeGroups()).isEqualTo(2);
  }

  @Test
  void aReconcileCutShortMidMigrationAndARestartNeitherRepeatAStepNorShortenTheGrace() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(cache("cmcut"), 30);
    DayTwoComponentTest.edit(rc, r -> r.getSpec().setClusterMode(ClusterMode.Enabled));
    List<Instant> enabledAskedAt = new ArrayList<>();
    FakeAws aws = h.aws; // the same AWS across the restart
    aws.beforeModify = m -> {
      if ("enabled".equals(m.clusterMode())) enabledAskedAt.add(aws.clock.instant());
    };
    // up to AWS in compatible, the Secret not switched yet
    for (int i = 0; i < 20 && !"compatible".equals(group(h).clusterMode()); i++) {
      h.reconcile(rc);
      look(h, rc, "before compatible");
      h.aws.clock.advance(Duration.ofMinutes(1));
      h.sweep();
    }
    assertThat(group(h).clusterMode()).isEqualTo("compatible");
    assertThat(h.secretData(rc)).containsEntry("clusterMode", "false");
    // the reconcile that switches the Secret is cut short: its status write (with the switch's time) is lost
    h.failNextStatusPatch = true;
    Harness first = h;
    assertThatThrownBy(() -> first.reconcile(rc)).hasMessageContaining("injected");
    Instant switched = h.aws.clock.instant();
    assertThat(h.secretData(rc)).containsEntry("clusterMode", "true");
    assertThat(rc.getStatus().getClusterModeSecretSwitchedAt()).as("the write was lost").isNull();
    // then the operator restarts, and goes on from what AWS and the Secret say
    h.aws.clock.advance(Duration.ofMinutes(1));
    h = h.restart();
    drive(h, rc, 40);
    assertThat(group(h).clusterMode()).isEqualTo("enabled");
    assertThat(enabledAskedAt).hasSize(1);
    // a lost status write starts the grace again: longer, never shorter
    assertThat(Duration.between(switched, enabledAskedAt.get(0))).isGreaterThanOrEqualTo(Duration.ofMinutes(5));
    assertThat(h.aws.count("elasticache:ModifyReplicationGroup")).as("each step asked once").isEqualTo(2);
    assertThat(h.secretData(rc)).containsEntry("clusterMode", "true");
  }

  @Test
  void compatibleIsAPlaceToRestAndGoesBackToDisabledWithThePlainSecretFirst() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(cache("cmback"), 30);
    DayTwoComponentTest.edit(rc, r -> r.getSpec().setClusterMode(ClusterMode.Compatible));
    assertThat(drive(h, rc, 20)).containsSubsequence("disabled/plain", "compatible/cluster");
    assertThat(Harness.ready(rc)).isTrue();
    assertThat(group(h).clusterMode()).isEqualTo("compatible");
    DayTwoComponentTest.edit(rc, r -> r.getSpec().setClusterMode(ClusterMode.Disabled));
    List<Instant> askedAt = new ArrayList<>();
    Instant[] plainAgain = new Instant[1];
    h.aws.beforeModify = m -> askedAt.add(h.aws.clock.instant());
    for (int i = 0; i < 20; i++) {
      h.reconcile(rc);
      look(h, rc, "back " + i);
      if (plainAgain[0] == null && "false".equals(h.secretData(rc).get("clusterMode"))) plainAgain[0] = h.aws.clock.instant();
      if (Harness.ready(rc) && rc.getStatus().getPendingChanges() == null) break;
      h.aws.clock.advance(Duration.ofMinutes(1));
      h.sweep();
    }
    assertThat(group(h).clusterMode()).isEqualTo("disabled");
    assertThat(askedAt).hasSize(1);
    assertThat(Duration.between(plainAgain[0], askedAt.get(0))).isGreaterThanOrEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void aGroupMovedToCompatibleOutsideTheOperatorIsPutBackWithTheSecretStayingPlain() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(cache("cmdrift"), 30);
    h.reconcile(rc); // settled
    String id = group(h).spec.replicationGroupId();
    h.aws.modifyReplicationGroup(dev.operators.elasticache.aws.ModifyRequest.of(id, true).withClusterMode("compatible")); // someone else
    for (int i = 0; i < 20 && !"compatible".equals(group(h).clusterMode()); i++) {
      h.aws.clock.advance(Duration.ofMinutes(1));
      h.sweep();
    }
    assertThat(group(h).clusterMode()).isEqualTo("compatible");
    drive(h, rc, 30);
    assertThat(group(h).clusterMode()).isEqualTo("disabled");
    assertThat(h.secretData(rc)).containsEntry("clusterMode", "false");
    assertThat(h.kube.events).anyMatch(e -> e.reason().equals("DriftCorrected") && e.message().contains("clusterMode compatible -> disabled"));
  }

  @Test
  void awsPreconditionsAreStalledNamingTheFieldAndNothingIsAsked() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(Harness.cache("shop", "cmlone"), 30); // no replica
    DayTwoComponentTest.edit(rc, r -> r.getSpec().setClusterMode(ClusterMode.Enabled));
    for (int i = 0; i < 3; i++) {
      h.reconcile(rc);
      h.aws.clock.advance(Duration.ofMinutes(1));
      h.sweep();
    }
    assertThat(Harness.condition(rc, "Stalled").orElseThrow().getMessage()).startsWith("spec.replicasPerShard: ").contains("at least one replica");
    assertThat(Harness.condition(rc, "Stalled").orElseThrow().getReason()).isEqualTo("ClusterModeChangeNotPossible");
    assertThat(h.aws.count("elasticache:ModifyReplicationGroup")).isZero();
    assertThat(h.secretData(rc)).containsEntry("clusterMode", "false");
  }
}
