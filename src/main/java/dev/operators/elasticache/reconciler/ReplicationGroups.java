package dev.operators.elasticache.reconciler;

import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.aws.AwsException;
import dev.operators.elasticache.aws.ElastiCachePort;
import dev.operators.elasticache.aws.ObservedGroup;
import dev.operators.elasticache.aws.ReplicationGroupInfo;
import dev.operators.elasticache.aws.ReplicationGroupSpec;
import dev.operators.elasticache.decide.Desired;
import dev.operators.elasticache.decide.Names;
import dev.operators.elasticache.decide.StatusBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The replication group: created once with every setting of the spec, then watched through the
 * fleet sweep. Never waits on a thread: while AWS works it ends the reconcile with a {@link Wait}.
 */
@ApplicationScoped
public class ReplicationGroups {
  static final Duration RECHECK = Duration.ofSeconds(60);
  static final Duration HURRY = Duration.ofMinutes(20);

  private final ElastiCachePort elastiCache;
  private final Fleet fleet;
  private final EventRecorder events;

  public ReplicationGroups(ElastiCachePort elastiCache, Fleet fleet, EventRecorder events) {
    this.elastiCache = elastiCache;
    this.fleet = fleet;
    this.events = events;
  }

  /** Returns the group once AWS reports it available; otherwise creates it or waits. */
  public ObservedGroup ensure(RedisCache rc, Desired d, String securityGroupId, String token, StatusBuilder status) {
    ObservedGroup g = fleet.get(d.replicationGroupId()).orElse(null);
    if (g == null) {
      g = create(rc, d, securityGroupId, token);
      status.observed(d, g);
      fleet.hurry(HURRY);
      throw new Wait("Creating", "Replication group " + d.replicationGroupId() + " is " + g.group().status(), RECHECK);
    }
    boolean verified = rc.getStatus() != null && g.group().arn() != null && g.group().arn().equals(rc.getStatus().getReplicationGroupArn());
    if (!verified && g.group().arn() != null) checkOwner(d, g.group().arn());
    status.observed(d, g);
    if (g.group().deleting()) {
      fleet.hurry(HURRY);
      throw new Wait("WaitingForOldGroup", "An earlier replication group " + d.replicationGroupId() + " is being deleted", RECHECK);
    }
    if (!g.group().available()) {
      fleet.hurry(HURRY);
      throw new Wait(capitalize(g.group().status()), "Replication group " + d.replicationGroupId() + " is " + g.group().status(), RECHECK);
    }
    return g;
  }

  private ObservedGroup create(RedisCache rc, Desired d, String securityGroupId, String token) {
    ReplicationGroupSpec spec = d.replicationGroupSpec(securityGroupId).withAuthToken(token);
    try {
      ReplicationGroupInfo created = elastiCache.createReplicationGroup(spec);
      ObservedGroup g = new ObservedGroup(created, List.of());
      fleet.record(d.replicationGroupId(), g);
      events.normal(rc, "CreatingReplicationGroup", "Creating replication group " + d.replicationGroupId() + ": " + summary(d));
      return g;
    } catch (AwsException e) {
      if (e.is(AwsException.Kind.INVALID_INPUT)) {
        throw new Stall("AwsRejectedSpec", "AWS refused to create the replication group: " + e.awsMessage());
      }
      if (!e.is(AwsException.Kind.ALREADY_EXISTS)) throw e;
      // A retry or a restart after an earlier create: take what is there, if it is ours.
      ObservedGroup g = elastiCache.describeReplicationGroup(d.replicationGroupId()).orElseThrow(() -> e);
      checkOwner(d, g.group().arn());
      fleet.record(d.replicationGroupId(), g);
      return g;
    }
  }

  private void checkOwner(Desired d, String arn) {
    Map<String, String> tags = elastiCache.tagsOf(arn);
    String owner = tags.get(Names.TAG_UID);
    if (owner == null || !owner.equals(d.uid())) {
      throw new Stall("ReplicationGroupOwnedByAnother", "replication group " + d.replicationGroupId()
          + " exists and does not belong to this RedisCache (owner uid " + (owner == null ? "none" : owner)
          + "); delete it, or give this RedisCache another name");
    }
  }

  static String summary(Desired d) {
    return d.engine().awsName() + " " + d.engineVersion() + ", " + d.nodeType() + ", " + d.shards() + " shard(s) x "
        + d.replicasPerShard() + " replica(s)" + (d.clusterMode() ? ", cluster mode" : "")
        + (d.multiAZ() ? ", Multi-AZ" : "") + (d.tls() ? ", TLS" : "") + (d.auth() ? ", AUTH" : "")
        + (d.atRest() ? ", encrypted at rest" : "") + (d.backupRetentionDays() > 0 ? ", backups " + d.backupRetentionDays() + "d" : "");
  }

  private static String capitalize(String s) {
    if (s == null || s.isEmpty()) return "Waiting";
    String camel = s.replaceAll("[^A-Za-z]", "");
    return Character.toUpperCase(camel.charAt(0)) + camel.substring(1);
  }
}
