package dev.operators.elasticache.reconciler;

import static dev.operators.elasticache.reconciler.UsersComponentTest.accepted;
import static dev.operators.elasticache.reconciler.UsersComponentTest.secret;
import static dev.operators.elasticache.reconciler.UsersComponentTest.until;
import static dev.operators.elasticache.reconciler.UsersComponentTest.user;
import static dev.operators.elasticache.reconciler.UsersComponentTest.withUsers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.operators.elasticache.api.CacheUserSpec;
import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.api.UserAuthentication;
import dev.operators.elasticache.fake.FakeRbac;
import dev.operators.elasticache.fake.Harness;
import dev.operators.elasticache.resources.AppUsers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * spec.users' passwords kept like the AUTH token (connectionSecret.secretsManager, the default), and
 * a user switched between password and iam, with the fake AWS: Secrets Manager is written before
 * AWS takes a password, a deleted app Secret is rebuilt from it, a rotation keeps it in step at every
 * step (restarts included), and it is deleted after the user; iam to password and back by ModifyUser,
 * password to iam refused by AWS's rule when the user's name is not its id.
 */
class UserSecretsComponentTest {

  /** The Secrets Manager secret of a user of cache {@code cache} (namespace shop), or null. */
  static String stored(Harness h, String cache, String user) {
    var s = h.aws.secrets.get(name(h, cache, user));
    return s == null ? null : s.value();
  }

  static String name(Harness h, String cache, String user) {
    return "rediscache/test/shop/" + cache + "/users/" + user; // the Harness's cluster id is "test"
  }

  static CacheUserSpec iam(String name, String access) {
    CacheUserSpec u = user(name, access);
    u.setAuthentication(UserAuthentication.IAM);
    return u;
  }

  @Test
  void thePasswordIsInSecretsManagerBeforeAwsTakesItAndADeletedSecretIsRebuiltFromIt() {
    Harness h = new Harness();
    RedisCache rc = withUsers("kept", user("orders", "on ~orders:* +@all"));
    // Secrets Manager has the password, then the app Secret's first write fails (the process could as well have died)
    h.kube.failSecretWriteIf = s -> s.getMetadata().getName().equals("kept-orders");
    boolean thrown = false;
    for (int i = 0; i < 10 && !thrown; i++) {
      try {
        h.reconcile(rc);
      } catch (RuntimeException e) {
        thrown = true;
      }
    }
    assertThat(thrown).isTrue();
    String first = stored(h, "kept", "orders");
    assertThat(first).as("stored before anything else").isNotNull();
    assertThat(h.aws.rbac.users.values()).as("AWS is not given a password kept nowhere").noneMatch(u -> u.name.equals("orders"));
    h = h.restart();
    Harness after = h;
    rc = after.reconcileUntilReady(rc, 40);
    assertThat(secret(after, "kept-orders").get("password")).as("the stored one, not a second").isEqualTo(first);
    assertThat(accepted(after, rc)).containsOnly(entry("orders", List.of(first)));
    assertThat(after.aws.calls.stream().filter(c -> c.equals("secretsmanager:CreateSecret"))).hasSize(1);
    assertThat(after.kube.secrets.get("shop/kept-orders").getMetadata().getAnnotations())
        .containsEntry(AppUsers.PASSWORD_SECRET_ANNOTATION, after.aws.secrets.get(name(after, "kept", "orders")).arn());
    // steady: the app's Secret records where its password is kept, so Secrets Manager is not asked again
    int before = after.aws.calls.size();
    after.reconcile(rc);
    assertThat(after.aws.calls.subList(before, after.aws.calls.size())).noneMatch(c -> c.startsWith("secretsmanager:"));
    // the app's Secret deleted: rebuilt with the same password (the app's copy still works), which AWS accepts
    after.kube.secrets.remove("shop/kept-orders");
    RedisCache cache = rc;
    until(after, rc, 10, () -> after.kube.secrets.containsKey("shop/kept-orders") && secret(after, "kept-orders").containsKey("host")
        && after.kube.secrets.get("shop/kept-orders").getMetadata().getAnnotations().containsKey(AppUsers.USER_ID_ANNOTATION)
        && after.aws.rbac.users.values().stream().allMatch(u -> u.status.equals("active")));
    assertThat(secret(after, "kept-orders").get("password")).isEqualTo(first);
    assertThat(accepted(after, cache)).containsOnly(entry("orders", List.of(first)));
    assertThat(after.kube.events).noneMatch(e -> e.message().contains(first));
  }

  @Test
  void aRotationKeepsSecretsManagerInStepAtEveryStepThroughRestarts() {
    Harness h = new Harness();
    RedisCache rc = withUsers("rot", user("orders", "on ~orders:* +@all"));
    UsersComponentTest.rotation(rc, null);
    h.reconcileUntilReady(rc, 40);
    String old = stored(h, "rot", "orders");
    rc.getMetadata().setAnnotations(new java.util.HashMap<>(Map.of("elasticache.operators.dev/rotate-token", "now")));
    Harness run = h;
    List<String> phases = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      run = run.restart(); // a restart before every step
      run.reconcile(rc);
      List<String> ok = accepted(h, rc).get("orders");
      String kept = stored(h, "rot", "orders");
      assertThat(ok).as("step %d: Secrets Manager's password works", i).contains(kept);
      assertThat(ok).as("step %d: the Secret's password works", i).contains(secret(h, "rot-orders").get("password"));
      String pending = h.aws.pendingSecrets.get(name(h, "rot", "orders"));
      if (secret(h, "rot-orders").containsKey("pendingPassword")) {
        assertThat(pending).as("step %d: the new password is in Secrets Manager before AWS takes it", i)
            .isEqualTo(secret(h, "rot-orders").get("pendingPassword"));
      }
      String phase = ok.size() + " accepted";
      if (phases.isEmpty() || !phases.get(phases.size() - 1).equals(phase)) phases.add(phase);
      if (i > 2 && ok.size() == 1 && !kept.equals(old)
          && h.kube.secrets.get("shop/rot-orders").getMetadata().getAnnotations().get(AppUsers.ROTATION_ANNOTATION) == null
          && h.aws.rbac.users.values().stream().allMatch(u -> u.status.equals("active"))) break;
      h.aws.clock.advance(Duration.ofMinutes(1));
      run.sweep();
    }
    assertThat(phases).containsSubsequence("1 accepted", "2 accepted", "1 accepted");
    String fresh = stored(h, "rot", "orders");
    assertThat(fresh).isNotEqualTo(old).isEqualTo(secret(h, "rot-orders").get("password"));
    assertThat(accepted(h, rc).get("orders")).containsExactly(fresh);
  }

  @Test
  void aRemovedUserAndADeletedCacheDeleteTheirSecretsAfterTheUsers() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(withUsers("rm", user("orders", "on ~orders:* +@all"), user("reports", "on ~orders:* +@read")), 40);
    String ordersName = name(h, "rm", "orders");
    assertThat(h.aws.secrets).containsKeys(ordersName, name(h, "rm", "reports"));
    h.aws.calls.clear();
    rc.getSpec().setUsers(new ArrayList<>(List.of(user("reports", "on ~orders:* +@read"))));
    until(h, rc, 20, () -> !h.kube.secrets.containsKey("shop/rm-orders"));
    assertThat(h.aws.calls).containsSubsequence("elasticache:ModifyUserGroup", "elasticache:DeleteUser", "secretsmanager:DeleteSecret");
    assertThat(h.aws.secrets).doesNotContainKey(ordersName).containsKey(name(h, "rm", "reports"));
    assertThat(h.aws.deletedSecrets).containsKey(ordersName);
    // the cache deleted: the user group, the users, then their passwords' secrets
    h.aws.calls.clear();
    assertThat(h.deleteUntilGone(rc, 30)).isTrue();
    assertThat(h.aws.calls).containsSubsequence("elasticache:DeleteUserGroup", "elasticache:DeleteUser", "secretsmanager:DeleteSecret");
    assertThat(h.aws.secrets.keySet()).noneMatch(n -> n.contains("/rm/users/"));
  }

  @Test
  void anIamUserSwitchesToPasswordAndBackInPlaceWithItsSecretFollowing() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(withUsers("sw", iam("reports", "on ~orders:* +@read")), 40);
    String id = rc.getStatus().getUsers().get(0).getUserId();
    assertThat(secret(h, "sw-reports")).doesNotContainKey("password");
    // to password: the new password is kept first; the Secret write after ModifyUser fails once, then the operator restarts
    rc.getSpec().getUsers().get(0).setAuthentication(UserAuthentication.PASSWORD);
    h.aws.calls.clear();
    h.kube.failSecretWriteIf = s -> s.getMetadata().getAnnotations() != null
        && s.getMetadata().getAnnotations().containsKey(AppUsers.PASSWORD_SECRET_ANNOTATION)
        && s.getMetadata().getAnnotations().containsKey(AppUsers.USER_ID_ANNOTATION);
    try {
      h.reconcile(rc);
    } catch (RuntimeException expected) {
      // the write failed
    }
    Harness run = h.restart();
    RedisCache cache = rc;
    until(run, rc, 20, () -> run.aws.rbac.users.get(id).authType.equals("password") && run.aws.rbac.users.get(id).status.equals("active")
        && run.kube.secrets.get("shop/sw-reports").getMetadata().getAnnotations().containsKey(AppUsers.USER_ID_ANNOTATION)
        && Harness.ready(cache));
    FakeRbac.User u = run.aws.rbac.users.get(id);
    assertThat(u.name).as("ModifyUser keeps the name: the id").isEqualTo(id);
    assertThat(run.aws.calls).as("the same user, switched in place").doesNotContain("elasticache:CreateUser", "elasticache:DeleteUser");
    Map<String, String> pw = secret(run, "sw-reports");
    assertThat(pw).containsEntry("username", id).doesNotContainKey("iamPolicy");
    assertThat(pw.get("password")).isEqualTo(stored(run, "sw", "reports"));
    assertThat(pw.get("url")).contains(id + ":" + pw.get("password") + "@");
    assertThat(accepted(run, rc)).containsOnly(entry(id, List.of(pw.get("password"))));
    // and back to iam: no password anywhere
    rc.getSpec().getUsers().get(0).setAuthentication(UserAuthentication.IAM);
    until(run, rc, 20, () -> run.aws.rbac.users.get(id).authType.equals("iam") && !secret(run, "sw-reports").containsKey("password")
        && Harness.ready(cache));
    assertThat(secret(run, "sw-reports")).containsEntry("username", id).containsKey("iamPolicy");
    assertThat(run.aws.secrets).doesNotContainKey(name(run, "sw", "reports"));
    assertThat(run.aws.rbac.users.get(id).passwords).isEmpty();
  }

  @Test
  void aPasswordUserWhoseNameIsNotItsIdIsStalledNamingTheFieldAndKeepsWorking() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(withUsers("named", user("orders", "on ~orders:* +@all")), 40);
    String password = secret(h, "named-orders").get("password");
    rc.getSpec().getUsers().get(0).setAuthentication(UserAuthentication.IAM);
    h.aws.calls.clear();
    h.reconcile(rc);
    var ready = Harness.condition(rc, "Stalled").orElseThrow();
    assertThat(ready.getReason()).isEqualTo("AuthenticationChangeRefused");
    assertThat(ready.getMessage()).contains("spec.users[0].authentication").contains("name is its id").doesNotContain(password);
    assertThat(h.aws.calls).doesNotContain("elasticache:ModifyUser", "elasticache:DeleteUser");
    assertThat(accepted(h, rc)).containsOnly(entry("orders", List.of(password)));
    assertThat(secret(h, "named-orders")).containsEntry("password", password);
  }
}
