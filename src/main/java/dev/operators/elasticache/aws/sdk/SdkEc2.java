package dev.operators.elasticache.aws.sdk;

import dev.operators.elasticache.aws.AwsException;
import dev.operators.elasticache.aws.Ec2Port;
import dev.operators.elasticache.aws.IngressRule;
import dev.operators.elasticache.aws.SecurityGroupInfo;
import dev.operators.elasticache.aws.SubnetInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;

/** EC2 through the AWS SDK. */
public final class SdkEc2 implements Ec2Port {
  private static final String SVC = "ec2";
  private final Ec2Client ec2;
  private final AwsCalls calls;

  public SdkEc2(Ec2Client ec2, AwsCalls calls) {
    this.ec2 = ec2;
    this.calls = calls;
  }

  @Override
  public String vpcOfSubnets(List<String> subnetIds) {
    List<Subnet> subnets = calls.run(SVC, "DescribeSubnets", () -> ec2.describeSubnets(r -> r.subnetIds(subnetIds)).subnets());
    Set<String> vpcs = subnets.stream().map(Subnet::vpcId).collect(Collectors.toSet());
    if (subnets.size() < new HashSet<>(subnetIds).size()) {
      throw new AwsException(AwsException.Kind.NOT_FOUND, "ec2:DescribeSubnets", "InvalidSubnetID.NotFound",
          "some of the subnets " + subnetIds + " do not exist");
    }
    if (vpcs.size() != 1) {
      throw new AwsException(AwsException.Kind.INVALID_INPUT, "ec2:DescribeSubnets", "SubnetsInSeveralVpcs",
          "the subnets " + subnetIds + " are in " + vpcs.size() + " VPCs " + vpcs + "; all must be in one VPC");
    }
    return vpcs.iterator().next();
  }

  @Override
  public List<SubnetInfo> subnetsTagged(String vpcId, Map<String, String> tags) {
    List<Filter> filters = new ArrayList<>();
    filters.add(Filter.builder().name("vpc-id").values(vpcId).build());
    new java.util.TreeMap<>(tags).forEach((k, v) -> filters.add(Filter.builder().name("tag:" + k).values(v).build()));
    List<SubnetInfo> out = new ArrayList<>();
    String token = null;
    do {
      String next = token;
      var page = calls.run(SVC, "DescribeSubnets", () -> ec2.describeSubnets(r -> r.filters(filters).maxResults(1000).nextToken(next)));
      page.subnets().forEach(s -> out.add(new SubnetInfo(s.subnetId(), s.vpcId(), s.availabilityZone())));
      token = page.nextToken();
    } while (token != null && !token.isEmpty());
    out.sort(java.util.Comparator.comparing(SubnetInfo::subnetId));
    return out;
  }

  @Override
  public Optional<SecurityGroupInfo> findSecurityGroup(String vpcId, String groupName) {
    List<SecurityGroup> groups = calls.run(SVC, "DescribeSecurityGroups", () -> ec2.describeSecurityGroups(r -> r.filters(
        Filter.builder().name("group-name").values(groupName).build(),
        Filter.builder().name("vpc-id").values(vpcId).build())).securityGroups());
    return groups.stream().findFirst().map(SdkEc2::toInfo);
  }

  @Override
  public String createSecurityGroup(String vpcId, String groupName, String description, Map<String, String> tags) {
    return calls.run(SVC, "CreateSecurityGroup", () -> ec2.createSecurityGroup(r -> r.vpcId(vpcId).groupName(groupName)
        .description(description)
        .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.SECURITY_GROUP).tags(toTags(tags)).build()))
        .groupId());
  }

  @Override
  public void authorizeIngress(String groupId, List<IngressRule> rules) {
    for (IngressRule rule : rules) {
      try {
        calls.run(SVC, "AuthorizeSecurityGroupIngress",
            () -> ec2.authorizeSecurityGroupIngress(r -> r.groupId(groupId).ipPermissions(toPermission(rule))));
      } catch (AwsException e) {
        if (!e.is(AwsException.Kind.ALREADY_EXISTS)) throw e;
      }
    }
  }

  @Override
  public void revokeIngress(String groupId, List<IngressRule> rules) {
    for (IngressRule rule : rules) {
      try {
        calls.run(SVC, "RevokeSecurityGroupIngress",
            () -> ec2.revokeSecurityGroupIngress(r -> r.groupId(groupId).ipPermissions(toPermission(rule))));
      } catch (AwsException e) {
        if (!e.is(AwsException.Kind.NOT_FOUND)) throw e;
      }
    }
  }

  @Override
  public void deleteSecurityGroup(String groupId) {
    calls.run(SVC, "DeleteSecurityGroup", () -> ec2.deleteSecurityGroup(r -> r.groupId(groupId)));
  }

  @Override
  public void tag(String resourceId, Map<String, String> add, List<String> remove) {
    if (!add.isEmpty()) calls.run(SVC, "CreateTags", () -> ec2.createTags(r -> r.resources(resourceId).tags(toTags(add))));
    if (!remove.isEmpty()) {
      calls.run(SVC, "DeleteTags", () -> ec2.deleteTags(r -> r.resources(resourceId)
          .tags(remove.stream().map(k -> Tag.builder().key(k).build()).toList())));
    }
  }

  @Override
  public List<SecurityGroupInfo> listSecurityGroupsTagged(String tagKey, String tagValue) {
    List<SecurityGroupInfo> out = new ArrayList<>();
    String token = null;
    do {
      String next = token;
      var page = calls.sweep(SVC, "DescribeSecurityGroups", () -> ec2.describeSecurityGroups(r -> r
          .filters(Filter.builder().name("tag:" + tagKey).values(tagValue).build()).maxResults(1000).nextToken(next)));
      page.securityGroups().forEach(g -> out.add(toInfo(g)));
      token = page.nextToken();
    } while (token != null && !token.isEmpty());
    return out;
  }

  static IpPermission toPermission(IngressRule rule) {
    IpPermission.Builder b = IpPermission.builder().ipProtocol("tcp").fromPort(rule.port()).toPort(rule.port());
    if (rule.ipv6()) {
      b.ipv6Ranges(Ipv6Range.builder().cidrIpv6(rule.cidr()).build());
    } else if (rule.cidr() != null) {
      b.ipRanges(IpRange.builder().cidrIp(rule.cidr()).build());
    } else {
      b.userIdGroupPairs(UserIdGroupPair.builder().groupId(rule.sourceSecurityGroupId()).build());
    }
    return b.build();
  }

  static SecurityGroupInfo toInfo(SecurityGroup g) {
    Set<IngressRule> rules = new HashSet<>();
    int other = 0;
    for (IpPermission p : g.ipPermissions()) {
      boolean tcpSinglePort = "tcp".equals(p.ipProtocol()) && p.fromPort() != null && p.fromPort().equals(p.toPort());
      if (!tcpSinglePort) {
        other++;
        continue;
      }
      p.userIdGroupPairs().forEach(pair -> rules.add(IngressRule.fromGroup(p.fromPort(), pair.groupId())));
      p.ipRanges().forEach(range -> rules.add(IngressRule.fromCidr(p.fromPort(), range.cidrIp())));
      p.ipv6Ranges().forEach(range -> rules.add(IngressRule.fromCidr(p.fromPort(), range.cidrIpv6())));
      other += p.prefixListIds().size();
    }
    Map<String, String> tags = new LinkedHashMap<>();
    g.tags().forEach(t -> tags.put(t.key(), t.value()));
    return new SecurityGroupInfo(g.groupId(), g.groupName(), g.vpcId(), rules, other, tags);
  }

  static List<Tag> toTags(Map<String, String> tags) {
    return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
  }
}
