package dev.operators.elasticache.aws;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the operator asks of EC2. The only EC2 code outside the SDK adapter. */
public interface Ec2Port {
  /** The VPC the given subnets are in; INVALID_INPUT if they span VPCs, NOT_FOUND if one is missing. */
  String vpcOfSubnets(List<String> subnetIds);

  /**
   * The subnets of the VPC that carry every one of the tags (DescribeSubnets with the filters vpc-id
   * and tag:KEY=VALUE, all pages), in subnet id order; empty when none does.
   */
  List<SubnetInfo> subnetsTagged(String vpcId, Map<String, String> tags);

  Optional<SecurityGroupInfo> findSecurityGroup(String vpcId, String groupName);

  /** Creates the group and returns its id. ALREADY_EXISTS if a group with that name is in the VPC. */
  String createSecurityGroup(String vpcId, String groupName, String description, Map<String, String> tags);

  void authorizeIngress(String groupId, List<IngressRule> rules);

  void revokeIngress(String groupId, List<IngressRule> rules);

  void deleteSecurityGroup(String groupId);

  void tag(String resourceId, java.util.Map<String, String> add, List<String> remove);

  /** Every security group carrying the tag key=value, in one paginated sweep. */
  List<SecurityGroupInfo> listSecurityGroupsTagged(String tagKey, String tagValue);
}
