package dev.operators.elasticache.decide;

import dev.operators.elasticache.api.CacheUserSpec;
import dev.operators.elasticache.api.RedisCacheSpec;
import dev.operators.elasticache.api.UserStatus;
import dev.operators.elasticache.aws.UserGroupInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-app access (spec.users), decided: each app's ElastiCache user (id named from the cache and
 * the user name), the cache's user group with its own disabled {@code default} user (AWS requires a
 * user named default in every group; the RBAC guide: "off -@all" keeps it from doing anything),
 * which members the group gains and loses, and which users the operator made that the spec no
 * longer names. Pure: no AWS, no Kubernetes.
 */
public final class CacheUsers {
  /** AWS: every user group holds a user named default. */
  public static final String DEFAULT_USER_NAME = "default";
  /** The group's default user: disabled, no keys, no commands. */
  public static final String DISABLED_ACCESS = "off -@all";

  private CacheUsers() {}

  /** One app's user as the spec asks for it. */
  public record AppUser(String name, String userId, String accessString, String secretName, boolean iam) {
    public UserStatus status() { return new UserStatus(name, userId, secretName); }

    /** The user name AWS is sent and apps send: for IAM authentication AWS requires it to be the user id. */
    public String userName() { return iam ? userId : name; }
  }

  /**
   * The IAM policy an app's role needs to connect as this IAM user (user guide "Authenticating with
   * IAM"): elasticache:Connect on the cache (a replication group, or a serverless cache) and the user.
   * ARNs from the cache's own ARN (same partition, region and account).
   */
  public static String iamPolicy(String cacheArn, String cacheName, String userId) {
    String[] parts = cacheArn.split(":", 6); // arn:partition:elasticache:region:account:<type>:<name>
    String userArn = String.join(":", parts[0], parts[1], parts[2], parts[3], parts[4]) + ":user:" + userId;
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"elasticache:Connect\"],"
        + "\"Resource\":[\"" + cacheArn + "\",\"" + userArn + "\"]}]}";
  }

  /** The region of an ElastiCache ARN (arn:aws:elasticache:REGION:...). */
  public static String region(String arn) {
    String[] parts = arn.split(":");
    return parts.length > 3 ? parts[3] : "";
  }

  /** The spec's users, in its order. {@code nameBase}: the cache's name base (Names.replicationGroupId). */
  public static List<AppUser> of(RedisCacheSpec s, String nameBase, String cacheName) {
    List<AppUser> out = new ArrayList<>();
    for (CacheUserSpec u : s.usersOrEmpty()) {
      String secret = u.getSecretName() == null || u.getSecretName().isBlank() ? cacheName + "-" + u.getName().toLowerCase(java.util.Locale.ROOT) : u.getSecretName();
      out.add(new AppUser(u.getName(), Names.userId(nameBase, u.getName()), u.getAccessString() == null ? null : u.getAccessString().trim(), secret,
          u.authenticationOrDefault() == dev.operators.elasticache.api.UserAuthentication.IAM));
    }
    return List.copyOf(out);
  }

  /** The default user that carries the AUTH token while a running cache switches to users (the token's rights). */
  public static final String TOKEN_ACCESS = "on ~* &* +@all";

  /** The id of the default user that carries the token during the switch. */
  public static String tokenUserId(Desired d) {
    return Names.userId(d.nameBase(), "token");
  }

  /** The id of the cache's own default user. */
  public static String defaultUserId(Desired d) {
    return Names.userId(d.nameBase(), DEFAULT_USER_NAME);
  }

  /** The members the group should have: its default user first, then the apps'. */
  public static List<String> members(Desired d) {
    return members(d, false);
  }

  /**
   * The members: while {@code switching} from the token, the default user that carries it (so
   * clients that AUTH with the token keep working), else the disabled one; then the apps'.
   */
  public static List<String> members(Desired d, boolean switching) {
    List<String> ids = new ArrayList<>();
    ids.add(switching ? tokenUserId(d) : defaultUserId(d));
    d.users().forEach(u -> ids.add(u.userId()));
    return ids;
  }

  /** What ModifyUserGroup is asked: the members to add and to remove (both empty: in line). */
  public record Membership(List<String> add, List<String> remove) {
    public boolean inLine() { return add.isEmpty() && remove.isEmpty(); }
  }

  /** From the group's members now to {@code wanted}. */
  public static Membership membership(UserGroupInfo g, Collection<String> wanted) {
    List<String> add = wanted.stream().filter(id -> !g.userIds().contains(id)).toList();
    List<String> remove = g.userIds().stream().filter(id -> !wanted.contains(id)).toList();
    return new Membership(add, remove);
  }

  /**
   * Users the operator made that the spec no longer names: those the status records, and any member
   * of the group that is not wanted (a status write lost after it was made), by user id.
   */
  public static List<UserStatus> removed(Desired d, List<UserStatus> recorded, UserGroupInfo g) {
    Map<String, UserStatus> out = new LinkedHashMap<>();
    List<String> wanted = new ArrayList<>(members(d));
    wanted.add(tokenUserId(d)); // the switch's default user goes its own way (AppUsers)
    if (recorded != null) recorded.stream().filter(u -> !wanted.contains(u.getUserId())).forEach(u -> out.put(u.getUserId(), u));
    if (g != null) {
      for (String id : g.userIds()) {
        if (!wanted.contains(id) && !out.containsKey(id) && id.startsWith(d.nameBase())) out.put(id, new UserStatus(null, id, null));
      }
    }
    return List.copyOf(out.values());
  }

  /** Where a running cache is in the switch from its AUTH token to users. */
  public enum Switch {
    /** No token on the cache, and no default user carrying one in the group. */
    NONE,
    /** The cache still has its token: the group (default user carrying the token) is made, then DELETE + UserGroupIdsToAdd. */
    TOKEN,
    /** AWS reports the group on the cache; its default user still takes the token until the grace period ends. */
    GRACE,
    /** The grace period is over: the default user is swapped for the disabled one, then deleted. */
    SWAP
  }

  /**
   * From what AWS reports: {@code groupHasToken} (the replication group's AUTH token),
   * {@code tokenUserInGroup} (the user group holds the default user carrying it), {@code switchedAt}
   * (status: when AWS reported the group on the cache; null: not yet recorded), {@code now}, {@code grace}.
   */
  public static Switch step(boolean groupHasToken, boolean tokenUserInGroup, java.time.Instant switchedAt, java.time.Instant now,
      java.time.Duration grace) {
    if (groupHasToken) return Switch.TOKEN;
    if (!tokenUserInGroup) return Switch.NONE;
    if (switchedAt == null || now.isBefore(switchedAt.plus(grace))) return Switch.GRACE;
    return Switch.SWAP;
  }

  /**
   * AWS offers RBAC user groups for Valkey and for Redis OSS 6.0 and later (user guide, "Role-Based
   * Access Control (RBAC)"): the way off an AUTH token goes through one.
   */
  public static boolean rbacAvailable(dev.operators.elasticache.api.Engine engine, String version) {
    if (engine != dev.operators.elasticache.api.Engine.REDIS) return true;
    try {
      return Integer.parseInt(version.split("\\.")[0]) >= 6;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * AUTH turned off in one edit (auth.enabled false, no spec.users) on a group that has a token, or
   * is on the way off it: AWS's path (user guide, "Disabling access control on an ElastiCache Valkey
   * or Redis OSS cache") goes through a user group whose default user takes the token. On the way
   * while AWS reports the token ({@code groupHasToken}), and afterwards while the status records that
   * group ({@code recordedGroup}) with no app users ({@code recordedUsers} empty: not the two-edit
   * way, spec.users then every user removed).
   */
  public static boolean turningAuthOff(Desired d, boolean groupHasToken, String recordedGroup, List<UserStatus> recordedUsers) {
    if (d.auth() || !d.users().isEmpty()) return false;
    return groupHasToken || (recordedGroup != null && (recordedUsers == null || recordedUsers.isEmpty()));
  }

  /** The status list: the spec's users, then those still being removed. */
  public static List<UserStatus> status(Desired d, List<UserStatus> stillRemoving) {
    List<UserStatus> out = new ArrayList<>();
    d.users().forEach(u -> out.add(u.status()));
    out.addAll(stillRemoving);
    return out;
  }
}
