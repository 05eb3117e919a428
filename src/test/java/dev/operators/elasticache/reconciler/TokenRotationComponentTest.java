package dev.operators.elasticache.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.elasticache.api.AuthSpec;
import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.api.RotationSpec;
import dev.operators.elasticache.decide.Rotation;
import dev.operators.elasticache.fake.FakeAws;
import dev.operators.elasticache.fake.Harness;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Token rotation: ROTATE, the Secret updated, a grace period, SET; restart-safe at every step. */
class TokenRotationComponentTest {

  static RedisCache rotating(String name, String every) {
    RedisCache rc = Harness.cache("shop", name);
    rc.getMetadata().setCreationTimestamp("2026-01-01T00:00:00Z");
    AuthSpec auth = new AuthSpec();
    RotationSpec r = new RotationSpec();
    r.setEvery(every);
    r.setGracePeriod("10m");
    auth.setRotation(r);
    rc.getSpec().setAuth(auth);
    return rc;
  }

  static void ask(RedisCache rc, String value) {
    var a = new HashMap<String, String>();
    a.put(Rotation.REQUEST_ANNOTATION, value);
    rc.getMetadata().setAnnotations(a);
  }

  FakeAws.Group group(Harness h) {
    return h.aws.groups.values().iterator().next();
  }

  /** Reconcile, advancing fake time, until the predicate holds. */
  static void until(Harness h, RedisCache rc, java.util.function.BooleanSupplier done, int steps) {
    for (int i = 0; i < steps && !done.getAsBoolean(); i++) {
      h.reconcile(rc);
      if (done.getAsBoolean()) return;
      h.aws.clock.advance(Duration.ofMinutes(1));
      h.sweep();
    }
    assertThat(done.getAsBoolean()).as("condition reached within %d steps", steps).isTrue();
  }

  @Test
  void onDemandRotationKeepsTheOldTokenThroughTheGracePeriodThenOnlyTheNewOne() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(rotating("rot", null), 30);
    String old = h.secretData(rc).get("password");
    assertThat(group(h).tokens).containsExactly(old);
    ask(rc, "now-1");

    h.reconcile(rc); // new token stored first
    String fresh = h.secretData(rc).get(Rotation.PENDING_KEY);
    assertThat(fresh).isNotNull().isNotEqualTo(old);
    assertThat(h.secretData(rc)).containsEntry("password", old);
    assertThat(h.aws.pendingSecrets.values()).containsExactly(fresh);
    assertThat(group(h).tokens).containsExactly(old);

    until(h, rc, () -> fresh.equals(h.secretData(rc).get("password")), 20);
    // Both work during the grace period; the Secret and Secrets Manager hold the new one.
    assertThat(group(h).tokens).containsExactly(old, fresh);
    assertThat(h.aws.secrets.values().iterator().next().value()).isEqualTo(fresh);
    assertThat(h.secretData(rc)).doesNotContainKey(Rotation.PENDING_KEY);
    assertThat(h.secretData(rc).get("url")).contains(fresh);
    assertThat(h.lastControl.getScheduleDelay()).isPresent();
    assertThat(rc.getStatus().getTokenRotation()).contains("grace period");

    h.aws.clock.advance(Duration.ofMinutes(5));
    h.reconcile(rc);
    assertThat(group(h).tokens).containsExactly(old, fresh); // still in the grace period

    until(h, rc, () -> group(h).tokens.equals(List.of(fresh)) && Harness.ready(rc), 30);
    assertThat(rc.getStatus().getTokenLastRotated()).isNotNull();
    assertThat(rc.getStatus().getTokenRotationRequest()).isEqualTo("now-1");
    assertThat(rc.getStatus().getTokenRotation()).isNull();
    assertThat(h.kube.events).extracting(Harness.Recorded::reason)
        .containsSubsequence("TokenRotationStarted", "TokenRotating", "TokenRotated", "TokenRotationCompleted");
    assertThat(h.kube.events).noneMatch(e -> e.message().contains(fresh) || e.message().contains(old));
    // The same annotation value does not rotate again, even when the next reconcile is handed the
    // resource as it was before the last status write (a lagging informer cache).
    int modifies = (int) h.aws.count("elasticache:ModifyReplicationGroup");
    h.aws.clock.advance(Duration.ofHours(1));
    h.sweep();
    String rotatedAt = rc.getStatus().getTokenLastRotated();
    rc.getStatus().setTokenRotationRequest(null);
    rc.getStatus().setTokenLastRotated(null);
    h.reconcile(rc);
    assertThat(h.aws.count("elasticache:ModifyReplicationGroup")).isEqualTo(modifies);
    assertThat(rc.getStatus().getTokenLastRotated()).isEqualTo(rotatedAt);
    assertThat(rc.getStatus().getTokenRotationRequest()).isEqualTo("now-1");
  }

  @Test
  void scheduledRotationHappensWhenDue() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(rotating("sched", "24h"), 30);
    String old = h.secretData(rc).get("password");
    h.aws.clock.advance(Duration.ofHours(25));
    h.sweep();
    until(h, rc, () -> rc.getStatus().getTokenLastRotated() != null && Harness.ready(rc), 40);
    assertThat(h.secretData(rc).get("password")).isNotEqualTo(old);
    assertThat(group(h).tokens).containsExactly(h.secretData(rc).get("password"));
  }

  @Test
  void aSecretWriteThatFailsRightAfterSetDoesNotSendSetAgain() {
    // The soak's finding: SET sent, then the Secret's "completed" write failed (kube-apiserver
    // restarting, or the operator killed): the next reconcile sent SET again and AWS refused it
    // ("SET is allowed only after ROTATE") at every reconcile after.
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(rotating("setfail", null), 30);
    ask(rc, "now-1");
    until(h, rc, () -> h.secretData(rc).get(Rotation.PENDING_KEY) == null && group(h).tokens.size() == 2, 20);
    String fresh = h.secretData(rc).get("password");
    h.aws.clock.advance(Duration.ofMinutes(11)); // the grace period is over
    h.kube.failNextSecretWrite = true;
    try {
      h.reconcile(rc);
    } catch (io.fabric8.kubernetes.client.KubernetesClientException expected) {
      // as under JOSDK: the reconcile fails and is retried
    }
    assertThat(h.aws.count("elasticache:ModifyReplicationGroup")).as("ROTATE, SET").isEqualTo(2);
    until(h, rc, () -> rc.getStatus().getTokenLastRotated() != null && Harness.ready(rc), 20);
    assertThat(h.aws.count("elasticache:ModifyReplicationGroup")).as("no second SET").isEqualTo(2);
    assertThat(group(h).tokens).containsExactly(fresh);
    assertThat(h.secretData(rc).get("password")).isEqualTo(fresh);
    assertThat(h.kube.events).noneMatch(e -> e.reason().equals("AwsRejected"));
  }

  @Test
  void aRestartBetweenAnyTwoStepsEndsWithAWorkingSecretAndNoLostToken() {
    // Crash after every single reconcile: each step runs in a fresh operator process.
    FakeAws aws = new FakeAws();
    Harness.Kube kube = new Harness.Kube();
    Harness first = new Harness(aws, kube);
    RedisCache rc = first.reconcileUntilReady(rotating("crashy", null), 30);
    ask(rc, "go");
    for (int i = 0; i < 60 && rc.getStatus().getTokenLastRotated() == null; i++) {
      Harness h = new Harness(aws, kube);
      h.reconcile(rc);
      String inSecret = h.secretData(rc).get("password");
      // At every point the Secret's token is one the cache accepts.
      assertThat(aws.groups.values().iterator().next().tokens).contains(inSecret);
      aws.clock.advance(Duration.ofMinutes(1));
    }
    assertThat(rc.getStatus().getTokenLastRotated()).isNotNull();
    Harness last = new Harness(aws, kube);
    last.reconcileUntilReady(rc, 10);
    String now = last.secretData(rc).get("password");
    assertThat(aws.groups.values().iterator().next().tokens).containsExactly(now);
    assertThat(aws.secrets.values().iterator().next().value()).isEqualTo(now);
    assertThat(aws.count("elasticache:ModifyReplicationGroup")).isEqualTo(2); // one ROTATE, one SET
  }
}
