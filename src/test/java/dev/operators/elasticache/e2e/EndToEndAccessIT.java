package dev.operators.elasticache.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.operators.elasticache.aws.IngressRule;
import dev.operators.elasticache.decide.Names;
import dev.operators.elasticache.testsupport.AwsEmulator;
import dev.operators.elasticache.testsupport.AwsIam;
import dev.operators.elasticache.testsupport.OtherAccount;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.regions.Region;
import dev.operators.elasticache.testsupport.AwsTestClients;
import dev.operators.elasticache.testsupport.ControlPlane;
import dev.operators.elasticache.testsupport.OperatorProcess;
import dev.operators.elasticache.testsupport.Proc;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.elasticache.model.CacheCluster;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;

/**
 * Access control against the same kind of peers as {@link EndToEndIT} ({@link EndToEndFixture}), its
 * own set of them so that it runs beside the other end-to-end classes: AUTH turned on and off on a
 * running cache, per-app users (spec.users) with their Secrets, passwords in Secrets Manager and
 * rotation, a token cache switched to users, and users on a serverless cache, each app allowed and
 * refused through the data-plane bridge as its access string says.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndAccessIT extends EndToEndFixture {
  @Override
  String name() {
    return "e2e-access";
  }

  /**
   * Issue 10, live migrations: AUTH turned on for a running TLS cache. At every look the Secret's
   * password (or none) is one AWS accepts: none until AWS applied ROTATE, then the new token; after
   * the grace period SET leaves only it.
   */
  @Test
  @Order(20)
  void authIsTurnedOnForARunningCacheWithoutGivingAppsATokenAwsRefuses() {
    k8s.kubectlWithInput(cache("default", "authmove", "auth: {enabled: false}"), "apply", "-f", "-").ok();
    String rgId = Names.replicationGroupId(CLUSTER_ID, "default", "authmove");
    awaitConverged("default", "authmove");
    assertThat(secret("default", "authmove-redis")).doesNotContainKey("password");
    assertThat(aws.authTokens(rgId)).isEmpty();

    patch("default", "authmove", "{\"spec\":{\"auth\":{\"enabled\":true,\"rotation\":{\"gracePeriod\":\"10s\"}}}}");
    List<String> seen = new ArrayList<>();
    long[] window = {0, 0, 0}; // when AWS first held a token while the Secret had none, for how long, in how many looks
    await(READY_TIMEOUT, () -> {
      Map<String, String> s = secret("default", "authmove-redis");
      List<String> accepted = aws.authTokens(rgId);
      String password = s.get("password");
      // a password in the Secret is always one AWS accepts (never given before AWS applied ROTATE)
      if (password != null) assertThat(accepted).as("AWS's tokens while the Secret has a password").contains(password);
      if (password == null && !accepted.isEmpty()) {
        if (window[0] == 0) window[0] = System.nanoTime();
        window[1] = System.nanoTime() - window[0];
        window[2]++;
      }
      String entry = (password == null ? "no password" : "password") + "/" + accepted.size();
      if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(entry)) seen.add(entry);
      return password != null && accepted.equals(List.of(password)) && "available".equals(group(rgId).status())
          && events("default", "authmove").contains("TokenRotationCompleted"); // SET sent after the grace period
    });
    assertThat(seen).startsWith("no password/0").endsWith("password/1").doesNotContain("password/0");
    // In the emulator's model AWS requires the token once ROTATE is applied (AWS does not document what a
    // group that had none accepts then): apps without the password are refused until the Secret has it.
    System.out.printf("token brought in: Secret without the token while AWS required it: seen in %d look(s) over %.1f s%n", window[2], window[1] / 1e9);
    assertThat(Duration.ofNanos(window[1])).isLessThan(Duration.ofSeconds(15));
    awaitConverged("default", "authmove");
    String token = secret("default", "authmove-redis").get("password");
    assertThat(secret("default", "authmove-redis").get("url")).isEqualTo("rediss://:" + token + "@" + secret("default", "authmove-redis").get("host") + ":6379");
    assertThat(clients.secrets().getSecretValue(r -> r.secretId(Names.authSecretName(CLUSTER_ID, "default", "authmove"))).secretString()).isEqualTo(token);
    assertThat(events("default", "authmove")).contains("TokenRotationCompleted").doesNotContain(token);

    // turning it off again: authAndNothingElseIsTurnedOffInOneEditWhileTokenHoldersAreServed
    k8s.kubectl("delete", "rediscache", "authmove", "-n", "default", "--timeout=120s").ok();
  }

  /**
   * spec.users end to end: a cache with two apps' users whose key prefixes and rights differ; each
   * app's own Secret, used by a real client (redis-py, Lettuce) against a redis-server the bridge
   * gives the emulator's users to, is allowed and refused as its access string says; a user removed
   * from the spec leaves the group, is deleted, and its Secret goes; the cache deleted takes its user
   * group and its users with it. The operator runs as the IAM user of deploy/iam-policy.json.
   */
  @Test
  @Order(22)
  void twoAppsWithTheirOwnUsersAreAllowedAndRefusedAsTheirAccessStringsSayAndAreRemovedInOrder() throws Exception {
    DataPlane dataPlane = tlsDataPlane(Path.of("target/e2e-users"));
    Path tls = dataPlane.dir;
    AppClients apps = AppClients.install(root, dataPlane.ca);
    String rgId = Names.replicationGroupId(CLUSTER_ID, "default", "twoapps");
    DataPlaneBridge bridge = dataPlane.serve(rgId, null);
    try {
      k8s.kubectlWithInput(cache("default", "twoapps", "auth: {enabled: false}\n  users:\n"
          + "  - {name: orders, accessString: \"on ~orders:* +@read +@write -@dangerous\"}\n"
          + "  - {name: analytics, accessString: \"on %R~orders:* ~analytics:* +@read +@write -@dangerous\"}"), "apply", "-f", "-").ok();
      Proc.Result waited = k8s.kubectl("wait", "--for=condition=Ready", "rediscache/twoapps", "-n", "default", "--timeout=" + READY_TIMEOUT.toSeconds() + "s");
      assertThat(waited.exit()).as("Ready; operator log:\n%s\n%s", operator.tail(), describe("default", "twoapps")).isZero();
      await(Duration.ofSeconds(30), () -> "localhost".equals(secret("default", "twoapps-orders").get("host"))
          && "localhost".equals(secret("default", "twoapps-analytics").get("host")));
      await(Duration.ofSeconds(30), () -> bridge.users().keySet().equals(java.util.Set.of("default", "orders", "analytics")));
      assertThat(bridge.users()).containsEntry("default", "off -@all");
      Map<String, String> ordersSecret = secret("default", "twoapps-orders");
      Map<String, String> analyticsSecret = secret("default", "twoapps-analytics");
      assertThat(ordersSecret).containsEntry("username", "orders").containsEntry("tls", "true").containsEntry("ssl", "true");
      assertThat(secret("default", "twoapps-redis")).doesNotContainKey("password");
      assertThat(rgOf(rgId).authTokenEnabled()).isFalse();
      Path orders = AppClients.bindingDirectory(tls.resolve("orders"), "twoapps-orders", ordersSecret).getParent();
      Path analytics = AppClients.bindingDirectory(tls.resolve("analytics"), "twoapps-analytics", analyticsSecret).getParent();

      // orders: its own keys, read and write; nothing else
      assertThat(apps.redisPy(orders, "orders:1", "from orders").ok().out()).isEqualTo("from orders\n");
      Proc.Result ordersElsewhere = apps.redisPy(orders, "analytics:1", "not mine");
      assertThat(ordersElsewhere.exit()).isNotZero();
      assertThat(ordersElsewhere.err()).contains("NoPermissionError");
      Proc.Result dangerous = apps.lettuce(orders, "keys", "*");
      assertThat(dangerous.exit()).as("KEYS is in @dangerous").isNotZero();
      assertThat(dangerous.err()).contains("NOPERM");
      // analytics: reads orders' keys, never writes them; reads and writes its own
      assertThat(apps.lettuce(analytics, "get", "orders:1").ok().out()).isEqualTo("from orders\n");
      Proc.Result analyticsWrites = apps.lettuce(analytics, "set", "orders:2", "nope");
      assertThat(analyticsWrites.exit()).isNotZero();
      assertThat(analyticsWrites.err()).contains("NOPERM");
      assertThat(apps.redisPy(analytics, "analytics:daily", "42").ok().out()).isEqualTo("42\n");
      // no password, no service: the group's default user is disabled
      Proc.Result anonymous = apps.lettuce(AppClients.bindingDirectory(tls.resolve("anonymous"), "anonymous",
          EndToEndIT.withoutKey(EndToEndIT.withoutKey(ordersSecret, "password"), "username")).getParent(), "get", "orders:1");
      assertThat(anonymous.exit()).isNotZero();

      // passwords kept like the token (connectionSecret.secretsManager, the default): in Secrets Manager, tagged as the cache's
      String kept = Names.authSecretName(CLUSTER_ID, "default", "twoapps");
      String ordersKept = Names.userSecretName(kept, "orders");
      assertThat(clients.secrets().getSecretValue(r -> r.secretId(ordersKept)).secretString()).isEqualTo(ordersSecret.get("password"));
      assertThat(clients.secrets().getSecretValue(r -> r.secretId(Names.userSecretName(kept, "analytics"))).secretString())
          .isEqualTo(analyticsSecret.get("password"));
      String uid = k8s.kubectl("get", "rediscache", "twoapps", "-n", "default", "-o", "jsonpath={.metadata.uid}").ok().out();
      assertThat(clients.secrets().describeSecret(r -> r.secretId(ordersKept)).tags())
          .anyMatch(t -> t.key().equals(Names.TAG_UID) && t.value().equals(uid));
      // analytics' Secret deleted: the next reconcile (the spec change below) writes it again from Secrets Manager
      k8s.kubectl("delete", "secret", "twoapps-analytics", "-n", "default").ok();

      // orders removed: out of the group, then its user deleted, then its Secret
      String ordersUserId = JSON.readTree(k8s.kubectl("get", "rediscache", "twoapps", "-n", "default", "-o", "json").ok().out())
          .at("/status/users/0/userId").asText();
      assertThat(ordersUserId).startsWith("rc-");
      patch("default", "twoapps", "{\"spec\":{\"users\":[{\"name\":\"analytics\",\"accessString\":\"on %R~orders:* ~analytics:* +@read +@write -@dangerous\"}]}}");
      await(Duration.ofSeconds(120), () -> secret("default", "twoapps-orders").isEmpty());
      assertThat(clients.elastiCache().describeUsers(r -> { }).users()).noneMatch(u -> u.userId().equals(ordersUserId));
      await(Duration.ofSeconds(30), () -> !bridge.users().containsKey("orders"));
      Proc.Result gone = apps.lettuce(orders, "get", "orders:1");
      assertThat(gone.exit()).isNotZero();
      assertThat(gone.err()).contains("WRONGPASS");
      await(Duration.ofSeconds(60), () -> "localhost".equals(secret("default", "twoapps-analytics").get("host")));
      assertThat(secret("default", "twoapps-analytics").get("password")).as("rebuilt with the kept password")
          .isEqualTo(analyticsSecret.get("password"));
      assertThat(apps.lettuce(analytics, "get", "orders:1").ok().out()).as("analytics untouched").isEqualTo("from orders\n");
      assertThat(clients.secrets().listSecrets().secretList()).as("orders' password deleted after its user")
          .noneMatch(x -> x.name().equals(ordersKept));

      // authentication switched. analytics (a password user named analytics, not by its id) to iam: AWS cannot, Stalled naming the field
      String analyticsUser = "{\"name\":\"analytics\",\"accessString\":\"on %R~orders:* ~analytics:* +@read +@write -@dangerous\"";
      patch("default", "twoapps", "{\"spec\":{\"users\":[" + analyticsUser + ",\"authentication\":\"iam\"}]}}");
      k8s.kubectl("wait", "--for=condition=Stalled", "rediscache/twoapps", "-n", "default", "--timeout=60s").ok();
      assertThat(k8s.kubectl("get", "rediscache", "twoapps", "-n", "default", "-o",
          "jsonpath={.status.conditions[?(@.type==\"Stalled\")].message}").ok().out()).contains("spec.users[0].authentication");
      // reports, an iam user (named by its id), to password and back, by ModifyUser: its Secret follows
      String reports = "{\"name\":\"reports\",\"accessString\":\"on ~reports:* +@read +@write\",\"authentication\":";
      patch("default", "twoapps", "{\"spec\":{\"users\":[" + analyticsUser + "}," + reports + "\"iam\"}]}}");
      k8s.kubectl("wait", "--for=condition=Ready", "rediscache/twoapps", "-n", "default", "--timeout=120s").ok();
      await(Duration.ofSeconds(30), () -> secret("default", "twoapps-reports").containsKey("iamPolicy"));
      String reportsId = secret("default", "twoapps-reports").get("username");
      patch("default", "twoapps", "{\"spec\":{\"users\":[" + analyticsUser + "}," + reports + "\"password\"}]}}");
      await(Duration.ofSeconds(120), () -> secret("default", "twoapps-reports").containsKey("password")
          && "password".equals(clients.elastiCache().describeUsers(r -> r.userId(reportsId)).users().get(0).authentication().typeAsString()));
      Map<String, String> reportsSecret = secret("default", "twoapps-reports");
      assertThat(reportsSecret).containsEntry("username", reportsId).doesNotContainKey("iamPolicy");
      assertThat(clients.secrets().getSecretValue(r -> r.secretId(Names.userSecretName(kept, "reports"))).secretString())
          .isEqualTo(reportsSecret.get("password"));
      Path reportsApp = AppClients.bindingDirectory(tls.resolve("reports"), "twoapps-reports", reportsSecret).getParent();
      Proc.Result[] last = new Proc.Result[1];
      await(Duration.ofSeconds(30), () -> (last[0] = apps.lettuce(reportsApp, "set", "reports:1", "switched")).exit() == 0); // once bridged
      assertThat(last[0].out()).isEqualTo("switched\n");
      patch("default", "twoapps", "{\"spec\":{\"users\":[" + analyticsUser + "}," + reports + "\"iam\"}]}}");
      await(Duration.ofSeconds(120), () -> !secret("default", "twoapps-reports").containsKey("password")
          && "iam".equals(clients.elastiCache().describeUsers(r -> r.userId(reportsId)).users().get(0).authentication().typeAsString()));
      await(Duration.ofSeconds(30), () -> (last[0] = apps.lettuce(reportsApp, "get", "reports:1")).exit() != 0); // once bridged
      assertThat(last[0].err()).as("its password is gone with the switch to iam").contains("WRONGPASS");
      assertThat(clients.secrets().listSecrets().secretList()).noneMatch(x -> x.name().equals(Names.userSecretName(kept, "reports")));
      assertThat(operator.tail()).doesNotContain(reportsSecret.get("password"));
      for (Proc.Result r : List.of(ordersElsewhere, dangerous, analyticsWrites, anonymous, gone)) {
        assertThat(r.out() + r.err()).doesNotContain(ordersSecret.get("password")).doesNotContain(analyticsSecret.get("password"));
      }
      assertThat(operator.tail()).doesNotContain(ordersSecret.get("password")).doesNotContain(analyticsSecret.get("password"));
      assertThat(k8s.kubectl("get", "events", "-n", "default", "-o", "json").ok().out())
          .doesNotContain(ordersSecret.get("password")).doesNotContain(analyticsSecret.get("password"));

      // every user removed: AWS's way to no access control, the user group off the cache, then the group and the users go
      patch("default", "twoapps", "{\"spec\":{\"users\":[]}}");
      await(Duration.ofSeconds(120), () -> rgOf(rgId).userGroupIds().isEmpty() && secret("default", "twoapps-analytics").isEmpty()
          && clients.elastiCache().describeUserGroups(r -> { }).userGroups().stream().noneMatch(g -> g.userGroupId().startsWith("rc-")));
      await(Duration.ofSeconds(60), () -> clients.elastiCache().describeUsers(r -> { }).users().stream().noneMatch(u -> u.userId().startsWith("rc-")));
      k8s.kubectl("wait", "--for=condition=Ready", "rediscache/twoapps", "-n", "default", "--timeout=60s").ok();
      assertThat(k8s.kubectl("get", "rediscache", "twoapps", "-n", "default", "-o", "jsonpath={.status.userGroupId}").ok().out()).isEmpty();
      assertThat(events("default", "twoapps")).contains("UserGroupDetached");
    } finally {
      dataPlane.close();
    }
    // the cache deleted: its replication group, then its user group, then its users
    k8s.kubectl("delete", "rediscache", "twoapps", "-n", "default", "--wait=true", "--timeout=180s").ok();
    assertThat(clients.elastiCache().describeReplicationGroups().replicationGroups()).noneMatch(g -> g.replicationGroupId().equals(rgId));
    assertThat(clients.elastiCache().describeUserGroups(r -> { }).userGroups()).noneMatch(g -> g.userGroupId().startsWith("rc-"));
    assertThat(clients.elastiCache().describeUsers(r -> { }).users()).noneMatch(u -> u.userId().startsWith("rc-"));
  }

  /**
   * A running cache with an AUTH token switched to spec.users without an outage: an app holding the
   * token (Lettuce, from the cache Secret) is served through AWS's switch (DELETE + UserGroupIdsToAdd;
   * the group's default user takes the token) and the grace period, the new app's own Secret works,
   * then the default user is swapped for a disabled one and the token is refused. Then back to a
   * token in one edit (AWS's "Migrating from RBAC to AUTH", E71): the app's own user is served until
   * AWS takes the user group off, and Lettuce holding the cache Secret's new token is served after.
   */
  @Test
  @Order(23)
  void aRunningCacheSwitchesFromItsTokenToUsersWhileTokenHoldersAreServed() throws Exception {
    DataPlane dataPlane = tlsDataPlane(Path.of("target/e2e-switch"));
    Path tls = dataPlane.dir;
    AppClients apps = AppClients.install(root, dataPlane.ca);
    k8s.kubectlWithInput(cache("default", "switching", "auth: {enabled: true, rotation: {gracePeriod: 20s}}"), "apply", "-f", "-").ok();
    await(Duration.ofSeconds(60), () -> secret("default", "switching-redis").containsKey("password"));
    String token = secret("default", "switching-redis").get("password");
    String rgId = Names.replicationGroupId(CLUSTER_ID, "default", "switching");
    DataPlaneBridge bridge = dataPlane.serve(rgId, token);
    try {
      k8s.kubectl("wait", "--for=condition=Ready", "rediscache/switching", "-n", "default", "--timeout=" + READY_TIMEOUT.toSeconds() + "s").ok();
      await(Duration.ofSeconds(30), () -> "localhost".equals(secret("default", "switching-redis").get("host")));
      Path tokenApp = AppClients.bindingDirectory(tls.resolve("token-app"), "switching-redis", secret("default", "switching-redis")).getParent();
      await(Duration.ofSeconds(20), () -> apps.lettuce(tokenApp, "set", "orders:1", "first").exit() == 0);

      patch("default", "switching", "{\"spec\":{\"auth\":{\"enabled\":false},\"users\":[{\"name\":\"orders\",\"accessString\":\"on ~orders:* +@read +@write -@dangerous\"}]}}");
      // Until the default user is the disabled one, the app holding the token is served: before the switch by
      // the token, after it by the group's default user that takes the token.
      int servedByTheGroupsDefaultUser = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
      while (!"off -@all".equals(bridge.users().get("default"))) {
        boolean onUsers = "on ~* &* +@all".equals(bridge.users().get("default"));
        Proc.Result r = apps.lettuce(tokenApp, "get", "orders:1");
        if (r.exit() != 0) {
          // only the swap at the end of the grace period may refuse it (the bridge records the swap just after applying it)
          OperatorProcess.sleep(1000);
          assertThat(bridge.users().get("default")).as("refused before the swap: %s", r.err()).isEqualTo("off -@all");
          break;
        }
        assertThat(r.out()).isEqualTo("first\n");
        if (onUsers) servedByTheGroupsDefaultUser++;
        assertThat(System.nanoTime()).as("the switch ends; operator log:\n%s", operator.tail()).isLessThan(deadline);
      }
      assertThat(servedByTheGroupsDefaultUser).as("served by the group's default user during the grace period").isPositive();
      assertThat(rgOf(rgId).authTokenEnabled()).isFalse();
      Proc.Result stale = apps.lettuce(tokenApp, "get", "orders:1");
      assertThat(stale.exit()).isNotZero();
      assertThat(stale.err()).contains("WRONGPASS").doesNotContain(token);
      Path orders = AppClients.bindingDirectory(tls.resolve("orders"), "switching-orders", secret("default", "switching-orders")).getParent();
      assertThat(apps.lettuce(orders, "get", "orders:1").ok().out()).isEqualTo("first\n");
      await(Duration.ofSeconds(60), () -> !secret("default", "switching-redis").containsKey("password"));
      k8s.kubectl("wait", "--for=condition=Ready", "rediscache/switching", "-n", "default", "--timeout=60s").ok();
      await(Duration.ofSeconds(60), () -> clients.elastiCache().describeUsers(r -> { }).users().stream()
          .noneMatch(u -> u.userId().startsWith("rc-") && u.accessString().equals("on ~* &* +@all")));
      assertThat(k8s.kubectl("get", "events", "-n", "default", "-o", "json").ok().out()).doesNotContain(token).contains("UsersSwitched");

      // A password rotation on demand: the old and the new password both work through the grace period (20 s), then only the new one.
      String before = secret("default", "switching-orders").get("password");
      k8s.kubectl("annotate", "rediscache", "switching", "-n", "default", "elasticache.operators.dev/rotate-token=now").ok();
      await(Duration.ofSeconds(60), () -> !before.equals(secret("default", "switching-orders").get("password")));
      Path rotated = AppClients.bindingDirectory(tls.resolve("orders-rotated"), "switching-orders", secret("default", "switching-orders")).getParent();
      await(Duration.ofSeconds(20), () -> apps.lettuce(rotated, "get", "orders:1").exit() == 0);
      assertThat(apps.lettuce(orders, "get", "orders:1").ok().out()).as("the old password in the grace period").isEqualTo("first\n");
      await(Duration.ofSeconds(90), () -> apps.lettuce(orders, "get", "orders:1").exit() != 0);
      Proc.Result old = apps.lettuce(orders, "get", "orders:1");
      assertThat(old.err()).contains("WRONGPASS").doesNotContain(before);
      assertThat(apps.lettuce(rotated, "get", "orders:1").ok().out()).isEqualTo("first\n");

      // And back to a token in one edit, AWS's "Migrating from RBAC to AUTH" (RemoveUserGroups with the token and ROTATE,
      // then SET): the orders app is served until AWS has taken its user group off, then the cache Secret's token is.
      String gid = k8s.kubectl("get", "rediscache", "switching", "-n", "default", "-o", "jsonpath={.status.userGroupId}").ok().out();
      patch("default", "switching", "{\"spec\":{\"auth\":{\"enabled\":true},\"users\":[]}}");
      int ordersServed = 0;
      long backDeadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
      while (bridge.users().containsKey("orders")) {
        Proc.Result r = apps.lettuce(rotated, "get", "orders:1");
        if (r.exit() != 0) {
          // only the user group's removal by AWS may refuse it (the bridge records it just after applying it)
          OperatorProcess.sleep(1000);
          assertThat(bridge.users()).as("refused while its user is on the cache: %s", r.err()).doesNotContainKey("orders");
          break;
        }
        assertThat(r.out()).isEqualTo("first\n");
        ordersServed++;
        String inSecret = secret("default", "switching-redis").get("password");
        if (inSecret != null) assertThat(aws.authTokens(rgId)).as("the cache Secret gets the token only once AWS takes it").contains(inSecret);
        assertThat(System.nanoTime()).as("the user group comes off; operator log:\n%s", operator.tail()).isLessThan(backDeadline);
      }
      assertThat(ordersServed).as("the orders app served while AWS applies the switch").isPositive();
      await(Duration.ofSeconds(120), () -> secret("default", "switching-redis").containsKey("password") && secret("default", "switching-orders").isEmpty());
      k8s.kubectl("wait", "--for=condition=Ready", "rediscache/switching", "-n", "default", "--timeout=120s").ok();
      String newToken = secret("default", "switching-redis").get("password");
      assertThat(newToken).isNotEqualTo(token);
      Path tokenAgain = AppClients.bindingDirectory(tls.resolve("token-again"), "switching-redis", secret("default", "switching-redis")).getParent();
      await(Duration.ofSeconds(20), () -> apps.lettuce(tokenAgain, "get", "orders:1").exit() == 0);
      assertThat(apps.lettuce(tokenAgain, "get", "orders:1").ok().out()).as("Lettuce holding the cache Secret's token").isEqualTo("first\n");
      assertThat(apps.lettuce(rotated, "get", "orders:1").exit()).as("the removed user's password").isNotZero();
      assertThat(rgOf(rgId).authTokenEnabled()).isTrue();
      assertThat(rgOf(rgId).userGroupIds()).isEmpty();
      await(Duration.ofSeconds(60), () -> clients.elastiCache().describeUserGroups(r -> { }).userGroups().stream().noneMatch(g -> g.userGroupId().equals(gid))
          && clients.elastiCache().describeUsers(r -> { }).users().stream().noneMatch(u -> u.userId().startsWith(rgId)));
      assertThat(k8s.kubectl("get", "events", "-n", "default", "-o", "json").ok().out()).doesNotContain(newToken)
          .contains("SwitchingToToken").contains("SwitchedToToken");
    } finally {
      dataPlane.close();
      k8s.kubectl("delete", "rediscache", "switching", "-n", "default", "--timeout=180s");
    }
  }

  /**
   * Issue 10 item 5, AUTH on -> off in one edit, AWS's way: a Lettuce app holding the token (from the
   * cache Secret, through the data-plane bridge's redis-server) is served at every look while the
   * operator makes a user group whose default user takes the token, AWS moves the group to it
   * (DELETE + UserGroupIdsToAdd) and removes it (UserGroupIdsToRemove); then a client without a
   * password is served too, and Lettuce and redis-py still holding the token. A watcher with
   * redis-cli shows, phase by phase, that AUTH default <token> is never refused while the
   * one-argument AUTH <token> is refused once there is no password at all: measured and asserted,
   * as the README says.
   */
  @Test
  @Order(29)
  void authAndNothingElseIsTurnedOffInOneEditWhileTokenHoldersAreServed() throws Exception {
    Path redisServer = Stream.of("/usr/bin/redis-server", "/usr/local/bin/redis-server").map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
    assumeThat(redisServer).as("redis-server (Debian package redis-server; .ci/run installs it)").isNotNull();
    Path tls = Path.of("target/e2e-authoff");
    makeCertificates(tls);
    Path ca = tls.resolve("ca.crt");
    AppClients apps = AppClients.install(root, ca);
    k8s.kubectlWithInput(cache("default", "opening", "auth: {enabled: true}"), "apply", "-f", "-").ok();
    await(Duration.ofSeconds(60), () -> secret("default", "opening-redis").containsKey("password"));
    String token = secret("default", "opening-redis").get("password");
    int port = freePort();
    Process redis = tlsRedis(redisServer, tls, port, token);
    String rgId = Names.replicationGroupId(CLUSTER_ID, "default", "opening");
    DataPlaneBridge bridge = DataPlaneBridge.start(aws, rgId, port, ca, List.of(token));
    try {
      aws.config(Map.of("endpointHost", "localhost", "endpointPort", port));
      k8s.kubectl("wait", "--for=condition=Ready", "rediscache/opening", "-n", "default", "--timeout=" + READY_TIMEOUT.toSeconds() + "s").ok();
      await(Duration.ofSeconds(30), () -> "localhost".equals(secret("default", "opening-redis").get("host")));
      Path tokenApp = AppClients.bindingDirectory(tls.resolve("token-app"), "opening-redis", secret("default", "opening-redis")).getParent();
      await(Duration.ofSeconds(20), () -> apps.lettuce(tokenApp, "set", "orders:1", "first").exit() == 0);
      assertThat(apps.redisPy(tokenApp, "orders:1").ok().out()).isEqualTo("first\n");

      // A watcher, every ~100 ms, with redis-cli holding the token: AUTH default <token> (two arguments, as Lettuce's
      // HELLO sends it) and AUTH <token> (one argument, as redis-py without a user name), by the data plane's phase.
      java.util.concurrent.ConcurrentLinkedQueue<String> seen = new java.util.concurrent.ConcurrentLinkedQueue<>();
      java.util.concurrent.atomic.AtomicBoolean watching = new java.util.concurrent.atomic.AtomicBoolean(true);
      Thread watcher = new Thread(() -> {
        while (watching.get()) {
          String before = phase(bridge);
          String two = tokenCli(port, ca, List.of("--user", "default", "--pass", token), "GET", "orders:1");
          String one = tokenCli(port, ca, List.of("-a", token), "GET", "orders:1");
          String after = phase(bridge);
          seen.add((before.equals(after) ? before : before + " -> " + after) + " | two-argument " + (two.equals("first") ? "served" : "refused: " + two)
              + " | one-argument " + (one.equals("first") ? "served" : "refused: " + one));
          OperatorProcess.sleep(100);
        }
      }, "token-watcher");
      watcher.setDaemon(true);
      watcher.start();
      patch("default", "opening", "{\"spec\":{\"auth\":{\"enabled\":false}}}");
      List<String> lettuceServed = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
      while (true) {
        String phase = phase(bridge);
        Proc.Result r = apps.lettuce(tokenApp, "get", "orders:1");
        assertThat(r.exit()).as("the Lettuce app holding the token is served (%s): %s", phase, r.err()).isZero();
        assertThat(r.out()).isEqualTo("first\n");
        if (lettuceServed.isEmpty() || !lettuceServed.get(lettuceServed.size() - 1).equals(phase)) lettuceServed.add(phase);
        boolean done = !secret("default", "opening-redis").containsKey("password") && phase.equals("no access control")
            && k8s.kubectl("get", "rediscache", "opening", "-n", "default", "-o", "jsonpath={.status.userGroupId}").ok().out().isEmpty();
        if (done) break;
        assertThat(System.nanoTime()).as("auth is off in time; operator log:\n%s", operator.tail()).isLessThan(deadline);
      }
      OperatorProcess.sleep(1000);
      watching.set(false);
      watcher.join(10_000);
      List<String> looks = List.copyOf(seen);
      List<String> phases = new ArrayList<>();
      for (String l : looks) {
        String ph = l.substring(0, l.indexOf(" |"));
        if (!ph.contains("->") && (phases.isEmpty() || !phases.get(phases.size() - 1).equals(ph))) phases.add(ph);
      }
      System.out.println("auth off in one edit: data plane phases " + phases + "; Lettuce served in " + lettuceServed + "; "
          + looks.size() + " redis-cli looks; one-argument AUTH refused: " + looks.stream().filter(l -> l.contains("one-argument refused")).findFirst().orElse("never"));
      assertThat(phases).containsSubsequence("token", "user group", "no access control");
      assertThat(looks).as("AUTH default <token> is never refused").noneMatch(l -> l.contains("two-argument refused"));
      assertThat(looks).as("served by the group's default user").anyMatch(l -> l.startsWith("user group | two-argument served | one-argument served"));
      // the one-argument AUTH <token>: served while a password is required, refused once there is none (redis-server's rule)
      assertThat(looks.stream().filter(l -> l.contains("one-argument refused"))).isNotEmpty()
          .allMatch(l -> l.substring(0, l.indexOf(" |")).endsWith("no access control") && l.contains("without any password configured"));
      assertThat(looks).anyMatch(l -> l.startsWith("token | two-argument served | one-argument served"));
      assertThat(rgOf(rgId).authTokenEnabled()).isFalse();
      assertThat(rgOf(rgId).userGroupIds()).isEmpty();
      k8s.kubectl("wait", "--for=condition=Ready", "rediscache/opening", "-n", "default", "--timeout=60s").ok();
      // a client without a password, from the Secret as it is now
      Path open = AppClients.bindingDirectory(tls.resolve("open-app"), "opening-redis", secret("default", "opening-redis")).getParent();
      assertThat(secret("default", "opening-redis")).doesNotContainKey("password");
      assertThat(apps.lettuce(open, "get", "orders:1").ok().out()).isEqualTo("first\n");
      assertThat(apps.redisPy(open, "orders:1").ok().out()).isEqualTo("first\n");
      // Lettuce 7 and redis-py 8.1 still holding the token are served: both send HELLO 3 AUTH default <token>
      assertThat(apps.lettuce(tokenApp, "get", "orders:1").ok().out()).isEqualTo("first\n");
      assertThat(apps.redisPy(tokenApp, "orders:1").ok().out()).isEqualTo("first\n");
      await(Duration.ofSeconds(60), () -> clients.elastiCache().describeUsers(r -> { }).users().stream().noneMatch(u -> u.userId().startsWith("rc-")));
      assertThat(clients.elastiCache().describeUserGroups(r -> { }).userGroups()).noneMatch(g -> g.userGroupId().equals(rgId));
      String events = events("default", "opening");
      assertThat(events).contains("TurningAuthOff").contains("AuthTurnedOff").doesNotContain(token);
    } finally {
      bridge.close();
      redis.destroy();
      Map<String, Object> clear = new java.util.HashMap<>();
      clear.put("endpointHost", null);
      clear.put("endpointPort", null);
      aws.config(clear);
      k8s.kubectl("delete", "rediscache", "opening", "-n", "default", "--timeout=180s");
    }
  }

  /** What the data-plane bridge has applied: a user group (with its default user), the token, or no access control. */
  static String phase(DataPlaneBridge bridge) {
    return !bridge.users().isEmpty() ? "user group" : bridge.tokens().isEmpty() ? "no access control" : "token";
  }

  /** redis-cli over TLS with the given AUTH arguments, one command, its reply (or error) on one line. */
  static String tokenCli(int port, Path ca, List<String> auth, String... command) {
    List<String> cli = new ArrayList<>(List.of("redis-cli", "--tls", "--cacert", ca.toAbsolutePath().toString(), "-h", "localhost",
        "-p", Integer.toString(port), "--no-auth-warning"));
    cli.addAll(auth);
    cli.addAll(List.of(command));
    Proc.Result r = Proc.run(Path.of("."), Map.of(), null, 30, cli);
    return (r.out() + r.err()).strip().replace('\n', ' ');
  }

  /**
   * spec.users on a serverless cache (samples/serverless-users.yaml): the user group is made and
   * active, then the serverless cache is created with it (UserGroupId). A TLS redis-server stands in
   * for the serverless endpoint and the bridge gives it the emulator's users of the cache's group
   * (E66): each app's Secret, used by redis-cli, is allowed and refused as its access string says;
   * every user removed is RemoveUserGroup (the server takes clients without a password again, no
   * access control), then the group, the users and their Secrets go; delete takes the cache, then
   * the group. The operator runs as the IAM user of deploy/iam-policy.json.
   */
  @Test
  @Order(29)
  void aServerlessCacheWithUsersServesEachAppAsItsAccessStringSaysAndOpensWhenTheyAreRemoved() throws Exception {
    Path redisServer = Stream.of("/usr/bin/redis-server", "/usr/local/bin/redis-server").map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
    assumeThat(redisServer).as("redis-server (Debian package redis-server; .ci/run installs it)").isNotNull();
    Path tls = Path.of("target/e2e-serverless-users");
    makeCertificates(tls);
    Path ca = tls.resolve("ca.crt");
    int port = freePort();
    Process redis = tlsRedis(redisServer, tls, port, null);
    String name = Names.replicationGroupId(CLUSTER_ID, "till", "checkout-sessions");
    DataPlaneBridge bridge = DataPlaneBridge.startServerless(aws, name, port, ca);
    var ec = clients.elastiCache();
    try {
      aws.config(Map.of("endpointHost", "localhost", "endpointPort", port));
      // in a namespace of its own: the samples test's app Secrets stay in checkout (no garbage collector runs here)
      k8s.kubectlWithInput(withRealIds(Files.readString(Path.of("samples/serverless-users.yaml")))
          .replace("name: checkout\n", "name: till\n").replace("namespace: checkout\n", "namespace: till\n"), "apply", "-f", "-").ok();
      Proc.Result waited = k8s.kubectl("wait", "--for=condition=Ready", "rediscache/checkout-sessions", "-n", "till",
          "--timeout=" + READY_TIMEOUT.toSeconds() + "s");
      assertThat(waited.exit()).as("Ready; operator log:\n%s\n%s", operator.tail(), describe("till", "checkout-sessions")).isZero();
      String gid = k8s.kubectl("get", "rediscache", "checkout-sessions", "-n", "till", "-o", "jsonpath={.status.userGroupId}").ok().out();
      assertThat(ec.describeServerlessCaches(r -> r.serverlessCacheName(name)).serverlessCaches().get(0).userGroupId()).isEqualTo(gid);
      assertThat(ec.describeUserGroups(r -> r.userGroupId(gid)).userGroups().get(0).serverlessCaches()).containsExactly(name);
      await(Duration.ofSeconds(30), () -> bridge.users().keySet().equals(java.util.Set.of("default", "cart", "reports")));
      assertThat(bridge.users()).containsEntry("default", "off -@all");
      Map<String, String> cart = secret("till", "checkout-sessions-cart");
      Map<String, String> reports = secret("till", "checkout-sessions-reports");
      assertThat(cart).containsEntry("host", "localhost").containsEntry("port", Integer.toString(port)).containsEntry("tls", "true")
          .containsEntry("username", "cart").containsEntry("clusterMode", "true");
      assertThat(secret("till", "checkout-sessions-redis")).doesNotContainKey("password");

      // cart writes its keys; reports reads them and may not write; nobody gets in without a password
      assertThat(tlsCli(port, ca, "cart", cart.get("password"), List.of("SET", "cart:1", "3 items"))).isEqualTo("OK");
      assertThat(tlsCli(port, ca, "reports", reports.get("password"), List.of("GET", "cart:1"))).isEqualTo("3 items");
      assertThat(tlsCli(port, ca, "reports", reports.get("password"), List.of("SET", "cart:2", "x"))).contains("NOPERM");
      assertThat(tlsCli(port, ca, "cart", cart.get("password"), List.of("SET", "other:1", "x"))).contains("NOPERM");
      assertThat(tlsCli(port, ca, null, null, List.of("GET", "cart:1"))).as("the default user is disabled").doesNotContain("3 items");

      // every user removed: RemoveUserGroup, then the group, the users and their Secrets; the cache takes everyone again
      List<String> userIds = List.of(k8s.kubectl("get", "rediscache", "checkout-sessions", "-n", "till", "-o",
          "jsonpath={.status.users[*].userId}").ok().out().trim().split(" "));
      assertThat(userIds).hasSize(2).allMatch(id -> id.startsWith("rc-"));
      patch("till", "checkout-sessions", "{\"spec\":{\"users\":[]}}");
      await(Duration.ofSeconds(150), () -> ec.describeServerlessCaches(r -> r.serverlessCacheName(name)).serverlessCaches().get(0).userGroupId() == null
          && secret("till", "checkout-sessions-cart").isEmpty() && secret("till", "checkout-sessions-reports").isEmpty()
          && ec.describeUserGroups(r -> { }).userGroups().stream().noneMatch(g -> g.userGroupId().equals(gid)));
      await(Duration.ofSeconds(60), () -> ec.describeUsers(r -> { }).users().stream().noneMatch(u -> userIds.contains(u.userId())));
      k8s.kubectl("wait", "--for=condition=Ready", "rediscache/checkout-sessions", "-n", "till", "--timeout=60s").ok();
      assertThat(events("till", "checkout-sessions")).contains("UserGroupDetached");
      await(Duration.ofSeconds(30), () -> bridge.users().isEmpty());
      assertThat(tlsCli(port, ca, null, null, List.of("GET", "cart:1"))).as("no access control: no password needed").isEqualTo("3 items");
      assertThat(operator.tail()).doesNotContain(cart.get("password")).doesNotContain(reports.get("password"));

      // users again on the running cache: ModifyServerlessCache UserGroupId once the new group is active
      patch("till", "checkout-sessions", "{\"spec\":{\"users\":[{\"name\":\"cart\",\"accessString\":\"on ~cart:* +@all\"}]}}");
      await(Duration.ofSeconds(150), () -> ec.describeServerlessCaches(r -> r.serverlessCacheName(name)).serverlessCaches().get(0).userGroupId() != null
          && !secret("till", "checkout-sessions-cart").isEmpty());
      await(Duration.ofSeconds(30), () -> bridge.users().containsKey("cart"));
      Map<String, String> again = secret("till", "checkout-sessions-cart");
      await(Duration.ofSeconds(30), () -> "3 items".equals(tlsCli(port, ca, "cart", again.get("password"), List.of("GET", "cart:1"))));
    } finally {
      bridge.close();
      clearEndpointOverride();
      redis.destroy();
    }
    // the cache deleted: the serverless cache, then its user group, then its users
    k8s.kubectl("delete", "rediscache", "checkout-sessions", "-n", "till", "--wait=true", "--timeout=180s").ok();
    assertThat(ec.describeServerlessCaches(r -> { }).serverlessCaches()).noneMatch(c -> c.serverlessCacheName().equals(name));
    assertThat(ec.describeUserGroups(r -> { }).userGroups()).noneMatch(g -> g.userGroupId().startsWith("rc-"));
    assertThat(ec.describeUsers(r -> { }).users()).noneMatch(u -> u.userId().startsWith("rc-"));
    assertNothingLeftInAws();
  }

  /** redis-cli over TLS as this user (none: the default user, no password); what it answered, errors included. */
  static String tlsCli(int port, Path ca, String user, String password, List<String> command) {
    List<String> cli = new ArrayList<>(List.of("redis-cli", "--tls", "--cacert", ca.toAbsolutePath().toString(), "-h", "localhost",
        "-p", Integer.toString(port), "--no-auth-warning"));
    if (user != null) cli.addAll(List.of("--user", user, "--pass", password));
    cli.addAll(command);
    Proc.Result r = Proc.run(Path.of("."), Map.of(), null, 30, cli);
    return (r.out() + r.err()).strip();
  }
}
