package dev.operators.elasticache.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.fake.FakeAws;
import dev.operators.elasticache.fake.Harness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A cache on spec.users switched back to an AUTH token in one edit (users: [], auth.enabled: true),
 * with the fake AWS: AWS's "Migrating from RBAC to AUTH" (RemoveUserGroups with AuthToken and
 * ROTATE, then SET), an operator restart after each step, and at every reconcile: a password the
 * cache Secret holds is accepted by AWS, once AWS took the token the Secret's password is accepted,
 * and every app Secret's password is accepted while its user is on the cache.
 */
class UsersToTokenComponentTest {

  @Test
  void backFromUsersToATokenGoesAwsWayWithEverySecretAcceptedAndARestartAtEachStep() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(Harness.cache("shop", "back"), 40);
    String oldToken = h.secretData(rc).get("password");
    String rgId = rc.getStatus().getReplicationGroupId();
    // token -> users first (AWS's DELETE path), so that Secrets Manager still holds the old token
    DayTwoComponentTest.edit(rc, r -> {
      AuthMigrationComponentTest.auth(r, false);
      r.getSpec().setUsers(new ArrayList<>(List.of(UsersComponentTest.user("orders", "on ~orders:* +@all"))));
      dev.operators.elasticache.api.RotationSpec grace = new dev.operators.elasticache.api.RotationSpec();
      grace.setGracePeriod("1m");
      r.getSpec().getAuth().setRotation(grace);
    });
    UsersComponentTest.until(h, rc, 60, () -> Harness.ready(rc) && rc.getStatus().getUsersSwitchedAt() == null
        && AuthOffComponentTest.group(h).tokens.isEmpty() && !h.secretData(rc).containsKey("password"));
    String gid = rc.getStatus().getUserGroupId();
    String appPassword = UsersComponentTest.secret(h, "back-orders").get("password");
    assertThat(h.aws.acceptedUsers(rgId)).containsEntry("orders", List.of(appPassword));

    DayTwoComponentTest.edit(rc, r -> {
      r.getSpec().setUsers(new ArrayList<>());
      AuthMigrationComponentTest.auth(r, true);
      r.getSpec().getAuth().setRotation(null);
    });
    List<String> asked = new ArrayList<>();
    h.aws.beforeModify = m -> asked.add(m.authTokenUpdateStrategy() + " remove " + m.removeUserGroups() + " Secret "
        + (h.secretData(rc).containsKey("password") ? "token" : "none"));
    List<String> steps = new ArrayList<>();
    Harness run = h;
    boolean restartNow = false;
    String lastEvent = "";
    int i = 0;
    for (; i < 60 && (i == 0 || !(Harness.ready(rc) && rc.getStatus().getUserGroupId() == null && h.aws.rbac.userGroups.isEmpty())); i++) {
      if (restartNow) run = run.restart(); // a new operator process after each step
      restartNow = false;
      run.reconcile(rc);
      FakeAws.Group g = AuthOffComponentTest.group(h);
      Map<String, String> secret = h.secretData(rc);
      String password = secret.get("password");
      if (password != null || !g.tokens.isEmpty()) {
        assertThat(AuthOffComponentTest.accepts(h, rgId, password)).as("step %d: the cache Secret's password works (tokens %s, groups %s)", i,
            g.tokens.size(), g.userGroupIds).isTrue();
      }
      assertThat(password).as("step %d: never the old token", i).isNotEqualTo(oldToken);
      var app = h.kube.secrets.get("shop/back-orders");
      if (!g.userGroupIds.isEmpty()) {
        assertThat(app).as("step %d: the app's Secret is there while its user is on the cache", i).isNotNull();
        assertThat(h.aws.acceptedUsers(rgId)).as("step %d: the app's password works", i).containsEntry("orders", List.of(appPassword));
      }
      String step = g.tokens.size() + " token(s)" + (g.tokenOptional ? " optional" : "") + ", groups " + g.userGroupIds.size()
          + ", Secret " + (password != null ? "token" : "none") + ", app Secret " + (app != null);
      if (steps.isEmpty() || !steps.get(steps.size() - 1).equals(step)) {
        steps.add(step);
        restartNow = true;
      }
      String event = h.kube.events.get(h.kube.events.size() - 1).message();
      if (!event.equals(lastEvent)) restartNow = true;
      lastEvent = event;
      if (!Harness.ready(rc) || rc.getStatus().getUserGroupId() != null) {
        assertThat(Harness.condition(rc, "Stalled").map(c -> c.getStatus())).as("step %d", i).isNotEqualTo(java.util.Optional.of("True"));
        assertThat(Harness.condition(rc, "Reconciling").map(c -> c.getStatus())).as("step %d", i).contains("True");
      }
      h.aws.clock.advance(Duration.ofMinutes(1));
      run.sweep();
    }
    assertThat(i).as("done within 60 steps; conditions %s", rc.getStatus().getConditions()).isLessThan(60);
    // RemoveUserGroups + ROTATE with the Secret not yet holding the token, then SET once it does
    assertThat(asked).as("steps %s", steps).containsExactly("ROTATE remove true Secret none", "SET remove null Secret token");
    assertThat(steps).as("steps %s", steps).containsSubsequence("0 token(s), groups 1, Secret none, app Secret true",
        "1 token(s) optional, groups 0, Secret token, app Secret true", "1 token(s), groups 0, Secret token, app Secret false");
    String token = h.secretData(rc).get("password");
    FakeAws.Group g = AuthOffComponentTest.group(h);
    assertThat(g.tokens).containsExactly(token);
    assertThat(g.tokenOptional).isFalse();
    assertThat(g.userGroupIds).isEmpty();
    assertThat(h.aws.secrets.values()).as("Secrets Manager holds the new token, not the old one")
        .anyMatch(sm -> sm.value().equals(token)).noneMatch(sm -> sm.value().equals(oldToken));
    assertThat(h.kube.secrets).doesNotContainKey("shop/back-orders");
    assertThat(h.aws.rbac.users.values()).as("the cache's users deleted").allMatch(u -> u.id.equals("default"));
    assertThat(h.aws.rbac.userGroups).doesNotContainKey(gid);
    assertThat(Harness.ready(rc)).isTrue();
    assertThat(h.kube.events).noneMatch(e -> e.message().contains(token) || e.message().contains(appPassword));
    assertThat(h.kube.events.stream().filter(e -> e.reason().equals("SwitchingToToken")).map(e -> e.message().substring(0, 12)))
        .containsExactly("Step 1 of 4:", "Step 2 of 4:", "Step 3 of 4:");
    assertThat(h.kube.events).anyMatch(e -> e.reason().equals("SwitchedToToken"));
  }
}
