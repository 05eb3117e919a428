package dev.operators.elasticache.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.operators.elasticache.api.CacheUserSpec;
import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.api.ServerlessSpec;
import dev.operators.elasticache.api.UserAuthentication;
import dev.operators.elasticache.api.UserStatus;
import dev.operators.elasticache.fake.FakeAws;
import dev.operators.elasticache.fake.Harness;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * spec.users on a serverless cache with the fake AWS (E66): the user group is made and active
 * before CreateServerlessCache takes it (UserGroupId); each app's Secret has the serverless
 * endpoints and a password AWS accepts; users added to a running cache without a group go out as
 * ModifyServerlessCache UserGroupId; every user removed is RemoveUserGroup, then the group, the users
 * and their Secrets; deleting the cache deletes it, then the group, then the users.
 */
class ServerlessUsersComponentTest {

  static RedisCache serverless(String name, CacheUserSpec... users) {
    RedisCache rc = Harness.cache("shop", name);
    rc.getSpec().setServerless(new ServerlessSpec());
    rc.getSpec().setUsers(new ArrayList<>(List.of(users)));
    return rc;
  }

  static Map<String, String> secret(Harness h, String name) {
    return UsersComponentTest.secret(h, name); // the same namespace, shop
  }

  static FakeAws.Serverless cache(Harness h) {
    return h.aws.serverless.values().iterator().next();
  }

  static List<String> order(Harness h, String... ops) {
    List<String> out = new ArrayList<>();
    for (String c : h.aws.calls) if (List.of(ops).contains(c) && !out.contains(c)) out.add(c);
    return out;
  }

  @Test
  void aNewServerlessCacheIsCreatedWithItsActiveUserGroupAndEachAppsSecretHoldsWhatAwsAccepts() {
    Harness h = new Harness();
    CacheUserSpec reports = UsersComponentTest.user("reports", "on ~orders:* +@read");
    reports.setAuthentication(UserAuthentication.IAM);
    RedisCache rc = h.reconcileUntilReady(serverless("sessions", UsersComponentTest.user("orders", "on ~orders:* +@all"), reports), 40);
    FakeAws.Serverless c = cache(h);
    String gid = rc.getStatus().getUserGroupId();
    assertThat(c.userGroupId).as("created with its user group").isEqualTo(gid);
    assertThat(h.aws.count("elasticache:CreateServerlessCache")).isEqualTo(1);
    assertThat(h.aws.count("elasticache:ModifyServerlessCache")).as("no second step to attach it").isZero();
    assertThat(order(h, "elasticache:CreateUser", "elasticache:CreateUserGroup", "elasticache:CreateServerlessCache"))
        .containsExactly("elasticache:CreateUser", "elasticache:CreateUserGroup", "elasticache:CreateServerlessCache");
    assertThat(h.aws.rbac.userGroups.get(gid).engine).isEqualTo("valkey");

    Map<String, String> orders = secret(h, "sessions-orders");
    assertThat(orders).containsEntry("username", "orders").containsEntry("host", c.address).containsEntry("port", "6379")
        .containsEntry("readerHost", c.address).containsEntry("readerPort", "6380").containsEntry("tls", "true")
        .containsEntry("clusterMode", "true")
        .containsEntry("url", "rediss://orders:" + orders.get("password") + "@" + c.address + ":6379");
    assertThat(h.aws.acceptedServerlessUsers(c.name)).as("the disabled default user is not accepted; the IAM user has no password")
        .containsOnly(entry("orders", List.of(orders.get("password"))), entry(rc.getStatus().getUsers().get(1).getUserId(), List.of()));
    // the IAM user's Secret: the serverless cache's name is what the token is signed for
    Map<String, String> iam = secret(h, "sessions-reports");
    String iamId = rc.getStatus().getUsers().get(1).getUserId();
    assertThat(iam).doesNotContainKey("password").containsEntry("username", iamId).containsEntry("cacheName", c.name)
        .containsEntry("region", "us-east-1").containsEntry("url", "rediss://" + c.address + ":6379");
    assertThat(iam.get("iamPolicy")).contains("\"" + c.arn + "\"").contains("\"arn:aws:elasticache:us-east-1:123456789012:user:" + iamId + "\"");
    assertThat(h.secretData(rc)).doesNotContainKey("password").containsEntry("host", c.address);
    assertThat(h.kube.events).noneMatch(e -> e.message().contains(orders.get("password")));
    // steady: another reconcile changes nothing in AWS
    int before = h.aws.calls.size();
    h.reconcile(rc);
    assertThat(h.aws.calls.subList(before, h.aws.calls.size())).allMatch(op -> op.startsWith("elasticache:Describe") || op.startsWith("elasticache:List"));
  }

  @Test
  void usersAddedToARunningServerlessCacheThenAllRemovedFollowAwsOrder() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(serverless("open"), 40);
    assertThat(cache(h).userGroupId).isNull();
    DayTwoComponentTest.edit(rc, r -> r.getSpec().getUsers().add(UsersComponentTest.user("orders", "on ~orders:* +@all")));
    UsersComponentTest.until(h, rc, 30, () -> Harness.ready(rc) && cache(h).userGroupId != null && "available".equals(cache(h).status));
    String gid = rc.getStatus().getUserGroupId();
    assertThat(cache(h).userGroupId).isEqualTo(gid);
    assertThat(order(h, "elasticache:CreateUserGroup", "elasticache:ModifyServerlessCache"))
        .containsExactly("elasticache:CreateUserGroup", "elasticache:ModifyServerlessCache");
    Map<String, String> orders = secret(h, "open-orders");
    assertThat(h.aws.acceptedServerlessUsers(cache(h).name)).containsOnly(entry("orders", List.of(orders.get("password"))));
    assertThat(orders).containsEntry("host", cache(h).address);
    assertThat(h.kube.events).anyMatch(e -> e.reason().equals("UserGroupAttached"));
    // drift: the group removed behind the operator's back is put back by the sweep and the next reconcile
    h.aws.modifyServerlessCache(dev.operators.elasticache.aws.ServerlessCacheChange.of(cache(h).name).withoutUserGroup());
    UsersComponentTest.until(h, rc, 30, () -> gid.equals(cache(h).userGroupId) && "available".equals(cache(h).status) && Harness.ready(rc));

    List<String> ids = rc.getStatus().getUsers().stream().map(UserStatus::getUserId).toList();
    h.aws.calls.clear();
    DayTwoComponentTest.edit(rc, r -> r.getSpec().getUsers().clear());
    UsersComponentTest.until(h, rc, 30, () -> Harness.ready(rc) && rc.getStatus().getUsers() == null && h.aws.rbac.userGroups.isEmpty()
        && h.aws.rbac.users.keySet().equals(java.util.Set.of("default")));
    assertThat(order(h, "elasticache:ModifyServerlessCache", "elasticache:DeleteUserGroup", "elasticache:DeleteUser"))
        .as("RemoveUserGroup, then the group, then the users").containsExactly("elasticache:ModifyServerlessCache", "elasticache:DeleteUserGroup",
            "elasticache:DeleteUser");
    assertThat(cache(h).userGroupId).as("no access control but the security group").isNull();
    assertThat(ids).allMatch(id -> !h.aws.rbac.users.containsKey(id));
    assertThat(h.kube.secrets).doesNotContainKey("shop/open-orders");
    assertThat(rc.getStatus().getUserGroupId()).isNull();
    assertThat(h.kube.events).anyMatch(e -> e.message().contains("no longer uses user group " + gid));
    int before = h.aws.calls.size();
    h.reconcile(rc);
    assertThat(h.aws.calls.subList(before, h.aws.calls.size())).noneMatch(op -> op.contains(":Modify") || op.contains(":Delete"));
  }

  @Test
  void deletingTheServerlessCacheDeletesItThenItsUserGroupThenTheUsers() {
    Harness h = new Harness();
    RedisCache rc = h.reconcileUntilReady(serverless("gone", UsersComponentTest.user("orders", "on ~orders:* +@all")), 40);
    h.aws.calls.clear();
    assertThat(h.deleteUntilGone(rc, 40)).isTrue();
    assertThat(order(h, "elasticache:DeleteServerlessCache", "elasticache:DeleteUserGroup", "elasticache:DeleteUser"))
        .containsExactly("elasticache:DeleteServerlessCache", "elasticache:DeleteUserGroup", "elasticache:DeleteUser");
    assertThat(h.aws.serverless).isEmpty();
    assertThat(h.aws.rbac.userGroups).isEmpty();
    assertThat(h.aws.rbac.users).containsOnlyKeys("default");
  }
}
