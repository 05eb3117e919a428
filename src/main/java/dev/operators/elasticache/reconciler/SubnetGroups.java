package dev.operators.elasticache.reconciler;

import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.aws.AwsException;
import dev.operators.elasticache.aws.ElastiCachePort;
import dev.operators.elasticache.decide.Desired;
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

  public String ensure(RedisCache rc, Desired d) {
    if (!d.subnetGroupOwned()) {
      if (elastiCache.findSubnetGroup(d.subnetGroupName()).isEmpty()) {
        throw new Stall("SubnetGroupNotFound", "spec.network.subnetGroupName: cache subnet group " + d.subnetGroupName()
            + " does not exist; create it or give subnetIds instead");
      }
      return d.subnetGroupName();
    }
    var found = elastiCache.findSubnetGroup(d.subnetGroupName());
    if (found.isEmpty()) {
      try {
        elastiCache.createSubnetGroup(d.subnetGroupName(), "RedisCache " + d.namespace() + "/" + d.name(), d.subnetIds(), d.tags());
        events.normal(rc, "SubnetGroupCreated", "Created cache subnet group " + d.subnetGroupName() + " with " + d.subnetIds());
      } catch (AwsException e) {
        if (!e.is(AwsException.Kind.ALREADY_EXISTS)) throw e;
      }
    } else if (!new java.util.TreeSet<>(found.get().subnetIds()).equals(new java.util.TreeSet<>(d.subnetIds()))) {
      try {
        elastiCache.modifySubnetGroup(d.subnetGroupName(), d.subnetIds());
      } catch (AwsException e) {
        if (e.is(AwsException.Kind.INVALID_INPUT)) throw new Stall("SubnetsInvalid", "spec.network.subnetIds: AWS refused them: " + e.awsMessage());
        throw e;
      }
      events.normal(rc, "SubnetGroupModified", "Cache subnet group " + d.subnetGroupName() + " now has " + d.subnetIds()
          + " (was " + found.get().subnetIds() + ")");
    }
    return d.subnetGroupName();
  }
}
