package dev.operators.elasticache.resources;

import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.aws.AwsException;
import dev.operators.elasticache.aws.Ec2Port;
import dev.operators.elasticache.aws.SecurityGroupInfo;
import dev.operators.elasticache.decide.Desired;
import dev.operators.elasticache.decide.IngressPlan;
import dev.operators.elasticache.decide.Names;
import dev.operators.elasticache.decide.TagPlan;
import dev.operators.elasticache.fleet.Fleet;
import dev.operators.elasticache.infra.EventRecorder;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The owned security group: created once, holding exactly the ingress rules the spec asks for. */
@ApplicationScoped
public class SecurityGroups {
  private final Ec2Port ec2;
  private final EventRecorder events;
  /** Subnets never change VPC: remember the answer instead of asking EC2 each reconcile. */
  private final Map<List<String>, String> vpcOfSubnets = new ConcurrentHashMap<>();

  private final Fleet fleet;

  public SecurityGroups(Ec2Port ec2, EventRecorder events, Fleet fleet) {
    this.ec2 = ec2;
    this.events = events;
    this.fleet = fleet;
  }

  /** The VPC of the spec's subnets (asked of EC2 once). EC2's errors are thrown as they are. */
  public String vpcId(Desired d) {
    if (d.vpcId() != null) return d.vpcId();
    return vpcOfSubnets.computeIfAbsent(d.subnetIds(), ec2::vpcOfSubnets);
  }

  /** EC2 does not know the spec's subnets, or refuses them. */
  public static boolean subnetsInvalid(AwsException e) {
    return e.is(AwsException.Kind.NOT_FOUND) || e.is(AwsException.Kind.INVALID_INPUT);
  }

  /**
   * The step: the group in line with the spec, its id in the status. With {@code useSweep} (this
   * generation was prepared already), what the last listing saw stands in for a describe (the poller
   * lists the operator's groups for all caches at once); the group the status records is taken
   * from it as it is (its VPC was checked for this generation: a restart asks EC2 nothing). A
   * spec change asks EC2 afresh, unless this process itself made or changed the group since the
   * last listing (a reconcile cut short by the call budget does not describe what it just made).
   */
  public Outcome ensure(Reconcile r, boolean useSweep) {
    RedisCache rc = r.rc();
    Desired d = r.desired();
    String recordedId = rc.getStatus() == null ? null : rc.getStatus().getSecurityGroupId();
    Optional<SecurityGroupInfo> settled = useSweep && recordedId != null
        ? fleet.securityGroup(d.securityGroupName()).filter(g -> recordedId.equals(g.groupId())) : Optional.empty();
    String vpcId;
    try {
      vpcId = settled.isPresent() ? settled.get().vpcId() : vpcId(d);
    } catch (AwsException e) {
      if (subnetsInvalid(e)) return Outcome.stalled("SubnetsInvalid", "spec.network.subnetIds: " + e.awsMessage());
      throw e;
    }
    Optional<SecurityGroupInfo> found = settled.isPresent() ? settled
        : (useSweep ? fleet.securityGroup(d.securityGroupName()) : fleet.recordedSecurityGroup(d.securityGroupName()))
            .filter(g -> vpcId.equals(g.vpcId()));
    // A cache that never recorded a security group creates it straight away; "already exists" (a
    // retry after a crash, or another owner's group) leads to a describe and the owner check.
    boolean recorded = recordedId != null;
    if (found.isEmpty() && recorded) found = ec2.findSecurityGroup(vpcId, d.securityGroupName());
    SecurityGroupInfo sg = null;
    if (found.isEmpty()) {
      try {
        String id = ec2.createSecurityGroup(vpcId, d.securityGroupName(),
            "RedisCache " + d.namespace() + "/" + d.name() + " (managed by rediscache-operator)", d.tags());
        events.normal(rc, "SecurityGroupCreated", "Created security group " + id + " (" + d.securityGroupName() + ") in " + vpcId);
        sg = new SecurityGroupInfo(id, d.securityGroupName(), vpcId, Set.of(), 0, d.tags());
        fleet.recordSecurityGroup(sg); // as AWS has it now: a reconcile cut short before the rules does not create it again
      } catch (AwsException e) {
        if (!e.is(AwsException.Kind.ALREADY_EXISTS)) throw e;
        found = Optional.of(ec2.findSecurityGroup(vpcId, d.securityGroupName()).orElseThrow(() -> e));
      }
    }
    if (sg == null) {
      sg = found.get();
      String owner = sg.tags().get(Names.TAG_UID);
      if (owner != null && !owner.equals(d.uid())) {
        return Outcome.stalled("SecurityGroupOwnedByAnother", "security group " + sg.groupId() + " (" + d.securityGroupName()
            + ") belongs to another RedisCache (uid " + owner + "), probably one deleted with deletionPolicy Retain; delete that group or rename this RedisCache");
      }
    }
    TagPlan tags = TagPlan.of(d.tags(), sg.tags());
    if (!tags.empty()) {
      ec2.tag(sg.groupId(), tags.add(), tags.remove());
      events.normal(rc, "TagsUpdated", "Security group " + sg.groupId() + ": tags set " + tags.add().keySet() + ", removed " + tags.remove());
    }
    IngressPlan plan = IngressPlan.of(d.ingress(), sg.ingress());
    if (!plan.authorize().isEmpty()) {
      ec2.authorizeIngress(sg.groupId(), plan.authorize());
      events.normal(rc, "IngressAuthorized", "Security group " + sg.groupId() + " allows " + plan.authorize());
    }
    if (!plan.revoke().isEmpty()) {
      ec2.revokeIngress(sg.groupId(), plan.revoke());
      events.normal(rc, "IngressRevoked", "Security group " + sg.groupId() + " no longer allows " + plan.revoke());
    }
    if (!plan.empty() || !tags.empty() || found.isEmpty()) {
      fleet.recordSecurityGroup(new SecurityGroupInfo(sg.groupId(), sg.groupName(), vpcId, d.ingress(), sg.otherIngress(), d.tags()));
    }
    r.status().securityGroup(sg.groupId());
    return Outcome.DONE;
  }
}
