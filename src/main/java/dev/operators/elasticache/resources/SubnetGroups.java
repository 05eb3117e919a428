package dev.operators.elasticache.resources;

import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.aws.AwsException;
import dev.operators.elasticache.aws.ElastiCachePort;
import dev.operators.elasticache.decide.Desired;
import dev.operators.elasticache.infra.EventRecorder;
import jakarta.enterprise.context.ApplicationScoped;

/** The cache subnet group: created and owned from subnetIds, or the user's, only checked. */
@ApplicationScoped
public class SubnetGroups {
  private final ElastiCachePort elastiCache;
  private final EventRecorder events;

  public SubnetGroups(ElastiCachePort elastiCache, EventRecorder events) {
    this.elastiCache = elastiCache;
    this.events = events;
  }

  /** The step: the subnet group in line with the spec, its name in the status. */
  public Outcome ensure(Reconcile r) {
    RedisCache rc = r.rc();
    Desired d = r.desired();
    if (!d.subnetGroupOwned()) {
      if (elastiCache.findSubnetGroup(d.subnetGroupName()).isEmpty()) {
        return Outcome.stalled("SubnetGroupNotFound", "spec.network.subnetGroupName: cache subnet group " + d.subnetGroupName()
            + " does not exist; create it or give subnetIds instead");
      }
      return named(r);
    }
    // A cache that never recorded its subnet group creates it straight away (a retry after a crash
    // finds it through AWS's "already exists"); one that did describes it to follow the spec.
    boolean recorded = rc.getStatus() != null && rc.getStatus().getSubnetGroupName() != null;
    var found = recorded ? elastiCache.findSubnetGroup(d.subnetGroupName()) : java.util.Optional.<dev.operators.elasticache.aws.SubnetGroupInfo>empty();
    if (found.isEmpty()) {
      try {
        elastiCache.createSubnetGroup(d.subnetGroupName(), "RedisCache " + d.namespace() + "/" + d.name(), d.subnetIds(), d.tags());
        events.normal(rc, "SubnetGroupCreated", "Created cache subnet group " + d.subnetGroupName() + " with " + d.subnetIds());
      } catch (AwsException e) {
        if (!e.is(AwsException.Kind.ALREADY_EXISTS)) throw e;
        if (!recorded) return ensureExisting(r, elastiCache.findSubnetGroup(d.subnetGroupName()));
      }
      return named(r);
    }
    return ensureExisting(r, found);
  }

  private Outcome named(Reconcile r) {
    r.status().subnetGroup(r.desired().subnetGroupName());
    return Outcome.DONE;
  }

  private Outcome ensureExisting(Reconcile r, java.util.Optional<dev.operators.elasticache.aws.SubnetGroupInfo> found) {
    RedisCache rc = r.rc();
    Desired d = r.desired();
    if (found.isEmpty()) return named(r);
    if (!new java.util.TreeSet<>(found.get().subnetIds()).equals(new java.util.TreeSet<>(d.subnetIds()))) {
      try {
        elastiCache.modifySubnetGroup(d.subnetGroupName(), d.subnetIds());
      } catch (AwsException e) {
        if (e.is(AwsException.Kind.INVALID_INPUT)) return Outcome.stalled("SubnetsInvalid", "spec.network.subnetIds: AWS refused them: " + e.awsMessage());
        throw e;
      }
      events.normal(rc, "SubnetGroupModified", "Cache subnet group " + d.subnetGroupName() + " now has " + d.subnetIds()
          + " (was " + found.get().subnetIds() + ")");
    }
    return named(r);
  }
}
