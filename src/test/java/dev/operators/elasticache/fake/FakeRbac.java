package dev.operators.elasticache.fake;

import dev.operators.elasticache.aws.AwsException;
import dev.operators.elasticache.aws.UserGroupInfo;
import dev.operators.elasticache.aws.UserInfo;
import dev.operators.elasticache.aws.UserSpec;
import dev.operators.elasticache.decide.AccessStrings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * ElastiCache RBAC users and user groups in the fake, with the rules of the emulator's E39..E44
 * (EXTENSIONS.md), each from the ElastiCache API reference (CreateUser, ModifyUser, DeleteUser,
 * DescribeUsers, CreateUserGroup, ModifyUserGroup, DeleteUserGroup, DescribeUserGroups) and the user
 * guide "Role-Based Access Control (RBAC)". Used by {@link FakeAws}, which adds the replication
 * group's side (UserGroupIdsToAdd / UserGroupIdsToRemove).
 */
public final class FakeRbac {
  /** CreateUser UserId / CreateUserGroup UserGroupId: "Pattern: [a-zA-Z][a-zA-Z0-9\-]*", stored lower case. */
  private static final Pattern ID = Pattern.compile("^[a-zA-Z][a-zA-Z0-9-]*$");
  /** The RBAC guide: passwords of 16 to 128 printable characters (the emulator's rule: no spaces). */
  private static final Pattern PASSWORD = Pattern.compile("^[!-~]{16,128}$");

  /** A user, its passwords (never returned by Describe) and when its current state ends. */
  public static final class User {
    public String id;
    public String name;
    public String engine;
    public String access;
    public String authType;
    public List<String> passwords;
    public String status = "active";
    public Instant until;
    public String arn;
    public Map<String, String> tags = Map.of();
  }

  /** A user group and its pending member changes. */
  public static final class Group {
    public String id;
    public String engine;
    public List<String> userIds;
    public List<String> pendingAdd = List.of();
    public List<String> pendingRemove = List.of();
    public String status = "creating";
    public Instant until;
    public String arn;
    public Map<String, String> tags = Map.of();
  }

  /** ListTagsForResource of a user or user group ARN (CreateUser / CreateUserGroup Tags). */
  Optional<Map<String, String>> tagsOf(String arn) {
    tick();
    return users.values().stream().filter(u -> arn.equals(u.arn)).findFirst().map(u -> u.tags)
        .or(() -> userGroups.values().stream().filter(g -> arn.equals(g.arn)).findFirst().map(g -> g.tags));
  }

  /** How long a user or user group stays creating / modifying / deleting (the emulator's userSeconds). */
  public Duration userTime = Duration.ofMinutes(1);
  public final Map<String, User> users = new LinkedHashMap<>();
  public final Map<String, Group> userGroups = new LinkedHashMap<>();
  private final Clock clock;
  private final Consumer<String> call;
  /** The replication groups that use (or are about to use) a user group. */
  private final Function<String, List<String>> usedBy;
  /** The serverless caches that use a user group (E66). */
  private final Function<String, List<String>> usedByServerless;

  FakeRbac(Clock clock, Consumer<String> call, Function<String, List<String>> usedBy, Function<String, List<String>> usedByServerless) {
    this.clock = clock;
    this.call = call;
    this.usedBy = usedBy;
    this.usedByServerless = usedByServerless;
    // "ElastiCache automatically configures a default user with user ID and user name 'default' ...
    // You can't modify or delete this user." (RBAC guide)
    User d = new User();
    d.id = "default";
    d.name = "default";
    d.engine = "redis";
    d.access = "on ~* +@all";
    d.authType = "no-password-required";
    d.passwords = List.of();
    d.arn = "arn:aws:elasticache:us-east-1:123456789012:user:default";
    users.put("default", d);
  }

  private static AwsException err(String op, String code, String message) {
    return AwsException.of(op, code, "UserNotFound".equals(code) || "UserGroupNotFound".equals(code) ? 404 : 400, message);
  }

  void tick() {
    Instant now = clock.instant();
    var gi = userGroups.values().iterator();
    while (gi.hasNext()) {
      Group g = gi.next();
      if (g.until == null || now.isBefore(g.until)) continue;
      g.until = null;
      switch (g.status) {
        case "deleting" -> gi.remove();
        case "modifying" -> {
          List<String> after = new ArrayList<>(g.userIds);
          after.removeAll(g.pendingRemove);
          for (String u : g.pendingAdd) if (!after.contains(u)) after.add(u);
          g.userIds = after;
          g.pendingAdd = List.of();
          g.pendingRemove = List.of();
          g.status = "active";
        }
        default -> g.status = "active";
      }
    }
    var ui = users.values().iterator();
    while (ui.hasNext()) {
      User u = ui.next();
      if (u.until == null || now.isBefore(u.until)) continue;
      u.until = null;
      if (u.status.equals("deleting")) {
        ui.remove();
        for (Group g : userGroups.values()) g.userIds.remove(u.id);
      } else {
        u.status = "active";
      }
    }
  }

  private String checkId(String op, String value, String what) {
    if (value == null || !ID.matcher(value).matches() || value.contains("--") || value.endsWith("-")) {
      throw err(op, "InvalidParameterValue", "Invalid " + what + ": " + value);
    }
    return value.toLowerCase(java.util.Locale.ROOT);
  }

  private static void checkAccess(String op, String access) {
    AccessStrings.problem(access).ifPresent(p -> { throw err(op, "InvalidParameterValue", p); });
  }

  private static void checkAuthentication(String op, String userId, String userName, String type, List<String> passwords) {
    if (!List.of("password", "iam", "no-password-required").contains(type)) {
      throw err(op, "InvalidParameterValue", "Invalid AuthenticationMode Type: " + type);
    }
    if (type.equals("password")) {
      if (passwords.isEmpty() || passwords.size() > 2) {
        throw err(op, "InvalidParameterCombination", "A user with authentication type password must have one or two passwords.");
      }
      for (String p : passwords) {
        if (!PASSWORD.matcher(p).matches()) throw err(op, "InvalidParameterValue", "Invalid password: passwords must be 16 to 128 printable characters.");
      }
    } else if (!passwords.isEmpty()) {
      throw err(op, "InvalidParameterCombination", "Passwords cannot be given with authentication type " + type + ".");
    }
    if (type.equals("iam") && !userId.equals(userName)) {
      // user guide, "Authenticating with IAM": the user ID and user name must be identical
      throw err(op, "InvalidParameterCombination", "For IAM authentication the UserId and UserName must be identical.");
    }
  }

  private UserInfo info(User u) {
    List<String> groups = userGroups.values().stream().filter(g -> g.userIds.contains(u.id)).map(g -> g.id).sorted().toList();
    String type = u.authType.equals("no-password-required") ? "no-password" : u.authType;
    return new UserInfo(u.id, u.name, u.status, u.engine, u.access, type, u.authType.equals("password") ? u.passwords.size() : 0, groups, u.arn);
  }

  private UserGroupInfo info(Group g) {
    return new UserGroupInfo(g.id, g.status, g.engine, List.copyOf(g.userIds), g.pendingAdd, g.pendingRemove,
        usedBy.apply(g.id), g.arn, usedByServerless.apply(g.id));
  }

  private User user(String op, String id) {
    User u = users.get(id == null ? "" : id.toLowerCase(java.util.Locale.ROOT));
    if (u == null) throw err(op, "UserNotFound", "User " + id + " not found.");
    return u;
  }

  /** A user group to use, or UserGroupNotFound. */
  Group group(String op, String id) {
    tick();
    Group g = userGroups.get(id == null ? "" : id.toLowerCase(java.util.Locale.ROOT));
    if (g == null) throw err(op, "UserGroupNotFound", "User group " + id + " not found.");
    return g;
  }

  public Optional<UserInfo> describeUser(String userId) {
    call.accept("elasticache:DescribeUsers");
    tick();
    return Optional.ofNullable(users.get(userId)).map(this::info);
  }

  public UserInfo createUser(UserSpec s) {
    String op = "elasticache:CreateUser";
    call.accept(op);
    tick();
    String id = checkId(op, s.userId(), "UserId");
    if (s.userName() == null || s.userName().isEmpty()) throw err(op, "MissingParameter", "The request must contain the parameter UserName");
    if (!List.of("valkey", "redis").contains(s.engine())) throw err(op, "InvalidParameterValue", "Invalid engine: " + s.engine());
    checkAccess(op, s.accessString());
    checkAuthentication(op, id, s.userName(), s.authenticationType(), s.passwords());
    if (users.containsKey(id)) throw err(op, "UserAlreadyExists", "User " + id + " already exists.");
    User u = new User();
    u.id = id;
    u.name = s.userName();
    u.engine = s.engine();
    u.access = s.accessString();
    u.authType = s.authenticationType();
    u.passwords = List.copyOf(s.passwords());
    u.arn = "arn:aws:elasticache:us-east-1:123456789012:user:" + id;
    u.tags = Map.copyOf(s.tags());
    users.put(id, u);
    return info(u);
  }

  /**
   * ModifyUser (E41), with AuthenticationMode (E78): a switch between password and iam keeps the
   * user; to iam only when its name is its id (E39's rule, checked on the name AWS holds), and its
   * passwords are dropped.
   */
  public void modifyUser(String userId, String accessString, String type, List<String> passwords) {
    String op = "elasticache:ModifyUser";
    call.accept(op);
    tick();
    User u = user(op, userId);
    if (u.id.equals("default")) throw err(op, "InvalidParameterValue", "The default user cannot be modified.");
    if (!u.status.equals("active")) throw err(op, "InvalidUserState", "User " + u.id + " is not active (current status: " + u.status + ").");
    if (accessString != null) checkAccess(op, accessString);
    List<String> given = passwords == null ? List.of() : passwords;
    if (type != null) checkAuthentication(op, u.id, u.name, type, given);
    if (accessString == null && type == null) throw err(op, "InvalidParameterCombination", "No modifications were requested.");
    if (accessString != null) u.access = accessString;
    if (type != null) {
      u.authType = type;
      u.passwords = List.copyOf(given);
    }
    u.status = "modifying";
    u.until = clock.instant().plus(userTime);
  }

  public void deleteUser(String userId) {
    String op = "elasticache:DeleteUser";
    call.accept(op);
    tick();
    User u = user(op, userId);
    if (u.id.equals("default")) throw err(op, "InvalidParameterValue", "The default user cannot be deleted.");
    if (!u.status.equals("active")) throw err(op, "InvalidUserState", "User " + u.id + " is not active (current status: " + u.status + ").");
    if (u.name.equals("default") && userGroups.values().stream().anyMatch(g -> g.userIds.contains(u.id))) {
      throw err(op, "DefaultUserAssociatedToUserGroup", "User " + u.id + " is the default user of a user group; replace it there first.");
    }
    u.status = "deleting";
    u.until = clock.instant().plus(userTime);
  }

  private void checkMembers(String op, String engine, List<String> ids) {
    List<User> members = ids.stream().map(id -> user(op, id)).toList();
    List<String> names = members.stream().map(u -> u.name).toList();
    for (String n : names) {
      if (names.indexOf(n) != names.lastIndexOf(n)) throw err(op, "DuplicateUserName", "A user group cannot have two users named " + n + ".");
    }
    if (!names.contains("default")) throw err(op, "DefaultUserRequired", "A user group must contain a user with the user name default.");
    if (engine.equals("valkey")) {
      for (User u : members) {
        // RBAC guide: "A user group configured for the VALKEY engine can contain only users with an
        // authentication mechanism (password or IAM)"
        if (u.authType.equals("no-password-required")) {
          throw err(op, "InvalidParameterCombination", "User " + u.id + " has no password and cannot join a valkey user group.");
        }
      }
    }
  }

  public Optional<UserGroupInfo> describeUserGroup(String id) {
    call.accept("elasticache:DescribeUserGroups");
    tick();
    return Optional.ofNullable(userGroups.get(id)).map(this::info);
  }

  /** The group as AWS holds it, without counting a call (another operation's check), or null. */
  UserGroupInfo describeUserGroupQuietly(String id) {
    tick();
    Group g = userGroups.get(id);
    return g == null ? null : info(g);
  }

  public void createUserGroup(String id, String engine, List<String> userIds, Map<String, String> tags) {
    String op = "elasticache:CreateUserGroup";
    call.accept(op);
    tick();
    String gid = checkId(op, id, "UserGroupId");
    if (!List.of("valkey", "redis").contains(engine)) throw err(op, "InvalidParameterValue", "Invalid engine: " + engine);
    List<String> ids = userIds.stream().map(u -> u.toLowerCase(java.util.Locale.ROOT)).toList();
    if (userGroups.containsKey(gid)) throw err(op, "UserGroupAlreadyExists", "User group " + gid + " already exists.");
    checkMembers(op, engine, ids);
    Group g = new Group();
    g.id = gid;
    g.engine = engine;
    g.userIds = new ArrayList<>(ids);
    g.until = clock.instant().plus(userTime);
    g.arn = "arn:aws:elasticache:us-east-1:123456789012:usergroup:" + gid;
    g.tags = tags == null ? Map.of() : Map.copyOf(tags);
    userGroups.put(gid, g);
  }

  public void modifyUserGroup(String id, List<String> add, List<String> remove) {
    String op = "elasticache:ModifyUserGroup";
    call.accept(op);
    Group g = group(op, id);
    if (!g.status.equals("active")) throw err(op, "InvalidUserGroupState", "User group " + g.id + " is not active (current status: " + g.status + ").");
    List<String> a = add == null ? List.of() : add;
    List<String> r = remove == null ? List.of() : remove;
    if (a.isEmpty() && r.isEmpty()) throw err(op, "InvalidParameterCombination", "No modifications were requested.");
    for (String u : r) if (!g.userIds.contains(u)) throw err(op, "InvalidParameterValue", "User " + u + " is not in user group " + g.id + ".");
    for (String u : a) if (g.userIds.contains(u)) throw err(op, "InvalidParameterValue", "User " + u + " is already in user group " + g.id + ".");
    List<String> after = new ArrayList<>(g.userIds);
    after.removeAll(r);
    after.addAll(a);
    checkMembers(op, g.engine, after);
    g.pendingAdd = List.copyOf(a);
    g.pendingRemove = List.copyOf(r);
    g.status = "modifying";
    g.until = clock.instant().plus(userTime);
  }

  public void deleteUserGroup(String id) {
    String op = "elasticache:DeleteUserGroup";
    call.accept(op);
    Group g = group(op, id);
    if (!g.status.equals("active")) throw err(op, "InvalidUserGroupState", "User group " + g.id + " is not active (current status: " + g.status + ").");
    List<String> by = usedBy.apply(g.id);
    if (!by.isEmpty()) {
      // DeleteUserGroup: "The user group must first be disassociated from the cluster before it can be deleted."
      throw err(op, "InvalidUserGroupState", "User group " + g.id + " is associated with replication group " + by.get(0) + ".");
    }
    List<String> serverless = usedByServerless.apply(g.id);
    if (!serverless.isEmpty()) {
      // E66: the same for a serverless cache (UserGroup ServerlessCaches)
      throw err(op, "InvalidUserGroupState", "User group " + g.id + " is associated with serverless cache " + serverless.get(0) + ".");
    }
    g.status = "deleting";
    g.until = clock.instant().plus(userTime);
  }

  /**
   * E44: the user groups a replication group has after this change, or AWS's error: unknown group,
   * one to add not active, a valkey group on a Redis OSS cache, no TLS, more than one group.
   */
  List<String> userGroupsAfter(String op, String engine, boolean transit, List<String> current, List<String> add, List<String> remove) {
    for (String id : add) {
      Group g = group(op, id);
      if (!g.status.equals("active")) throw err(op, "InvalidUserGroupState", "User group " + id + " is not active (current status: " + g.status + ").");
      if (engine.equals("redis") && !g.engine.equals("redis")) {
        // RBAC guide: "When using RBAC with Redis OSS clusters, only user groups with engine REDIS can be used."
        throw err(op, "InvalidParameterCombination", "User group " + id + " has engine " + g.engine + "; a Redis OSS cluster needs a redis user group.");
      }
    }
    for (String id : remove) {
      group(op, id);
      if (!current.contains(id)) throw err(op, "InvalidParameterValue", "User group " + id + " is not associated with the replication group.");
    }
    List<String> after = new ArrayList<>(current);
    after.removeAll(remove);
    for (String id : add) if (!after.contains(id)) after.add(id);
    if (!add.isEmpty() && !transit) throw err(op, "InvalidParameterCombination", "User groups can be used only when TransitEncryptionEnabled is true.");
    if (after.size() > 1) throw err(op, "InvalidParameterCombination", "A replication group can have at most one user group.");
    return after;
  }

  /** The enabled users of these user groups by user name, with the passwords they accept (the data plane's view). */
  public Map<String, List<String>> acceptedUsers(List<String> groupIds) {
    tick();
    Map<String, List<String>> out = new java.util.TreeMap<>();
    for (String gid : groupIds) {
      Group g = userGroups.get(gid);
      if (g == null) continue;
      for (String uid : g.userIds) {
        User u = users.get(uid);
        if (u != null && !u.status.equals("deleting") && AccessStrings.enabled(u.access)) out.put(u.name, List.copyOf(u.passwords));
      }
    }
    return out;
  }
}
