package dev.operators.elasticache.resources;

import dev.operators.elasticache.api.NetworkStatus;
import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.api.SubnetSelectorSpec;
import dev.operators.elasticache.aws.AwsException;
import dev.operators.elasticache.aws.Ec2Port;
import dev.operators.elasticache.aws.ElastiCachePort;
import dev.operators.elasticache.aws.SubnetInfo;
import dev.operators.elasticache.decide.Desired;
import dev.operators.elasticache.decide.DesiredBuilder;
import dev.operators.elasticache.decide.Problem;
import dev.operators.elasticache.decide.StatusBuilder;
import dev.operators.elasticache.decide.SubnetSelection;
import dev.operators.elasticache.infra.EventRecorder;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * The cache subnet group: created and owned from subnetIds (or the subnets subnetSelector picks),
 * or the user's, only checked.
 */
@ApplicationScoped
public class SubnetGroups {
  private final ElastiCachePort elastiCache;
  private final Ec2Port ec2;
  private final EventRecorder events;

  public SubnetGroups(ElastiCachePort elastiCache, Ec2Port ec2, EventRecorder events) {
    this.elastiCache = elastiCache;
    this.ec2 = ec2;
    this.events = events;
  }

  /**
   * spec.network.subnetSelector, before any step: the subnets it picks in status.network. EC2 is
   * asked (one DescribeSubnets) only when the status holds no subnets for this very selector, or
   * when the ones it holds cannot serve the spec (Multi-AZ in one zone: perhaps more subnets were
   * tagged since). Without a selector, status.network is cleared.
   */
  public Outcome select(RedisCache rc, StatusBuilder status) {
    SubnetSelectorSpec selector = rc.getSpec().getNetwork().getSubnetSelector();
    if (selector == null) {
      status.network(null);
      return Outcome.DONE;
    }
    boolean multiAZ = rc.getSpec().isMultiAZ();
    Optional<NetworkStatus> recorded = SubnetSelection.recorded(selector, rc.getStatus() == null ? null : rc.getStatus().getNetwork())
        .filter(n -> SubnetSelection.availabilityZones(n, multiAZ).isEmpty());
    NetworkStatus network;
    if (recorded.isPresent()) {
      network = recorded.get();
    } else {
      List<SubnetInfo> found;
      try {
        found = ec2.subnetsTagged(selector.getVpcId(), selector.getTags());
      } catch (AwsException e) {
        if (SecurityGroups.subnetsInvalid(e)) return Outcome.stalled("SubnetsInvalid", SubnetSelection.FIELD + ": " + e.awsMessage());
        throw e;
      }
      if (found.isEmpty()) return Outcome.stalled("NoSubnetsSelected", Problem.describe(List.of(SubnetSelection.none(selector))));
      network = SubnetSelection.resolved(selector, found);
      Optional<Problem> zones = SubnetSelection.availabilityZones(network, multiAZ);
      if (zones.isPresent()) return Outcome.stalled("SubnetsInOneAvailabilityZone", Problem.describe(List.of(zones.get())));
      NetworkStatus before = rc.getStatus() == null ? null : rc.getStatus().getNetwork();
      if (!network.equals(before)) {
        events.normal(rc, "SubnetsSelected", "spec.network.subnetSelector picked " + network.getSubnetIds() + " in "
            + String.join(", ", network.getAvailabilityZones()));
      }
    }
    status.network(network);
    return Outcome.DONE;
  }

  /** The desired state with the subnets the selector picked (as {@link #select} recorded them); unchanged without a selector. */
  public static Desired withSelected(Desired d, StatusBuilder status) {
    NetworkStatus network = status.status().getNetwork();
    if (network == null || network.getSubnetIds() == null) return d;
    return DesiredBuilder.builder(d).subnetIds(List.copyOf(network.getSubnetIds())).build();
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
        if (e.is(AwsException.Kind.INVALID_INPUT)) {
          String field = rc.getSpec().getNetwork().getSubnetSelector() != null ? SubnetSelection.FIELD : "spec.network.subnetIds";
          return Outcome.stalled("SubnetsInvalid", field + ": AWS refused them: " + e.awsMessage());
        }
        throw e;
      }
      events.normal(rc, "SubnetGroupModified", "Cache subnet group " + d.subnetGroupName() + " now has " + d.subnetIds()
          + " (was " + found.get().subnetIds() + ")");
    }
    return named(r);
  }
}
