package dev.operators.elasticache.decide;

import dev.operators.elasticache.api.Engine;
import dev.operators.elasticache.api.NetworkSpec;
import dev.operators.elasticache.api.RedisCacheSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks the API server cannot make (or that an older CRD may have let through). A spec with a
 * problem gets a Stalled condition naming the field, and nothing is created in AWS.
 */
public final class SpecValidation {
  private static final Set<String> DAYS = Set.of("sun", "mon", "tue", "wed", "thu", "fri", "sat");

  private SpecValidation() {}

  /** {@code versions}: what AWS offers (an engine version is checked against it). */
  public static List<Problem> validate(RedisCacheSpec s, EngineVersions versions) {
    List<Problem> p = new ArrayList<>();
    if (s == null) {
      p.add(new Problem("spec", "the spec is missing"));
      return p;
    }
    Engine engine = s.getEngine() == null ? Engine.VALKEY : s.getEngine();
    String version = EngineVersions.effective(engine, s.getEngineVersion());
    if (!versions.isSupported(engine, version)) {
      p.add(new Problem("spec.engineVersion", "\"" + version + "\" is not a version AWS offers for " + engine.awsName()
          + "; AWS offers " + versions.supported(engine)));
    }
    if (s.getShards() < 1 || s.getShards() > 500) p.add(new Problem("spec.shards", "must be 1 to 500"));
    if (s.getShards() > 1 && s.getClusterMode() != null && s.getClusterMode() != dev.operators.elasticache.api.ClusterMode.Enabled) {
      p.add(new Problem("spec.shards", "more than 1 needs clusterMode Enabled: in Disabled and Compatible mode a group has one shard"));
    }
    if (s.getClusterMode() != null && s.getClusterMode() != dev.operators.elasticache.api.ClusterMode.Disabled && s.serverlessEnabled()) {
      p.add(new Problem("spec.clusterMode", "a serverless cache has no cluster mode to choose: leave clusterMode unset"));
    }
    if (s.getReplicasPerShard() < 0 || s.getReplicasPerShard() > 5) p.add(new Problem("spec.replicasPerShard", "must be 0 to 5"));
    if (s.isMultiAZ() && s.getReplicasPerShard() < 1) {
      p.add(new Problem("spec.multiAZ", "needs replicasPerShard >= 1: add a replica or set multiAZ: false"));
    }
    if (s.authEnabled() && !s.isTls()) {
      p.add(new Problem("spec.auth.enabled", "needs tls: true (AWS accepts an auth token only with in-transit encryption)"));
    }
    if (s.kmsKeyId() != null && !s.atRestEnabled()) {
      p.add(new Problem("spec.atRestEncryption.kmsKeyId", "needs atRestEncryption.enabled: true"));
    }
    if (s.dataTieringEnabled() != NodeFeatures.dataTiering(s.getNodeType())) {
      p.add(new Problem("spec.dataTiering", s.dataTieringEnabled()
          ? "AWS offers data tiering only on r6gd node types; use a cache.r6gd.* nodeType or set dataTiering: false"
          : "nodeType " + s.getNodeType() + " is an r6gd type, which AWS runs only with data tiering: set dataTiering: true"));
    }
    if (s.getDurability() != null) checkDurability(s, engine, version, p);
    if (!s.usersOrEmpty().isEmpty()) checkUsers(s, engine, version, p);
    NetworkSpec n = s.getNetwork();
    if (n != null) checkNetworkType(s, engine, version, p);
    if (n == null) {
      p.add(new Problem("spec.network", "is required: give subnetIds (or subnetGroupName with vpcId)"));
    } else {
      boolean hasIds = n.getSubnetIds() != null && !n.getSubnetIds().isEmpty();
      boolean hasGroup = n.getSubnetGroupName() != null && !n.getSubnetGroupName().isBlank();
      boolean hasSelector = n.getSubnetSelector() != null;
      if ((hasIds ? 1 : 0) + (hasGroup ? 1 : 0) + (hasSelector ? 1 : 0) != 1) {
        p.add(new Problem("spec.network", "give exactly one subnet source: subnetIds, subnetSelector or subnetGroupName"));
      }
      if (hasSelector && (n.getSubnetSelector().getVpcId() == null || n.getSubnetSelector().getTags() == null
          || n.getSubnetSelector().getTags().isEmpty())) {
        p.add(new Problem("spec.network.subnetSelector", "needs vpcId and at least one tag"));
      }
      if (hasSelector && n.getVpcId() != null && !n.getVpcId().isBlank() && !n.getVpcId().equals(n.getSubnetSelector().getVpcId())) {
        p.add(new Problem("spec.network.vpcId", "differs from subnetSelector.vpcId; leave it out or give the same VPC"));
      }
      if (hasGroup && (n.getVpcId() == null || n.getVpcId().isBlank())) {
        p.add(new Problem("spec.network.vpcId", "is required with subnetGroupName"));
      }
      int groups = 1 + (n.getAdditionalSecurityGroupIds() == null ? 0 : n.getAdditionalSecurityGroupIds().size());
      if (groups > 5) p.add(new Problem("spec.network.additionalSecurityGroupIds", "at most 4 (AWS allows 5 security groups in all)"));
    }
    if (s.getMaintenanceWindow() != null && !s.getMaintenanceWindow().isBlank()) {
      checkWeeklyWindow(s.getMaintenanceWindow(), p);
    }
    if (s.getBackups() != null) {
      Integer days = s.getBackups().getRetentionDays();
      if (days != null && (days < 0 || days > 35)) p.add(new Problem("spec.backups.retentionDays", "must be 0 to 35"));
      String w = s.backupWindow();
      if (w != null && minutes(w) < 60) p.add(new Problem("spec.backups.window", "must be at least 60 minutes long"));
    }
    if (s.getAuth() != null && s.getAuth().getRotation() != null) {
      var r = s.getAuth().getRotation();
      for (var e : java.util.Map.of("every", String.valueOf(r.getEvery()), "gracePeriod", String.valueOf(r.getGracePeriod())).entrySet()) {
        if (e.getValue().equals("null")) continue;
        try {
          java.time.Duration dur = Durations.parse(e.getValue());
          java.time.Duration min = e.getKey().equals("every") ? java.time.Duration.ofHours(1) : java.time.Duration.ofSeconds(10);
          if (dur.compareTo(min) < 0) p.add(new Problem("spec.auth.rotation." + e.getKey(), "must be at least " + (e.getKey().equals("every") ? "1h" : "10s")));
        } catch (IllegalArgumentException ex) {
          p.add(new Problem("spec.auth.rotation." + e.getKey(), "write a duration such as 720h, 10m or 1h30m"));
        }
      }
      if (!s.authEnabled() && s.usersOrEmpty().isEmpty()) {
        p.add(new Problem("spec.auth.rotation", "needs auth.enabled: true (it rotates the token) or spec.users (it rotates their passwords)"));
      }
    }
    if (Desired.adopted(s) && (n == null || n.getSubnetGroupName() == null || n.getSubnetGroupName().isBlank())) {
      p.add(new Problem("spec.adoption", "an adopted replication group keeps its cache subnet group: name it in network.subnetGroupName"));
    }
    if (s.getRestoreFrom() != null) checkRestoreFrom(s, p);
    s.parametersOrEmpty().forEach((k, v) -> {
      if (k.isBlank() || v == null) p.add(new Problem("spec.parameters." + k, "a parameter needs a name and a value"));
    });
    p.addAll(Templates.check(s.secretTemplate()));
    return p;
  }

  /** S3 object ARNs as CreateReplicationGroup SnapshotArns takes them: arn:aws:s3:::bucket/key, no commas. */
  static final java.util.regex.Pattern S3_ARN = java.util.regex.Pattern.compile("^arn:aws[a-z-]*:s3:::[^/,]+/[^,]+$");

  private static void checkRestoreFrom(RedisCacheSpec s, List<Problem> p) {
    var r = s.getRestoreFrom();
    boolean snapshot = r.getSnapshotName() != null && !r.getSnapshotName().isBlank();
    boolean files = r.getRdbS3Arns() != null && !r.getRdbS3Arns().isEmpty();
    if (snapshot == files) {
      p.add(new Problem("spec.restoreFrom", "give exactly one of snapshotName (an ElastiCache snapshot) or rdbS3Arns (RDB files in S3)"));
    }
    if (files) {
      for (String arn : r.getRdbS3Arns()) {
        if (arn == null || !S3_ARN.matcher(arn).matches()) {
          p.add(new Problem("spec.restoreFrom.rdbS3Arns", "\"" + arn + "\" is not an S3 object ARN: write arn:aws:s3:::bucket/key.rdb (no commas)"));
        }
      }
    }
    if (Desired.adopted(s)) {
      p.add(new Problem("spec.restoreFrom", "cannot be combined with adoption: an adopted replication group already holds its data"));
    }
  }

  /**
   * Durability's preconditions (user guide "Durability in ElastiCache": Limitations, Changing
   * durability on an existing cluster): Valkey 9.0+, cluster mode, Multi-AZ with a replica per
   * shard, TLS, a node family AWS offers it on, no data tiering; it turns encryption at rest on, so a
   * spec that turns it off explicitly is refused.
   */
  private static void checkDurability(RedisCacheSpec s, Engine engine, String version, List<Problem> p) {
    String what = "durability " + s.getDurability();
    if (!NodeFeatures.durabilityEngine(engine, version)) {
      p.add(new Problem("spec.durability", what + " needs valkey 9.0 or later; " + engine.awsName() + " " + version + " has none: set engine: valkey and engineVersion \"9.0\" or higher"));
    }
    if (s.getShards() < 2) p.add(new Problem("spec.durability", what + " needs cluster mode: set shards to 2 or more"));
    if (!s.isMultiAZ() || s.getReplicasPerShard() < 1) p.add(new Problem("spec.durability", what + " needs multiAZ: true and replicasPerShard >= 1"));
    if (!s.isTls()) p.add(new Problem("spec.durability", what + " needs tls: true"));
    if (!s.atRestEnabled()) p.add(new Problem("spec.durability", what + " turns encryption at rest on: remove atRestEncryption.enabled: false"));
    if (s.dataTieringEnabled()) p.add(new Problem("spec.durability", what + " cannot be combined with dataTiering"));
    else if (!NodeFeatures.durability(s.getNodeType())) {
      p.add(new Problem("spec.durability", what + " needs a node type of the r8g, r7g, r6g, m8g, m7g, m6g, c8gn or c7gn family; " + s.getNodeType() + " is not"));
    }
  }

  private static void checkNetworkType(RedisCacheSpec s, Engine engine, String version, List<Problem> p) {
    NetworkSpec n = s.getNetwork();
    String type = n.getNetworkType() == null ? "ipv4" : n.getNetworkType();
    String discovery = n.getIpDiscovery();
    if (!Set.of("ipv4", "ipv6", "dual_stack").contains(type)) {
      p.add(new Problem("spec.network.networkType", "must be ipv4, ipv6 or dual_stack"));
      return;
    }
    if (discovery != null && !Set.of("ipv4", "ipv6").contains(discovery)) p.add(new Problem("spec.network.ipDiscovery", "must be ipv4 or ipv6"));
    if ("ipv6".equals(discovery) && type.equals("ipv4")) p.add(new Problem("spec.network.ipDiscovery", "ipv6 needs networkType ipv6 or dual_stack"));
    if ("ipv4".equals(discovery) && type.equals("ipv6")) {
      p.add(new Problem("spec.network.ipDiscovery", "an ipv6-only cache has no IPv4 addresses to advertise; use ipv6 (or leave it out)"));
    }
    boolean v6Rules = n.getAllowedCidrBlocks() != null && n.getAllowedCidrBlocks().stream().anyMatch(c -> c.contains(":"));
    if (v6Rules && type.equals("ipv4")) {
      p.add(new Problem("spec.network.allowedCidrBlocks", "IPv6 ranges need networkType ipv6 or dual_stack (an ipv4 cache has no IPv6 address)"));
    }
    if (type.equals("ipv4")) return;
    if (!NodeFeatures.ipv6Engine(engine, version)) {
      p.add(new Problem("spec.network.networkType", type + " needs valkey 7.2+ or redis 6.2+; " + engine.awsName() + " " + version + " is IPv4 only"));
    }
    if (!NodeFeatures.nitro(s.getNodeType())) {
      p.add(new Problem("spec.network.networkType", type + " needs a node type built on the Nitro system; " + s.getNodeType() + " is not"));
    }
  }

  private static void checkWeeklyWindow(String w, List<Problem> p) {
    String[] parts = w.toLowerCase().split("-");
    if (parts.length != 2) {
      p.add(new Problem("spec.maintenanceWindow", "write ddd:hh24:mi-ddd:hh24:mi, e.g. sun:04:00-sun:05:00"));
      return;
    }
    for (String part : parts) {
      String[] f = part.split(":");
      if (f.length != 3 || !DAYS.contains(f[0]) || Integer.parseInt(f[1]) > 23) {
        p.add(new Problem("spec.maintenanceWindow", "\"" + part + "\" is not ddd:hh24:mi with ddd one of " + DAYS.stream().sorted().toList()));
        return;
      }
    }
  }

  /** Length in minutes of an hh24:mi-hh24:mi range, across midnight if needed. */
  static int minutes(String window) {
    String[] parts = window.split("-");
    int start = toMinutes(parts[0]);
    int end = toMinutes(parts[1]);
    return ((end - start) % 1440 + 1440) % 1440;
  }

  private static int toMinutes(String hhmm) {
    String[] f = hhmm.split(":");
    return Integer.parseInt(f[0]) * 60 + Integer.parseInt(f[1]);
  }

  /**
   * spec.users: RBAC needs Redis OSS 6.0 or later (every Valkey version AWS offers has it), TLS and
   * no AUTH token (also CEL rules); each access string is one AWS accepts ({@link AccessStrings});
   * IAM authentication is not built yet.
   */
  static void checkUsers(RedisCacheSpec s, Engine engine, String version, List<Problem> p) {
    if (engine == Engine.REDIS && major(version) < 6) {
      p.add(new Problem("spec.users", "needs Redis OSS 6.0 or later (AWS offers RBAC users from 6.0; Valkey has them always): raise engineVersion"));
    }
    if (!s.isTls()) p.add(new Problem("spec.users", "needs tls: true (ElastiCache RBAC user groups work only with in-transit encryption)"));
    if (s.authEnabled()) p.add(new Problem("spec.users", "needs auth.enabled: false (users replace the AUTH token)"));
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < s.getUsers().size(); i++) {
      var u = s.getUsers().get(i);
      String at = "spec.users[" + i + "]";
      if (u.getName() == null || !u.getName().matches("^[a-zA-Z][a-zA-Z0-9-]{0,39}$") || u.getName().equals("default")) {
        p.add(new Problem(at + ".name", "a letter, then letters, digits and hyphens, up to 40, and not default"));
      } else if (seen.contains(u.getName())) {
        p.add(new Problem(at + ".name", "\"" + u.getName() + "\" is named twice"));
      }
      seen.add(u.getName());
      int index = i;
      AccessStrings.problem(u.getAccessString()).ifPresent(why -> p.add(new Problem("spec.users[" + index + "].accessString", why)));
      boolean iamVersion = engine == Engine.VALKEY || major(version) >= 7;
      if (u.authenticationOrDefault() == dev.operators.elasticache.api.UserAuthentication.IAM && !iamVersion) {
        p.add(new Problem(at + ".authentication", "iam needs Valkey 7.2 or later or Redis OSS 7.0 or later (AWS's IAM authentication): raise engineVersion or use password"));
      }
    }
  }

  private static int major(String version) {
    try {
      return Integer.parseInt(version.split("\\.")[0]);
    } catch (RuntimeException e) {
      return 0;
    }
  }
}
