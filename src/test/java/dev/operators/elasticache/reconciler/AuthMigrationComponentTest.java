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
 * AUTH turned on for a running TLS cache: a token is brought in the way a rotation brings one
 * (stored, ROTATE, the Secret switches once AWS applied it, grace period, SET); turned off where AWS
 * has no user groups (Redis OSS 5), the cache is Stalled and the Secret keeps the token AWS still
 * requires (elsewhere it goes AWS's way off: {@link AuthOffComponentTest}).
 */
class AuthMigrationComponentTest {

  static RedisCache tlsWithoutAuth(String name) {
    RedisCache rc = TlsMigrationComponentTest.plainCache(name);
    rc.getSpec().setTls(true);
    rc.getMetadata().setCreationTimestamp("2026-01-01T00:00:00Z");
    return rc;
  }

  static FakeAws.Group group(Harness h) {
    return TlsMigrationComponentTest.group(h);
  }

  static void auth(RedisCache rc, boolean on) {
    DayTwoComponentTest.edit(rc, r -> {
      AuthSpec a = new AuthSpec();
      a.setEnabled(on);
      r.getSpec().setAuth(a);
    });
  }

  @Test
  void authOnBringsInATokenWithoutEverGivingAppsOneAwsRefuses() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(tlsWithoutAuth("authon"), 30);
    assertThat(group(h).tokens).isEmpty();
    assertThat(h.secretData(rc)).doesNotContainKey("password");
    auth(rc, true);
    List<String> asked = new ArrayList<>();
    h.aws.beforeModify = m -> asked.add(m.authTokenUpdateStrategy() + " with Secret password " + h.secretData(rc).containsKey("password")
        + ", pending " + h.secretData(rc).containsKey("pendingPassword"));
    for (int i = 0; i < 60 && !(Harness.ready(rc) && group(h).tokens.size() == 1 && rc.getStatus().getTokenRotation() == null); i++) {
      h.reconcile(rc);
      Map<String, String> secret = h.secretData(rc);
      List<String> accepted = group(h).tokens;
      // what the Secret gives apps is accepted by AWS: no password while AWS has no token, else one of AWS's tokens
      if (secret.containsKey("password")) {
        assertThat(accepted).as("step %d", i).contains(secret.get("password"));
        assertThat(secret.get("url")).contains(":" + secret.get("password") + "@");
      } else {
        assertThat(accepted).as("step %d: no password in the Secret", i).isEmpty();
      }
      h.aws.clock.advance(Duration.ofMinutes(1));
      h.sweep();
    }
    String token = h.secretData(rc).get("password");
    assertThat(group(h).tokens).containsExactly(token);
    assertThat(asked).containsExactly("ROTATE with Secret password false, pending true", "SET with Secret password true, pending false");
    assertThat(h.aws.secrets.values()).anyMatch(s -> token.equals(s.value()));
    assertThat(h.kube.events).noneMatch(e -> e.message().contains(token));
  }

  @Test
  void aRestartWhileTheTokenIsBroughtInResumes() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(tlsWithoutAuth("authrestart"), 30);
    auth(rc, true);
    for (int i = 0; i < 3; i++) {
      h.reconcile(rc);
      h.aws.clock.advance(Duration.ofMinutes(1));
      h.sweep();
    }
    Harness after = h.restart();
    for (int i = 0; i < 60 && !(group(after).tokens.size() == 1 && rc.getStatus().getTokenRotation() == null && Harness.ready(rc)); i++) {
      after.reconcile(rc);
      after.aws.clock.advance(Duration.ofMinutes(1));
      after.sweep();
    }
    assertThat(group(after).tokens).containsExactly(after.secretData(rc).get("password"));
    assertThat(after.aws.count("elasticache:ModifyReplicationGroup")).isEqualTo(2);
  }

  @Test
  void authOffWhereAwsHasNoUserGroupsIsStalledAndTheSecretKeepsTheToken() {
    Harness h = new Harness();
    RedisCache redis5 = Harness.cache("shop", "authoff");
    redis5.getSpec().setEngine(dev.operators.elasticache.api.Engine.REDIS);
    redis5.getSpec().setEngineVersion("5.0.6");
    RedisCache rc = h.reconcileUntilReady(redis5, 30);
    String token = h.secretData(rc).get("password");
    auth(rc, false);
    h.reconcile(rc);
    assertThat(Harness.condition(rc, "Stalled").orElseThrow().getMessage()).startsWith("spec.auth.enabled: ").contains("DELETE").contains("5.0.6").doesNotContain(token);
    assertThat(h.secretData(rc)).containsEntry("password", token);
    assertThat(h.aws.count("elasticache:ModifyReplicationGroup")).isZero();
    auth(rc, true);
    h.reconcileUntilReady(rc, 10);
    assertThat(h.secretData(rc)).containsEntry("password", token);
    // deleted while the spec says auth off: the Secrets Manager secret the operator made goes too
    auth(rc, false);
    h.reconcile(rc);
    assertThat(h.deleteUntilGone(rc, 30)).isTrue();
    assertThat(h.aws.secrets).isEmpty();
  }
}
