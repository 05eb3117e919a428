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
 * AUTH turned off in one edit (auth.enabled false, no spec.users) on a running cache with a token,
 * with the fake AWS: AWS's path ("Disabling access control on an ElastiCache Valkey or Redis OSS
 * cache") through a user group whose default user takes the token (DELETE + UserGroupIdsToAdd, then
 * UserGroupIdsToRemove), an operator restart after each step, and at every reconcile the cache
 * Secret gives apps what AWS accepts.
 */
class AuthOffComponentTest {

  static FakeAws.Group group(Harness h) {
    return h.aws.groups.values().iterator().next();
  }

  /**
   * What the data plane lets a client in with: {@code password} null is a client that sends none.
   * With a user group, its enabled users named default and their passwords; with a token, the
   * token (E71: a token that is optional till SET lets clients without one in too); with neither (no access control), everyone (on redis-server, {@code AUTH default <any>}
   * and HELLO's AUTH too: the e2e test shows it with Lettuce).
   */
  static boolean accepts(Harness h, String rgId, String password) {
    FakeAws.Group g = group(h);
    if (!g.userGroupIds.isEmpty()) {
      return password != null && h.aws.acceptedUsers(rgId).getOrDefault("default", List.of()).contains(password);
    }
    if (!g.tokens.isEmpty()) return (password == null && g.tokenOptional) || (password != null && g.tokens.contains(password)); // E71: optional until SET
    return true;
  }

  @Test
  void authOffInOneEditGoesAwsWayWithTheSecretAcceptedAtEveryStepAndARestartAtEach() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(Harness.cache("shop", "open"), 40);
    String token = h.secretData(rc).get("password");
    String rgId = rc.getStatus().getReplicationGroupId();
    assertThat(token).isNotNull();
    AuthMigrationComponentTest.auth(rc, false);
    List<String> asked = new ArrayList<>();
    h.aws.beforeModify = m -> asked.add(m.authTokenUpdateStrategy() + " +" + m.userGroupIdsToAdd() + " -" + m.userGroupIdsToRemove()
        + " Secret token " + token.equals(h.secretData(rc).get("password")));
    List<String> steps = new ArrayList<>();
    Harness run = h;
    int i = 0;
    boolean restartNow = false;
    String lastEvent = "";
    for (; i < 60 && (i == 0 || !(Harness.ready(rc) && rc.getStatus().getUserGroupId() == null && h.aws.rbac.userGroups.isEmpty())); i++) {
      if (restartNow) run = run.restart(); // a new operator process at each new step
      restartNow = false;
      run.reconcile(rc);
      FakeAws.Group g = group(h);
      Map<String, String> secret = h.secretData(rc);
      // the cache Secret gives apps what AWS accepts, and an app still holding the token is let in
      assertThat(accepts(h, rgId, secret.get("password"))).as("step %d: the cache Secret works (AWS: tokens %s, groups %s)", i,
          g.tokens.size(), g.userGroupIds).isTrue();
      assertThat(accepts(h, rgId, token)).as("step %d: a client holding the token is let in", i).isTrue();
      var reconciling = Harness.condition(rc, "Reconciling");
      String step = g.tokens.size() + " token(s), groups " + g.userGroupIds.size() + ", Secret " + (secret.containsKey("password") ? "token" : "none");
      if (steps.isEmpty() || !steps.get(steps.size() - 1).equals(step)) {
        steps.add(step);
        restartNow = true;
      }
      String event = h.kube.events.get(h.kube.events.size() - 1).message();
      if (!event.equals(lastEvent)) restartNow = true; // each step the operator takes (an event) is followed by a restart
      lastEvent = event;
      if (!Harness.ready(rc) || rc.getStatus().getUserGroupId() != null) {
        assertThat(Harness.condition(rc, "Stalled").map(c -> c.getStatus())).as("step %d", i).isNotEqualTo(java.util.Optional.of("True"));
        assertThat(reconciling.map(c -> c.getStatus() + " " + c.getReason())).as("step %d", i).hasValueSatisfying(v -> assertThat(v).startsWith("True"));
      }
      h.aws.clock.advance(Duration.ofMinutes(1));
      run.sweep();
    }
    assertThat(i).as("done within 60 steps; conditions %s", rc.getStatus().getConditions()).isLessThan(60);
    assertThat(asked).hasSize(2);
    String gid = asked.get(0).substring(asked.get(0).indexOf('[') + 1, asked.get(0).indexOf(']'));
    assertThat(asked).containsExactly("DELETE +[" + gid + "] -[] Secret token true", "null +[] -[" + gid + "] Secret token true");
    // the token, then the group whose default user takes it, then nothing; the Secret drops the token only at the end
    assertThat(steps).containsSubsequence("1 token(s), groups 0, Secret token", "0 token(s), groups 1, Secret token",
        "0 token(s), groups 0, Secret none");
    FakeAws.Group g = group(h);
    assertThat(g.tokens).isEmpty();
    assertThat(g.userGroupIds).isEmpty();
    assertThat(h.secretData(rc)).doesNotContainKeys("password", "pendingPassword");
    assertThat(h.secretData(rc).get("url")).doesNotContain("@");
    assertThat(h.aws.rbac.users.values()).as("the token's default user deleted").allMatch(u -> u.id.equals("default"));
    assertThat(Harness.ready(rc)).isTrue();
    assertThat(h.kube.events).noneMatch(e -> e.message().contains(token));
    assertThat(h.kube.events.stream().filter(e -> e.reason().equals("TurningAuthOff")).map(e -> e.message().substring(0, 12)))
        .containsExactly("Step 1 of 4:", "Step 2 of 4:", "Step 3 of 4:");
    assertThat(h.kube.events).anyMatch(e -> e.reason().equals("AuthTurnedOff"));
  }

  @Test
  void theTwoEditWayStillWorks() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(Harness.cache("shop", "twoedits"), 40);
    DayTwoComponentTest.edit(rc, r -> {
      AuthMigrationComponentTest.auth(r, false);
      r.getSpec().setUsers(new ArrayList<>(List.of(UsersComponentTest.user("orders", "on ~orders:* +@all"))));
      dev.operators.elasticache.api.RotationSpec grace = new dev.operators.elasticache.api.RotationSpec();
      grace.setGracePeriod("1m");
      r.getSpec().getAuth().setRotation(grace);
    });
    UsersComponentTest.until(h, rc, 60, () -> Harness.ready(rc) && rc.getStatus().getUsersSwitchedAt() == null && group(h).tokens.isEmpty()
        && !h.secretData(rc).containsKey("password"));
    DayTwoComponentTest.edit(rc, r -> {
      r.getSpec().setUsers(new ArrayList<>());
      r.getSpec().getAuth().setRotation(null);
    });
    UsersComponentTest.until(h, rc, 60, () -> Harness.ready(rc) && rc.getStatus().getUserGroupId() == null && h.aws.rbac.userGroups.isEmpty());
    assertThat(group(h).userGroupIds).isEmpty();
    assertThat(h.kube.secrets).doesNotContainKey("shop/twoedits-orders");
    assertThat(h.kube.events).noneMatch(e -> e.reason().equals("TurningAuthOff"));
  }
}
