package dev.operators.elasticache.resources;

import dev.operators.elasticache.api.DeletionPolicy;
import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.aws.AwsException;
import dev.operators.elasticache.aws.ElastiCachePort;
import dev.operators.elasticache.aws.ServerlessCacheChange;
import dev.operators.elasticache.aws.ServerlessCacheInfo;
import dev.operators.elasticache.aws.ServerlessCacheSpec;
import dev.operators.elasticache.config.OperatorConfig;
import dev.operators.elasticache.decide.Desired;
import dev.operators.elasticache.decide.Names;
import dev.operators.elasticache.decide.Problem;
import dev.operators.elasticache.decide.RestoreCheck;
import dev.operators.elasticache.fleet.Fleet;
import dev.operators.elasticache.infra.EventRecorder;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The serverless cache of a RedisCache with spec.serverless: created (named like a replication group,
 * so a retry after a crash finds its own, by name and uid tag), waited for, kept in line with the
 * spec (limits, security groups, snapshot settings, the user group of spec.users: ModifyServerlessCache),
 * and deleted. What the shared sweep saw (one DescribeServerlessCaches for all caches) stands in for a
 * describe. The user group itself is made first by {@link AppUsers}: a new cache is created with it.
 */
@ApplicationScoped
public class ServerlessCaches {
  static final Duration WAIT = Duration.ofSeconds(15);

  private final ElastiCachePort elastiCache;
  private final Fleet fleet;
  private final EventRecorder events;
  private final String region;

  @jakarta.inject.Inject
  public ServerlessCaches(ElastiCachePort elastiCache, Fleet fleet, EventRecorder events, OperatorConfig config) {
    this(elastiCache, fleet, events, config, config.aws().region());
  }

  /** For the caches of another region (spec.account): its cost estimate. */
  public ServerlessCaches(ElastiCachePort elastiCache, Fleet fleet, EventRecorder events, OperatorConfig config, String region) {
    this.elastiCache = elastiCache;
    this.fleet = fleet;
    this.events = events;
    this.region = region;
  }

  /** The step: the cache exists, is owned by this RedisCache, is in line with the spec, and is available. */
  public Outcome ensure(Reconcile r) {
    RedisCache rc = r.rc();
    Desired d = r.desired();
    String name = d.replicationGroupId();
    Optional<ServerlessCacheInfo> seen = fleet.serverless(name);
    if (seen.isEmpty()) seen = elastiCache.describeServerlessCache(name); // the listing may predate a create (or a restart)
    if (seen.isEmpty()) return create(r);
    ServerlessCacheInfo c = seen.get();
    boolean recorded = rc.getStatus() != null && c.arn() != null && c.arn().equals(rc.getStatus().getReplicationGroupArn());
    if (!recorded) {
      // Found by name, not yet known as ours: it is ours only with this RedisCache's uid tag.
      String owner = elastiCache.tagsOf(c.arn()).get(Names.TAG_UID);
      if (!d.uid().equals(owner)) {
        return Outcome.stalled("ServerlessCacheOwnedByAnother", "serverless cache " + name + " exists and does not belong to this RedisCache"
            + (owner == null ? "" : " (uid " + owner + ")") + "; delete it or rename this RedisCache");
      }
      r.status().restoredFrom(d.restoredFrom()); // created by an attempt whose answer was lost: it was created from the spec's source
    }
    r.status().observedServerless(d, c, region);
    switch (c.status()) {
      case "available" -> { }
      case "create-failed" -> {
        return Outcome.stalled("CreateFailed", "AWS could not create serverless cache " + name + "; delete this RedisCache and create it again");
      }
      default -> {
        fleet.hurry(ReplicationGroups.HURRY);
        return Outcome.waitForAws(reason(c.status()), "Serverless cache " + name + " is " + c.status(), WAIT);
      }
    }
    String recordedGroup = rc.getStatus() == null ? null : rc.getStatus().getUserGroupId();
    ServerlessCacheChange change = changes(d, c, r.status().status().getSecurityGroupId(), recordedGroup);
    if (!change.empty()) {
      try {
        elastiCache.modifyServerlessCache(change);
      } catch (AwsException e) {
        if (e.is(AwsException.Kind.BUSY)) {
          fleet.hurry(ReplicationGroups.HURRY);
          return Outcome.waitForAws("Modifying", "Serverless cache " + name + ": " + e.awsMessage(), WAIT);
        }
        throw e;
      }
      events.normal(rc, "ServerlessCacheModified", "Serverless cache " + name + ": " + describe(change));
      if (change.userGroupId() != null) {
        events.normal(rc, "UserGroupAttached", "Serverless cache " + name + " now uses user group " + change.userGroupId());
      } else if (Boolean.TRUE.equals(change.removeUserGroup())) {
        events.normal(rc, "UserGroupDetached", "Serverless cache " + name + " no longer uses user group " + c.userGroupId()
            + ": spec.users is empty, so the cache has no access control (only its security group)");
      }
      fleet.recordServerless(name, c.withStatus("modifying"));
      fleet.hurry(ReplicationGroups.HURRY);
      return Outcome.waitForAws("Modifying", "Serverless cache " + name + " is modifying: " + describe(change), WAIT);
    }
    r.serverless(c);
    return Outcome.DONE;
  }

  private Outcome create(Reconcile r) {
    RedisCache rc = r.rc();
    Desired d = r.desired();
    String name = d.replicationGroupId();
    List<String> subnets = d.subnetGroupOwned() ? d.subnetIds()
        : elastiCache.findSubnetGroup(d.subnetGroupName()).map(g -> g.subnetIds()).orElse(List.of());
    // spec.restoreFrom: a serverless snapshot, else a node-based one, by its ARN (looked up once, only while the cache
    // is to be created), or the S3 files
    List<String> restore = d.restoreS3Arns();
    String source = d.restoredFrom();
    if (d.restoreSnapshotName() != null) {
      var snapshot = elastiCache.describeServerlessSnapshot(d.restoreSnapshotName());
      RestoreCheck.Verdict verdict;
      String arn;
      if (snapshot.isPresent()) {
        verdict = RestoreCheck.judgeServerless(d, snapshot);
        arn = snapshot.get().arn();
        source = d.restoredFrom(); // "snapshot <name>"
      } else {
        // AWS: "Backups from Valkey or Redis OSS node-based clusters can be restored into a serverless configuration."
        var nodeBased = elastiCache.describeSnapshot(d.restoreSnapshotName());
        verdict = RestoreCheck.judgeServerlessFromNodeBased(d, nodeBased);
        arn = nodeBased.map(x -> x.arn()).orElse(null);
        source = "node-based snapshot " + d.restoreSnapshotName() + nodeBased.map(x -> x.replicationGroupId() == null ? "" : " of replication group "
            + x.replicationGroupId()).orElse("");
      }
      if (verdict instanceof RestoreCheck.Wait w) return Outcome.waitForAws("WaitingForSnapshot", w.message(), WAIT);
      if (verdict instanceof RestoreCheck.Refuse refused) return Outcome.stalled("RestoreSourceUnusable", Problem.describe(List.of(refused.problem())));
      restore = List.of(arn);
    }
    ServerlessCacheSpec spec = new ServerlessCacheSpec(name, "RedisCache " + d.namespace() + "/" + d.name(), d.engine().awsName(),
        d.majorEngineVersion(), d.maxDataStorageGB(), d.maxECPUPerSecond(), securityGroupIds(d, r.status().status().getSecurityGroupId()),
        subnets, d.kmsKeyId(), d.backupRetentionDays(), dailySnapshotTime(d), d.tags(), restore, d.userGroupId());
    ServerlessCacheInfo created;
    try {
      created = elastiCache.createServerlessCache(spec);
    } catch (AwsException e) {
      if (e.is(AwsException.Kind.INVALID_INPUT) && d.restoredFrom() != null) {
        // AWS refused the data to restore (an S3 file it cannot read, a snapshot gone meanwhile): the field, with AWS's words
        return Outcome.stalled("RestoreSourceUnusable", "spec.restoreFrom: AWS refused to restore serverless cache " + name + " from "
            + d.restoredFrom() + ": " + e.awsMessage());
      }
      if (!e.is(AwsException.Kind.ALREADY_EXISTS)) throw e;
      // Made by an earlier attempt whose answer was lost: the next reconcile checks its owner and waits for it.
      fleet.hurry(ReplicationGroups.HURRY);
      return Outcome.waitForAws("Creating", "Serverless cache " + name + " exists already; checking it is this RedisCache's", Duration.ofSeconds(1));
    }
    events.normal(rc, "ServerlessCacheCreating", "Creating serverless cache " + name + " (" + d.engine().awsName() + " " + d.majorEngineVersion()
        + limits(d.maxDataStorageGB(), d.maxECPUPerSecond()) + (source == null ? "" : ", restored from " + source + " (" + String.join(",", restore) + ")")
        + (d.userGroupId() == null ? "" : ", user group " + d.userGroupId()) + ")");
    r.status().restoredFrom(d.restoredFrom());
    fleet.recordServerless(name, created);
    fleet.hurry(ReplicationGroups.HURRY);
    r.status().observedServerless(d, created, region);
    return Outcome.waitForAws("Creating", "Serverless cache " + name + " is being created", WAIT);
  }

  /**
   * The deletion step: deleted (with a final snapshot when deletionPolicy is Snapshot), and waited
   * for until it is gone; a cache without this RedisCache's uid tag is left alone.
   */
  public Outcome delete(RedisCache rc, Desired d) {
    String name = d.replicationGroupId();
    Optional<ServerlessCacheInfo> seen = fleet.serverless(name);
    if (seen.isEmpty()) seen = elastiCache.describeServerlessCache(name);
    if (seen.isEmpty()) return Outcome.DONE;
    ServerlessCacheInfo c = seen.get();
    if ("deleting".equals(c.status())) {
      fleet.hurry(ReplicationGroups.HURRY);
      return Outcome.waitForAws("Deleting", "Serverless cache " + name + " is being deleted", WAIT);
    }
    if (!c.available() && !"create-failed".equals(c.status())) {
      fleet.hurry(ReplicationGroups.HURRY);
      return Outcome.waitForAws("WaitingToDelete", "Serverless cache " + name + " is " + c.status() + "; it is deleted as soon as AWS allows", WAIT);
    }
    Map<String, String> tags = elastiCache.tagsOf(c.arn());
    if (!d.uid().equals(tags.get(Names.TAG_UID))) {
      events.warning(rc, "NotOwned", "Serverless cache " + name + " does not belong to this RedisCache; left untouched");
      return Outcome.DONE;
    }
    String snapshot = d.deletionPolicy() == DeletionPolicy.Snapshot ? Names.finalSnapshotName(name, d.uid()) : null;
    try {
      elastiCache.deleteServerlessCache(name, snapshot);
    } catch (AwsException e) {
      if (e.is(AwsException.Kind.NOT_FOUND)) return Outcome.DONE;
      if (e.is(AwsException.Kind.BUSY)) {
        fleet.hurry(ReplicationGroups.HURRY);
        return Outcome.waitForAws("WaitingToDelete", "Serverless cache " + name + ": " + e.awsMessage(), WAIT);
      }
      throw e;
    }
    if (snapshot != null) events.normal(rc, "FinalSnapshot", "Taking final snapshot " + snapshot + " of serverless cache " + name);
    events.normal(rc, "DeletingServerlessCache", "Deleting serverless cache " + name);
    fleet.recordServerless(name, c.withStatus("deleting"));
    fleet.hurry(ReplicationGroups.HURRY);
    return Outcome.waitForAws("Deleting", "Serverless cache " + name + " is being deleted", WAIT);
  }

  /**
   * What ModifyServerlessCache must change for the cache to match the spec (a limit removed from the
   * spec is left as AWS has it). The user group: spec.users' group when the cache has another or none
   * (UserGroupId); with no users, the group this RedisCache recorded is removed (RemoveUserGroup), and
   * a group it did not make is left alone.
   */
  static ServerlessCacheChange changes(Desired d, ServerlessCacheInfo c, String ownedSecurityGroupId, String recordedUserGroupId) {
    ServerlessCacheChange change = ServerlessCacheChange.of(c.name());
    if (d.userGroupId() != null && !d.userGroupId().equals(c.userGroupId())) change = change.withUserGroup(d.userGroupId());
    if (d.userGroupId() == null && c.userGroupId() != null && c.userGroupId().equals(recordedUserGroupId)) change = change.withoutUserGroup();
    Integer storage = d.maxDataStorageGB() != null && !d.maxDataStorageGB().equals(c.maxDataStorageGB()) ? d.maxDataStorageGB() : null;
    Integer ecpu = d.maxECPUPerSecond() != null && !d.maxECPUPerSecond().equals(c.maxECPUPerSecond()) ? d.maxECPUPerSecond() : null;
    if (storage != null || ecpu != null) change = change.withLimits(storage, ecpu);
    List<String> sgs = securityGroupIds(d, ownedSecurityGroupId);
    if (!new TreeSet<>(sgs).equals(new TreeSet<>(c.securityGroupIds()))) change = change.withSecurityGroupIds(sgs);
    String daily = dailySnapshotTime(d);
    boolean retention = d.backupRetentionDays() != c.snapshotRetentionLimit();
    boolean time = daily != null && !daily.equals(c.dailySnapshotTime());
    if (retention || time) change = change.withSnapshots(retention ? d.backupRetentionDays() : null, time ? daily : null);
    return change;
  }

  static List<String> securityGroupIds(Desired d, String owned) {
    List<String> out = new ArrayList<>();
    if (owned != null) out.add(owned);
    out.addAll(d.additionalSecurityGroupIds());
    return out;
  }

  /** spec.backups.window is hh24:mi-hh24:mi; a serverless cache takes its daily snapshot at the window's start. */
  static String dailySnapshotTime(Desired d) {
    return d.backupWindow() == null ? null : d.backupWindow().split("-")[0];
  }

  private static String describe(ServerlessCacheChange c) {
    List<String> parts = new ArrayList<>();
    if (c.maxDataStorageGB() != null) parts.add("maxDataStorageGB " + c.maxDataStorageGB());
    if (c.maxECPUPerSecond() != null) parts.add("maxECPUPerSecond " + c.maxECPUPerSecond());
    if (c.securityGroupIds() != null) parts.add("security groups " + c.securityGroupIds());
    if (c.snapshotRetentionLimit() != null) parts.add("snapshot retention " + c.snapshotRetentionLimit() + " days");
    if (c.dailySnapshotTime() != null) parts.add("daily snapshot at " + c.dailySnapshotTime());
    if (c.userGroupId() != null) parts.add("user group " + c.userGroupId());
    if (Boolean.TRUE.equals(c.removeUserGroup())) parts.add("user group removed");
    return String.join(", ", parts);
  }

  private static String limits(Integer storage, Integer ecpu) {
    return (storage == null ? "" : ", at most " + storage + " GB") + (ecpu == null ? "" : ", at most " + ecpu + " ECPU/s");
  }

  private static String reason(String status) {
    return switch (status) {
      case "creating" -> "Creating";
      case "modifying" -> "Modifying";
      case "deleting" -> "Deleting";
      default -> "WaitingForAws";
    };
  }
}
