package dev.operators.elasticache.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.operators.elasticache.api.AuthSpec;
import dev.operators.elasticache.api.CacheUserSpec;
import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.api.UserStatus;
import dev.operators.elasticache.fake.FakeAws;
import dev.operators.elasticache.fake.FakeRbac;
import dev.operators.elasticache.fake.Harness;
import dev.operators.elasticache.resources.AppUsers;
import dev.operators.elasticache.resources.ConnectionSecrets;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * spec.users with the fake AWS: a new cache is created with its user group (no AUTH token), each
 * app's Secret holds a password AWS accepts for that user, access strings change, users are
 * removed in AWS's order, the cache's deletion removes the group after the cache and then the
 * users; a reconcile cut short anywhere resumes without a duplicate.
 */
class UsersComponentTest {

  static CacheUserSpec user(String name, String access) {
    CacheUserSpec u = new CacheUserSpec();
    u.setName(name);
    u.setAccessString(access);
    return u;
  }

  static RedisCache withUsers(String name, CacheUserSpec... users) {
    RedisCache rc = Harness.cache("shop", name);
    AuthSpec auth = new AuthSpec();
    auth.setEnabled(false);
    rc.getSpec().setAuth(auth);
    rc.getSpec().setUsers(new ArrayList<>(List.of(users)));
    return rc;
  }

  static Map<String, String> secret(Harness h, String name) {
    Secret s = h.kube.secrets.get("shop/" + name);
    assertThat(s).as("Secret " + name).isNotNull();
    return ConnectionSecrets.decoded(s);
  }

  static FakeAws.Group group(Harness h) {
    return h.aws.groups.values().iterator().next();
  }

  /** What the cache's data plane accepts, user name to passwords. */
  static Map<String, List<String>> accepted(Harness h, RedisCache rc) {
    return h.aws.acceptedUsers(rc.getStatus().getReplicationGroupId());
  }

  /** Reconcile, advance a minute, sweep, until the condition holds. */
  static void until(Harness h, RedisCache rc, int steps, java.util.function.BooleanSupplier done) {
    for (int i = 0; i < steps; i++) {
      h.reconcile(rc);
      if (done.getAsBoolean()) return;
      h.aws.clock.advance(Duration.ofMinutes(1));
      h.sweep();
    }
    throw new AssertionError("not reached after " + steps + " steps; conditions " + rc.getStatus().getConditions());
  }

  @Test
  void aNewCacheIsCreatedWithItsUserGroupAndEachAppsSecretHoldsWhatAwsAccepts() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(withUsers("shared", user("orders", "on ~orders:* +@read +@write -@dangerous"),
        user("reports", "on ~orders:* +@read")), 40);
    FakeAws.Group g = group(h);
    String gid = rc.getStatus().getUserGroupId();
    assertThat(g.userGroupIds).containsExactly(gid);
    assertThat(g.tokens).as("no AUTH token beside the users").isEmpty();
    assertThat(h.aws.calls.stream().filter(c -> c.equals("elasticache:CreateReplicationGroup"))).hasSize(1);
    Map<String, String> orders = secret(h, "shared-orders");
    Map<String, String> reports = secret(h, "shared-reports");
    assertThat(orders).containsEntry("username", "orders").containsEntry("tls", "true").containsKey("host")
        .containsEntry("url", "rediss://orders:" + orders.get("password") + "@" + orders.get("host") + ":" + orders.get("port"));
    assertThat(reports).containsEntry("username", "reports");
    assertThat(orders.get("password")).isNotEqualTo(reports.get("password"));
    // the data plane accepts each app with its own Secret's password; the group's default user is disabled
    assertThat(accepted(h, rc)).containsOnly(entry("orders", List.of(orders.get("password"))), entry("reports", List.of(reports.get("password"))));
    FakeRbac.User def = h.aws.rbac.users.values().stream().filter(u -> u.name.equals("default") && !u.id.equals("default")).findFirst().orElseThrow();
    assertThat(def.access).isEqualTo("off -@all");
    assertThat(h.aws.rbac.userGroups.get(gid).userIds).containsExactlyInAnyOrder(def.id, rc.getStatus().getUsers().get(0).getUserId(),
        rc.getStatus().getUsers().get(1).getUserId());
    assertThat(h.aws.rbac.users.get(rc.getStatus().getUsers().get(0).getUserId()).access).isEqualTo("on ~orders:* +@read +@write -@dangerous");
    assertThat(rc.getStatus().getUsers()).extracting(UserStatus::getName, UserStatus::getSecretName)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("orders", "shared-orders"), org.assertj.core.groups.Tuple.tuple("reports", "shared-reports"));
    // the users and the group carry the cache's ownership tags; the Secrets are owned by the cache
    assertThat(def.tags).containsEntry("elasticache.operators.dev/uid", rc.getMetadata().getUid());
    assertThat(h.kube.secrets.get("shop/shared-orders").getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo(rc.getMetadata().getUid());
    // the cache's own Secret has no password (there is no token)
    assertThat(h.secretData(rc)).doesNotContainKey("password");
    // passwords never in events or status
    for (String pw : List.of(orders.get("password"), reports.get("password"))) {
      assertThat(h.kube.events).noneMatch(e -> e.message().contains(pw));
      assertThat(String.valueOf(io.fabric8.kubernetes.client.utils.Serialization.asJson(rc.getStatus()))).doesNotContain(pw);
    }
    // steady: another reconcile changes nothing in AWS
    int before = h.aws.calls.size();
    h.reconcile(rc);
    assertThat(h.aws.calls.subList(before, h.aws.calls.size())).allMatch(c -> c.startsWith("elasticache:Describe"));
  }

  @Test
  void anAccessStringChangeIsModifyUserAndARemovedUserLeavesTheGroupThenIsDeletedThenItsSecret() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(withUsers("apps", user("orders", "on ~orders:* +@all"), user("reports", "on ~orders:* +@read")), 40);
    String reportsId = rc.getStatus().getUsers().get(1).getUserId();
    String ordersId = rc.getStatus().getUsers().get(0).getUserId();
    String ordersPassword = secret(h, "apps-orders").get("password");
    DayTwoComponentTest.edit(rc, r -> r.getSpec().getUsers().get(1).setAccessString("on ~orders:* ~reports:* +@read"));
    until(h, rc, 10, () -> Harness.ready(rc) && h.aws.rbac.users.get(reportsId).access.equals("on ~orders:* ~reports:* +@read")
        && h.aws.rbac.users.get(reportsId).status.equals("active"));
    assertThat(h.kube.secrets.get("shop/apps-reports").getMetadata().getAnnotations()).containsEntry(AppUsers.ACCESS_ANNOTATION, "on ~orders:* ~reports:* +@read");
    assertThat(secret(h, "apps-orders").get("password")).as("other users untouched").isEqualTo(ordersPassword);

    // orders removed: out of the group first, then DeleteUser, then its Secret
    DayTwoComponentTest.edit(rc, r -> r.getSpec().getUsers().remove(0));
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 20 && (h.aws.rbac.users.containsKey(ordersId) || h.kube.secrets.containsKey("shop/apps-orders")); i++) {
      int before = h.aws.calls.size();
      boolean inGroup = h.aws.rbac.userGroups.get(rc.getStatus().getUserGroupId()).userIds.contains(ordersId);
      h.reconcile(rc);
      for (String c : h.aws.calls.subList(before, h.aws.calls.size())) {
        if (c.equals("elasticache:ModifyUserGroup") || c.equals("elasticache:DeleteUser")) order.add(c + (inGroup ? " (in group)" : ""));
      }
      if (!h.kube.secrets.containsKey("shop/apps-orders") && !order.contains("secret deleted")) {
        order.add("secret deleted" + (h.aws.rbac.users.containsKey(ordersId) ? " (user still there)" : ""));
      }
      h.aws.clock.advance(Duration.ofMinutes(1));
      h.sweep();
    }
    assertThat(order).containsExactly("elasticache:ModifyUserGroup (in group)", "elasticache:DeleteUser", "secret deleted");
    h.reconcile(rc);
    assertThat(rc.getStatus().getUsers()).extracting(UserStatus::getName).containsExactly("reports");
    assertThat(accepted(h, rc)).containsOnlyKeys("reports");
    assertThat(Harness.ready(rc)).isTrue();
  }

  @Test
  void aReconcileCutShortAnywhereResumesWithoutADuplicateAndWithThePasswordInTheSecret() {
    Harness h = new Harness();
    RedisCache rc = withUsers("cut", user("orders", "on ~orders:* +@all"), user("reports", "on ~orders:* +@read"));
    // AWS accepted the user, then the Secret write that records it failed (the process could as well have died)
    h.kube.failSecretWriteIf = s -> s.getMetadata().getAnnotations() != null && s.getMetadata().getAnnotations().containsKey(AppUsers.USER_ID_ANNOTATION);
    boolean thrown = false;
    for (int i = 0; i < 10 && !thrown; i++) {
      try {
        h.reconcile(rc);
      } catch (RuntimeException e) {
        thrown = true;
      }
      h.aws.clock.advance(Duration.ofMinutes(1));
      h.sweep();
    }
    assertThat(thrown).isTrue();
    assertThat(h.aws.rbac.users.values()).filteredOn(u -> u.name.equals("orders")).hasSize(1);
    assertThat(h.kube.secrets.get("shop/cut-orders").getMetadata().getAnnotations()).doesNotContainKey(AppUsers.USER_ID_ANNOTATION);
    // and the group creation fails once, then the operator restarts
    h.aws.failNext("elasticache:CreateUserGroup", 1);
    h.reconcile(rc);
    h = h.restart();
    Harness after = h;
    RedisCache ready = after.reconcileUntilReady(rc, 40);
    assertThat(after.aws.rbac.users.values()).filteredOn(u -> u.name.equals("orders")).hasSize(1);
    assertThat(after.aws.rbac.users.values()).filteredOn(u -> u.name.equals("reports")).hasSize(1);
    assertThat(after.aws.rbac.userGroups).hasSize(1);
    assertThat(after.aws.calls.stream().filter(c -> c.equals("elasticache:CreateUser"))).as("default, orders, reports").hasSize(3);
    assertThat(accepted(after, ready)).containsOnly(entry("orders", List.of(secret(after, "cut-orders").get("password"))),
        entry("reports", List.of(secret(after, "cut-reports").get("password"))));
  }

  @Test
  void withoutSecretsManagerADeletedAppSecretGetsANewPasswordThatAwsAccepts() {
    Harness h = new Harness();
    RedisCache lost = withUsers("lost", user("orders", "on ~orders:* +@all"));
    lost.getSpec().setConnectionSecret(new dev.operators.elasticache.api.ConnectionSecretSpec());
    lost.getSpec().getConnectionSecret().setSecretsManager(false); // with it, the Secret is rebuilt from it (UserSecretsComponentTest)
    RedisCache rc = h.reconcileUntilReady(lost, 40);
    assertThat(h.aws.secrets).isEmpty();
    String old = secret(h, "lost-orders").get("password");
    h.kube.secrets.remove("shop/lost-orders");
    // the new password is written, then the ModifyUser that gives it to AWS fails: the next reconcile sends it again
    h.aws.failNext("elasticache:ModifyUser", 1);
    h.reconcile(rc);
    assertThat(secret(h, "lost-orders").get("password")).isNotEqualTo(old);
    until(h, rc, 10, () -> h.kube.secrets.containsKey("shop/lost-orders") && secret(h, "lost-orders").containsKey("host")
        && h.aws.rbac.users.values().stream().allMatch(u -> u.status.equals("active")));
    String now = secret(h, "lost-orders").get("password");
    assertThat(now).isNotEqualTo(old);
    assertThat(accepted(h, rc)).containsOnly(entry("orders", List.of(now)));
  }

  @Test
  void deletingTheCacheRemovesTheGroupAfterTheReplicationGroupThenTheUsers() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(withUsers("gone", user("orders", "on ~orders:* +@all")), 40);
    List<String> order = new ArrayList<>();
    h.aws.calls.clear();
    assertThat(h.deleteUntilGone(rc, 30)).isTrue();
    for (String c : h.aws.calls) {
      if (List.of("elasticache:DeleteReplicationGroup", "elasticache:DeleteUserGroup", "elasticache:DeleteUser").contains(c) && !order.contains(c)) order.add(c);
    }
    assertThat(order).containsExactly("elasticache:DeleteReplicationGroup", "elasticache:DeleteUserGroup", "elasticache:DeleteUser");
    assertThat(h.aws.rbac.userGroups).isEmpty();
    assertThat(h.aws.rbac.users).containsOnlyKeys("default");
  }

  @Test
  void removingEveryUserTakesTheGroupOffTheCacheThenDeletesTheGroupTheUsersAndTheirSecrets() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(withUsers("open", user("orders", "on ~orders:* +@all"), user("reports", "on ~orders:* +@read")), 40);
    String gid = rc.getStatus().getUserGroupId();
    List<String> ids = rc.getStatus().getUsers().stream().map(UserStatus::getUserId).toList();
    h.aws.calls.clear();
    DayTwoComponentTest.edit(rc, r -> r.getSpec().getUsers().clear());
    until(h, rc, 20, () -> Harness.ready(rc) && rc.getStatus().getUsers() == null && h.aws.rbac.userGroups.isEmpty()
        && h.aws.rbac.users.keySet().equals(java.util.Set.of("default")));
    // AWS's order: the group off the replication group, then the group, then the users
    List<String> order = new ArrayList<>();
    for (String c : h.aws.calls) {
      if (List.of("elasticache:ModifyReplicationGroup", "elasticache:DeleteUserGroup", "elasticache:DeleteUser").contains(c) && !order.contains(c)) order.add(c);
    }
    assertThat(order).containsExactly("elasticache:ModifyReplicationGroup", "elasticache:DeleteUserGroup", "elasticache:DeleteUser");
    assertThat(h.aws.calls).doesNotContain("elasticache:DeleteReplicationGroup");
    assertThat(group(h).userGroupIds).as("no access control but the security group").isEmpty();
    assertThat(group(h).tokens).isEmpty();
    assertThat(ids).allMatch(id -> !h.aws.rbac.users.containsKey(id));
    assertThat(h.kube.secrets).doesNotContainKeys("shop/open-orders", "shop/open-reports");
    assertThat(rc.getStatus().getUserGroupId()).isNull();
    assertThat(h.secretData(rc)).doesNotContainKey("password").containsKey("host");
    assertThat(h.kube.events).anyMatch(e -> e.message().contains("no longer uses user group " + gid));
    // steady: another reconcile changes nothing in AWS
    int before = h.aws.calls.size();
    h.reconcile(rc);
    assertThat(h.aws.calls.subList(before, h.aws.calls.size())).allMatch(c -> c.startsWith("elasticache:Describe"));
  }

  @Test
  void aUserAnotherCacheOwnsIsNeverTouched() {
    Harness h = new Harness();
    RedisCache first = h.reconcileUntilReady(withUsers("taken", user("orders", "on ~orders:* +@all")), 40);
    String id = first.getStatus().getUsers().get(0).getUserId();
    h.aws.rbac.users.get(id).tags = Map.of("elasticache.operators.dev/uid", "someone-else");
    h.kube.secrets.remove("shop/taken-orders");
    for (int i = 0; i < 3; i++) {
      h.reconcile(first);
      h.aws.clock.advance(Duration.ofMinutes(1));
      h.sweep();
    }
    assertThat(Harness.condition(first, "Stalled").orElseThrow().getMessage()).contains("spec.users[0].name").contains(id).contains("another RedisCache");
    assertThat(h.aws.calls).doesNotContain("elasticache:ModifyUser");
  }

  @Test
  void anAccessStringAwsWouldRefuseIsStalledNamingTheFieldBeforeAnyAwsCall() {
    Harness h = new Harness();
    RedisCache rc = withUsers("bad", user("orders", "on ~orders:* +@all"), user("reports", "on >secret ~* +@all"));
    h.reconcile(rc);
    assertThat(Harness.condition(rc, "Stalled").orElseThrow().getMessage()).contains("spec.users[1].accessString").doesNotContain("secret ~");
    assertThat(h.aws.calls).isEmpty();
  }

  /** What the cache's data plane accepts for a client sending only a password (AUTH <password>): the token, or the default user's. */
  static boolean passwordAccepted(Harness h, RedisCache rc, String password) {
    FakeAws.Group g = group(h);
    if (g.userGroupIds.isEmpty()) return g.tokens.contains(password);
    return accepted(h, rc).getOrDefault("default", List.of()).contains(password);
  }

  @Test
  void aRunningCacheSwitchesFromItsTokenToUsersWithoutRefusingTokenHoldersUntilTheGracePeriodEnds() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(Harness.cache("shop", "switch"), 40);
    String token = h.secretData(rc).get("password");
    assertThat(token).isNotNull();
    DayTwoComponentTest.edit(rc, r -> {
      AuthSpec off = new AuthSpec();
      off.setEnabled(false);
      r.getSpec().setAuth(off);
      r.getSpec().setUsers(new ArrayList<>(List.of(user("orders", "on ~orders:* +@all"))));
    });
    List<String> asked = new ArrayList<>();
    h.aws.beforeModify = m -> asked.add(m.authTokenUpdateStrategy() + " +" + m.userGroupIdsToAdd() + " orders Secret "
        + (h.kube.secrets.containsKey("shop/switch-orders") ? "written" : "missing"));
    java.time.Instant attached = null;
    java.time.Instant tokenRefused = null;
    Harness run = h;
    for (int i = 0; i < 80 && !(Harness.ready(rc) && rc.getStatus().getUsersSwitchedAt() == null && tokenRefused != null); i++) {
      if (i == 8) run = run.restart(); // a restart midway
      run.reconcile(rc);
      FakeAws.Group g = group(h);
      // an app holding the token is served until the switch ends; the cache Secret's password, if any, is always accepted
      if (tokenRefused == null && !passwordAccepted(h, rc, token)) tokenRefused = h.aws.clock.instant();
      if (attached == null && !g.userGroupIds.isEmpty()) attached = h.aws.clock.instant();
      Map<String, String> cacheSecret = h.secretData(rc);
      if (cacheSecret.containsKey("password")) {
        assertThat(passwordAccepted(h, rc, cacheSecret.get("password"))).as("step %d: the cache Secret's password works", i).isTrue();
      }
      h.aws.clock.advance(Duration.ofMinutes(1));
      run.sweep();
    }
    assertThat(attached).isNotNull();
    assertThat(tokenRefused).as("the token stops working").isNotNull();
    assertThat(Duration.between(attached, tokenRefused)).as("the grace period").isGreaterThanOrEqualTo(Duration.ofMinutes(10));
    assertThat(asked).containsExactly("DELETE +[" + rc.getStatus().getUserGroupId() + "] orders Secret written");
    FakeAws.Group g = group(h);
    assertThat(g.tokens).isEmpty();
    assertThat(g.userGroupIds).containsExactly(rc.getStatus().getUserGroupId());
    String orders = secret(h, "switch-orders").get("password");
    assertThat(accepted(h, rc)).containsOnly(entry("orders", List.of(orders)));
    assertThat(h.secretData(rc)).doesNotContainKey("password");
    assertThat(h.aws.rbac.users.values()).as("the token's default user deleted").noneMatch(u -> u.access.equals("on ~* &* +@all") && !u.id.equals("default"));
    assertThat(h.kube.events).noneMatch(e -> e.message().contains(token) || e.message().contains(orders));
    assertThat(h.kube.events).anyMatch(e -> e.reason().equals("UsersSwitched"));
  }

  static void rotation(RedisCache rc, String every) {
    dev.operators.elasticache.api.RotationSpec rotation = new dev.operators.elasticache.api.RotationSpec();
    rotation.setEvery(every);
    rc.getSpec().getAuth().setRotation(rotation);
  }

  /** Drives reconciles until the rotation is over; checks at every step that the Secret's password is one AWS accepts. */
  static List<String> rotateThrough(Harness h, RedisCache rc, String secretName, String user, boolean restartHalfway) {
    List<String> seen = new ArrayList<>();
    Harness run = h;
    for (int i = 0; i < 40; i++) {
      if (restartHalfway && i == 3) run = run.restart();
      run.reconcile(rc);
      Map<String, String> secret = secret(h, secretName);
      List<String> accepted = accepted(h, rc).get(user);
      assertThat(accepted).as("step %d: the Secret's password works", i).contains(secret.get("password"));
      String state = accepted.size() + " accepted" + (secret.containsKey("pendingPassword") ? ", pending" : "");
      if (seen.isEmpty() || !seen.get(seen.size() - 1).startsWith(state)) seen.add(state + " at " + h.aws.clock.instant());
      if (i > 2 && accepted.size() == 1 && !secret.containsKey("pendingPassword")
          && h.kube.secrets.get("shop/" + secretName).getMetadata().getAnnotations().get(AppUsers.ROTATION_ANNOTATION) == null
          && h.aws.rbac.users.values().stream().allMatch(u -> u.status.equals("active"))) break;
      h.aws.clock.advance(Duration.ofMinutes(1));
      run.sweep();
    }
    return seen;
  }

  @Test
  void aPasswordRotationAskedNowUsesAwsTwoPasswordWindowWithTheSecretAlwaysHoldingOneAwsAccepts() {
    Harness h = new Harness();
    RedisCache rc = withUsers("rot", user("orders", "on ~orders:* +@all"), user("reports", "on ~orders:* +@read"));
    rotation(rc, null);
    h.reconcileUntilReady(rc, 40);
    String old = secret(h, "rot-orders").get("password");
    String reports = secret(h, "rot-reports").get("password");
    rc.getMetadata().setAnnotations(new java.util.HashMap<>(Map.of("elasticache.operators.dev/rotate-token", "now")));
    List<String> seen = rotateThrough(h, rc, "rot-orders", "orders", true);
    String fresh = secret(h, "rot-orders").get("password");
    assertThat(fresh).isNotEqualTo(old);
    assertThat(accepted(h, rc).get("orders")).containsExactly(fresh);
    assertThat(secret(h, "rot-reports").get("password")).as("each user rotates its own").isNotEqualTo(reports);
    assertThat(seen).anyMatch(x -> x.startsWith("1 accepted, pending")).anyMatch(x -> x.startsWith("2 accepted"));
    // both passwords worked for the grace period (10 minutes by default)
    java.time.Instant both = java.time.Instant.parse(seen.stream().filter(x -> x.startsWith("2 accepted")).findFirst().orElseThrow().split(" at ")[1]);
    java.time.Instant one = java.time.Instant.parse(seen.get(seen.size() - 1).split(" at ")[1]);
    assertThat(Duration.between(both, one)).isGreaterThanOrEqualTo(Duration.ofMinutes(10));
    assertThat(secret(h, "rot-orders").get("url")).contains("orders:" + fresh + "@");
    assertThat(h.kube.events).noneMatch(e -> e.message().contains(old) || e.message().contains(fresh));
    // done once for this request: a later reconcile does not rotate again
    h.reconcile(rc);
    assertThat(secret(h, "rot-orders").get("password")).isEqualTo(fresh);
    assertThat(secret(h, "rot-orders")).doesNotContainKey("pendingPassword");
  }

  @Test
  void passwordsRotateOnTheSchedule() {
    Harness h = new Harness();
    RedisCache rc = withUsers("sched", user("orders", "on ~orders:* +@all"));
    rotation(rc, "1h");
    h.reconcileUntilReady(rc, 40);
    String old = secret(h, "sched-orders").get("password");
    h.reconcile(rc);
    assertThat(h.lastControl.getScheduleDelay()).as("looked at again when due").isPresent();
    assertThat(h.lastControl.getScheduleDelay().get()).isLessThanOrEqualTo(Duration.ofHours(1).toMillis());
    h.aws.clock.advance(Duration.ofMinutes(61));
    rotateThrough(h, rc, "sched-orders", "orders", false);
    assertThat(secret(h, "sched-orders").get("password")).isNotEqualTo(old);
    assertThat(accepted(h, rc).get("orders")).containsExactly(secret(h, "sched-orders").get("password"));
  }

  @Test
  void anIamUserIsNamedByItsIdAndItsSecretHasNoPasswordButThePolicyItsRoleNeeds() {
    Harness h = new Harness();
    CacheUserSpec iam = user("reports", "on ~orders:* +@read");
    iam.setAuthentication(dev.operators.elasticache.api.UserAuthentication.IAM);
    RedisCache rc = h.reconcileUntilReady(withUsers("iam", user("orders", "on ~orders:* +@all"), iam), 40);
    String id = rc.getStatus().getUsers().get(1).getUserId();
    FakeRbac.User u = h.aws.rbac.users.get(id);
    assertThat(u.authType).isEqualTo("iam");
    assertThat(u.name).as("AWS: an IAM user's name is its id").isEqualTo(id);
    Map<String, String> secret = secret(h, "iam-reports");
    assertThat(secret).doesNotContainKey("password").containsEntry("username", id).containsEntry("region", "us-east-1")
        .containsEntry("cacheName", rc.getStatus().getReplicationGroupId()).containsEntry("tls", "true")
        .containsEntry("url", "rediss://" + secret.get("host") + ":" + secret.get("port"));
    assertThat(secret.get("iamPolicy")).contains("\"elasticache:Connect\"")
        .contains("\"" + group(h).arn + "\"").contains("\"arn:aws:elasticache:us-east-1:123456789012:user:" + id + "\"");
    assertThat(h.aws.rbac.userGroups.get(rc.getStatus().getUserGroupId()).userIds).contains(id);
  }

  @Test
  void iamOnRedis6IsStalledNamingTheField() {
    Harness h = new Harness();
    CacheUserSpec iam = user("reports", "on ~orders:* +@read");
    iam.setAuthentication(dev.operators.elasticache.api.UserAuthentication.IAM);
    RedisCache rc = withUsers("iam6", iam);
    rc.getSpec().setEngine(dev.operators.elasticache.api.Engine.REDIS);
    rc.getSpec().setEngineVersion("6.2");
    h.reconcile(rc);
    assertThat(Harness.condition(rc, "Stalled").orElseThrow().getMessage()).contains("spec.users[0].authentication");
    assertThat(h.aws.calls).isEmpty();
  }
}
