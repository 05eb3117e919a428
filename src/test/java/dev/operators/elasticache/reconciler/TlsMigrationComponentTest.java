package dev.operators.elasticache.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.elasticache.api.AuthSpec;
import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.fake.FakeAws;
import dev.operators.elasticache.fake.Harness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * TLS switched on a running cache through AWS's steps, with the Secret following: at every moment
 * the URL in the Secret is one AWS accepts (no app is cut off), and a restart anywhere resumes.
 */
class TlsMigrationComponentTest {

  static RedisCache plainCache(String name) {
    RedisCache rc = Harness.cache("shop", name);
    rc.getSpec().setTls(false);
    AuthSpec auth = new AuthSpec();
    auth.setEnabled(false);
    rc.getSpec().setAuth(auth);
    return rc;
  }

  static FakeAws.Group group(Harness h) {
    return h.aws.groups.values().iterator().next();
  }

  /** What AWS is in and what the Secret says, after each reconcile; checked: the Secret's URL works. */
  static List<String> drive(Harness h, RedisCache rc, int steps, boolean restartHalfway) {
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      if (restartHalfway && i == steps / 2) h = h.restart();
      h.reconcile(rc);
      FakeAws.Group g = group(h);
      Map<String, String> secret = h.secretData(rc);
      boolean secretTls = secret.get("url").startsWith("rediss://");
      String aws = g.spec.transitEncryption() ? g.transitMode : "off";
      // The invariant: AWS accepts what the Secret tells apps to use.
      assertThat(secretTls ? !"off".equals(aws) : !"required".equals(aws))
          .as("step %d: Secret %s while AWS is %s", i, secret.get("url"), aws).isTrue();
      assertThat(secret.get("tls")).isEqualTo(Boolean.toString(secretTls));
      String entry = aws + "/" + (secretTls ? "rediss" : "redis");
      if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(entry)) seen.add(entry);
      if (Harness.ready(rc) && rc.getStatus().getPendingChanges() == null) break;
      h.aws.clock.advance(Duration.ofMinutes(1));
      h.sweep();
    }
    return seen;
  }

  @Test
  void tlsOnGoesPreferredWithTheTlsSecretBeforeRequiredAndBackTheSameWay() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(plainCache("tlson"), 30);
    assertThat(h.secretData(rc).get("url")).startsWith("redis://");
    DayTwoComponentTest.edit(rc, r -> r.getSpec().setTls(true));
    List<String> asked = new ArrayList<>();
    List<java.time.Instant> askedAt = new ArrayList<>();
    h.aws.beforeModify = m -> {
      // when each step is asked, the Secret already says what AWS will accept after it
      String url = h.secretData(rc).get("url");
      asked.add(m.transitEncryptionMode() + "/" + m.transitEncryptionEnabled() + " with " + url.substring(0, url.indexOf(':')));
      askedAt.add(h.aws.clock.instant());
    };
    List<String> up = drive(h, rc, 40, false);
    assertThat(asked).containsExactly("preferred/true with redis", "required/null with rediss");
    // apps had the grace period (5 minutes here) to pick up the TLS URL before AWS refused plain text
    assertThat(Duration.between(askedAt.get(0), askedAt.get(1))).isGreaterThanOrEqualTo(Duration.ofMinutes(5));
    assertThat(h.kube.events).anyMatch(e -> e.reason().equals("Modifying") && e.message().contains("tls preferred -> required"));
    assertThat(rc.getStatus().getTlsSecretSwitchedAt()).as("cleared once the change is done").isNull();
    // plain while off; TLS in the Secret while AWS is preferred, before required is asked; then required
    assertThat(up).containsSubsequence("off/redis", "preferred/rediss", "required/rediss");
    assertThat(up).doesNotContain("preferred/redis", "off/rediss");
    assertThat(rc.getStatus().getLastChange()).endsWith("in line with the spec");
    assertThat(h.secretData(rc).get("pythonUrl")).endsWith("?ssl_cert_reqs=required");

    DayTwoComponentTest.edit(rc, r -> r.getSpec().setTls(false));
    asked.clear();
    askedAt.clear();
    List<String> down = drive(h, rc, 40, false);
    assertThat(asked).containsExactly("preferred/null with rediss", "null/false with redis");
    assertThat(Duration.between(askedAt.get(0), askedAt.get(1))).isGreaterThanOrEqualTo(Duration.ofMinutes(5));
    assertThat(down).containsSubsequence("required/rediss", "preferred/redis", "off/redis");
    assertThat(group(h).spec.transitEncryption()).isFalse();
    assertThat(h.aws.count("elasticache:ModifyReplicationGroup")).isEqualTo(4);
    assertThat(h.aws.count("elasticache:CreateReplicationGroup")).isEqualTo(1);
  }

  @Test
  void turnedBackDuringTheGraceTheOtherWayWaitsItsOwnGrace() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(plainCache("tlsflip"), 30);
    DayTwoComponentTest.edit(rc, r -> r.getSpec().setTls(true));
    for (int i = 0; i < 20 && !h.secretData(rc).get("url").startsWith("rediss://"); i++) {
      h.reconcile(rc);
      h.aws.clock.advance(Duration.ofMinutes(1));
      h.sweep();
    }
    assertThat(group(h).transitMode).isEqualTo("preferred");
    h.aws.clock.advance(Duration.ofMinutes(4)); // most of the way through the grace: apps are taking the TLS URL
    DayTwoComponentTest.edit(rc, r -> r.getSpec().setTls(false)); // the spec turns back
    List<java.time.Instant> offAskedAt = new ArrayList<>();
    h.aws.beforeModify = m -> {
      if (Boolean.FALSE.equals(m.transitEncryptionEnabled())) offAskedAt.add(h.aws.clock.instant());
    };
    java.time.Instant plainAgain = null;
    for (int i = 0; i < 20 && offAskedAt.isEmpty(); i++) {
      h.reconcile(rc);
      if (plainAgain == null && h.secretData(rc).get("url").startsWith("redis://")) plainAgain = h.aws.clock.instant();
      h.aws.clock.advance(Duration.ofMinutes(1));
      h.sweep();
    }
    assertThat(plainAgain).isNotNull();
    assertThat(offAskedAt).hasSize(1);
    // a full grace from the Secret's switch back to plain, not what was left of the first one
    assertThat(Duration.between(plainAgain, offAskedAt.get(0))).isGreaterThanOrEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void aRestartMidwayResumesFromWhatAwsReports() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(plainCache("tlsrestart"), 30);
    DayTwoComponentTest.edit(rc, r -> r.getSpec().setTls(true));
    List<String> up = drive(h, rc, 16, true);
    up.addAll(drive(h.restart(), rc, 40, false));
    assertThat(group(h).transitMode).isEqualTo("required");
    assertThat(h.secretData(rc).get("url")).startsWith("rediss://");
    assertThat(h.aws.count("elasticache:ModifyReplicationGroup")).as("each step asked once").isEqualTo(2);
  }

  @Test
  void redisBelow7IsStalledNamingTlsAndNothingIsAsked() {
    Harness h = new Harness();
    RedisCache cache = plainCache("oldredis");
    cache.getSpec().setEngine(dev.operators.elasticache.api.Engine.REDIS);
    cache.getSpec().setEngineVersion("6.2");
    RedisCache rc = h.reconcileUntilReady(cache, 30);
    DayTwoComponentTest.edit(rc, r -> r.getSpec().setTls(true));
    for (int i = 0; i < 3; i++) {
      h.reconcile(rc);
      h.aws.clock.advance(Duration.ofMinutes(1));
      h.sweep();
    }
    assertThat(Harness.condition(rc, "Stalled").orElseThrow().getMessage()).startsWith("spec.tls: ").contains("Redis OSS 7");
    assertThat(h.aws.count("elasticache:ModifyReplicationGroup")).isZero();
    assertThat(h.secretData(rc).get("url")).startsWith("redis://");
  }
}
