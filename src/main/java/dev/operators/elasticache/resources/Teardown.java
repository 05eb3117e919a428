package dev.operators.elasticache.resources;

import dev.operators.elasticache.api.DeletionPolicy;
import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.aws.AwsException;
import dev.operators.elasticache.aws.Ec2Port;
import dev.operators.elasticache.aws.ElastiCachePort;
import dev.operators.elasticache.aws.ObservedGroup;
import dev.operators.elasticache.aws.SecretsPort;
import dev.operators.elasticache.aws.SecurityGroupInfo;
import dev.operators.elasticache.decide.Desired;
import dev.operators.elasticache.decide.Names;
import dev.operators.elasticache.fleet.Fleet;
import dev.operators.elasticache.infra.EventRecorder;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Removes what the operator created, one step at a time, which the reconciler takes in reverse
 * order of creation: replication group (and waits until it is gone), alarms and log groups,
 * parameter group, subnet group, security group, Secrets Manager secret. "In use" and "busy"
 * answers mean try again later. What the user named is never deleted. With deletionPolicy Retain
 * nothing is deleted, and the replication group is released: its ownership tags are removed.
 */
@ApplicationScoped
public class Teardown {
  private final ElastiCachePort elastiCache;
  private final Ec2Port ec2;
  private final SecretsPort secrets;
  private final Fleet fleet;
  private final SecurityGroups securityGroups;
  private final EventRecorder events;
  private final Monitoring monitoring;

  public Teardown(ElastiCachePort elastiCache, Ec2Port ec2, SecretsPort secrets, Fleet fleet, SecurityGroups securityGroups,
      Monitoring monitoring, EventRecorder events) {
    this.monitoring = monitoring;
    this.elastiCache = elastiCache;
    this.ec2 = ec2;
    this.secrets = secrets;
    this.fleet = fleet;
    this.securityGroups = securityGroups;
    this.events = events;
  }

  /**
   * deletionPolicy Retain: nothing is deleted; the replication group (or serverless cache) is
   * released (its ownership tags removed).
   */
  public Outcome retain(RedisCache rc, Desired d) {
    if (d.serverless()) {
      boolean released = releaseServerless(rc, d);
      events.normal(rc, "Retained", "deletionPolicy is Retain: serverless cache " + d.replicationGroupId()
          + " and everything the operator created for it are left in AWS"
          + (released ? "; the cache's ownership tags were removed, so no RedisCache claims it any more" : ""));
      return Outcome.DONE;
    }
    boolean released = release(rc, d);
    events.normal(rc, "Retained", "deletionPolicy is Retain: replication group " + d.replicationGroupId()
        + " and everything the operator created for it are left in AWS"
        + (released ? "; the group's ownership tags were removed, so it can be adopted again (with its owner's consent)" : ""));
    return Outcome.DONE;
  }

  /** The cache's alarms, and the log groups the operator created for it. */
  public Outcome monitoring(RedisCache rc, Desired d) {
    monitoring.teardown(rc, d);
    return Outcome.DONE;
  }

  /** The parameter group in use and any the operator made for other families. */
  public Outcome parameterGroups(Desired d) {
    List<String> parameterGroups = new ArrayList<>(d.staleParameterGroupNames());
    if (d.parameterGroupName() != null) parameterGroups.add(0, d.parameterGroupName());
    for (String name : parameterGroups) {
      Outcome deleted = deleteIgnoringMissing(() -> elastiCache.deleteParameterGroup(name), "parameter group " + name);
      if (!deleted.done()) return deleted;
    }
    return Outcome.DONE;
  }

  /** The subnet group, when the operator made it. */
  public Outcome subnetGroup(Desired d) {
    if (!d.subnetGroupOwned()) return Outcome.DONE;
    return deleteIgnoringMissing(() -> elastiCache.deleteSubnetGroup(d.subnetGroupName()), "cache subnet group " + d.subnetGroupName());
  }

  /** The Secrets Manager secret holding the token, when the operator keeps one. */
  public Outcome authSecret(RedisCache rc, Desired d) {
    // Also when the spec turned auth off since: the status still records the secret the operator made.
    boolean recorded = rc.getStatus() != null && rc.getStatus().getAuthSecretArn() != null;
    if ((d.auth() || recorded) && d.secretsManager()) secrets.delete(d.authSecretName());
    return Outcome.DONE;
  }

  /** Everything is gone. */
  public Outcome deleted(RedisCache rc, Desired d) {
    events.normal(rc, "Deleted", "Deleted replication group " + d.replicationGroupId() + " and everything the operator created for it");
    return Outcome.DONE;
  }

  /**
   * Hands a retained group back: its ownership tags go, so it is nobody's and a new RedisCache can
   * adopt it (with consent) instead of finding it owned by a RedisCache that no longer exists.
   * Returns whether tags were removed. Only a group carrying this RedisCache's uid is touched.
   */
  private boolean release(RedisCache rc, Desired d) {
    Optional<ObservedGroup> seen = fleet.get(d.replicationGroupId());
    if (seen.isEmpty()) seen = elastiCache.describeReplicationGroup(d.replicationGroupId());
    if (seen.isEmpty() || seen.get().group().deleting() || seen.get().group().arn() == null) return false;
    return removeOwnerTags(rc, d, seen.get().group().arn(), "replication group " + d.replicationGroupId());
  }

  /** As {@link #release}, for the serverless cache of a serverless RedisCache. */
  private boolean releaseServerless(RedisCache rc, Desired d) {
    Optional<dev.operators.elasticache.aws.ServerlessCacheInfo> seen = fleet.serverless(d.replicationGroupId());
    if (seen.isEmpty()) seen = elastiCache.describeServerlessCache(d.replicationGroupId());
    if (seen.isEmpty() || "deleting".equals(seen.get().status()) || seen.get().arn() == null) return false;
    return removeOwnerTags(rc, d, seen.get().arn(), "serverless cache " + d.replicationGroupId());
  }

  /** Removes the ownership tags of the resource at {@code arn} when they name this RedisCache; whether it did. */
  private boolean removeOwnerTags(RedisCache rc, Desired d, String arn, String what) {
    Map<String, String> tags = elastiCache.tagsOf(arn);
    if (!d.uid().equals(tags.get(Names.TAG_UID))) return false;
    try {
      elastiCache.removeTags(arn, Names.releasedTags(tags));
      return true;
    } catch (AwsException e) {
      if (e.is(AwsException.Kind.NOT_FOUND)) return false;
      if (e.retryable()) throw e;
      // Access denied and the like: the deletion goes on, and a person can finish the release.
      events.warning(rc, "ReleaseFailed", "Could not remove the ownership tags of " + what
          + " (" + e.code() + ": " + e.awsMessage() + "); until someone removes " + Names.releasedTags(tags)
          + ", it stays marked as this deleted RedisCache's" + (d.serverless() ? "" : " and cannot be adopted again"));
      return false;
    }
  }

  /** The replication group (with a final snapshot when asked): deleted, and waited for until it is gone. */
  public Outcome replicationGroup(RedisCache rc, Desired d) {
    Optional<ObservedGroup> seen = fleet.get(d.replicationGroupId());
    if (seen.isEmpty()) {
      // The sweep may predate a recent create: confirm with AWS before deleting what depends on it.
      seen = elastiCache.describeReplicationGroup(d.replicationGroupId());
      if (seen.isEmpty()) return Outcome.DONE;
    }
    ObservedGroup g = seen.get();
    if (g.group().deleting()) {
      fleet.hurry(ReplicationGroups.HURRY);
      return Outcome.waitForAws("Deleting", "Replication group " + d.replicationGroupId() + " is being deleted", Duration.ofSeconds(30));
    }
    if (!g.group().available() && !"create-failed".equals(g.group().status())) {
      // AWS refuses DeleteReplicationGroup while it creates, modifies or snapshots the group: wait for it, quietly.
      fleet.hurry(ReplicationGroups.HURRY);
      return Outcome.waitForAws("WaitingToDelete", "Replication group " + d.replicationGroupId() + " is " + g.group().status()
          + "; it is deleted as soon as AWS allows", Duration.ofSeconds(30));
    }
    Map<String, String> tags = elastiCache.tagsOf(g.group().arn());
    if (!d.uid().equals(tags.get(Names.TAG_UID))) {
      events.warning(rc, "NotOwned", "Replication group " + d.replicationGroupId() + " does not belong to this RedisCache; left untouched");
      return Outcome.DONE;
    }
    String snapshot = d.deletionPolicy() == DeletionPolicy.Snapshot ? Names.finalSnapshotName(d.replicationGroupId(), d.uid()) : null;
    try {
      elastiCache.deleteReplicationGroup(d.replicationGroupId(), snapshot);
    } catch (AwsException e) {
      if (e.is(AwsException.Kind.NOT_FOUND)) return Outcome.DONE;
      if (e.is(AwsException.Kind.BUSY)) {
        // The sweep saw it available, AWS has since started something (a backup): wait, quietly.
        fleet.record(d.replicationGroupId(), g.withStatus("modifying"));
        fleet.hurry(ReplicationGroups.HURRY);
        return Outcome.waitForAws("WaitingToDelete", "Replication group " + d.replicationGroupId() + ": " + e.awsMessage(), Duration.ofSeconds(30));
      }
      throw e;
    }
    if (snapshot != null) {
      events.normal(rc, "FinalSnapshot", "Taking final snapshot " + snapshot + " of replication group " + d.replicationGroupId());
    }
    events.normal(rc, "DeletingReplicationGroup", "Deleting replication group " + d.replicationGroupId());
    fleet.record(d.replicationGroupId(), g.withStatus("deleting"));
    fleet.hurry(ReplicationGroups.HURRY);
    return Outcome.waitForAws("Deleting", "Replication group " + d.replicationGroupId() + " is being deleted", Duration.ofSeconds(30));
  }

  /** The security group the operator made (the one in the status, or found by name and uid tag). */
  public Outcome securityGroup(RedisCache rc, Desired d) {
    String id = rc.getStatus() == null ? null : rc.getStatus().getSecurityGroupId();
    if (id == null) {
      String vpcId;
      try {
        vpcId = securityGroups.vpcId(d);
      } catch (AwsException e) {
        if (SecurityGroups.subnetsInvalid(e)) return Outcome.DONE; // the subnets are gone, and with them any group in their VPC we could have made
        throw e;
      }
      Optional<SecurityGroupInfo> found = ec2.findSecurityGroup(vpcId, d.securityGroupName());
      if (found.isEmpty() || !d.uid().equals(found.get().tags().get(Names.TAG_UID))) return Outcome.DONE;
      id = found.get().groupId();
    }
    String groupId = id;
    return deleteIgnoringMissing(() -> ec2.deleteSecurityGroup(groupId), "security group " + groupId);
  }

  private static Outcome deleteIgnoringMissing(Runnable delete, String what) {
    try {
      delete.run();
      return Outcome.DONE;
    } catch (AwsException e) {
      if (e.is(AwsException.Kind.NOT_FOUND)) return Outcome.DONE;
      if (e.is(AwsException.Kind.BUSY)) {
        return Outcome.waitForAws("WaitingForDependents", what + " is still in use (" + e.awsMessage() + ")", Duration.ofSeconds(15));
      }
      throw e;
    }
  }
}
