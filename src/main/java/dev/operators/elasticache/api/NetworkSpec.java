package dev.operators.elasticache.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Network placement and access. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "(has(self.subnetGroupName) ? 1 : 0) + (has(self.subnetIds) && size(self.subnetIds) > 0 ? 1 : 0) + (has(self.subnetSelector) ? 1 : 0) == 1",
    fieldPath = ".subnetIds",
    message = "network: give exactly one subnet source: subnetIds or subnetSelector (the operator creates a cache subnet group from them) or subnetGroupName (an existing group the operator only uses)")
@ValidationRule(
    value = "!has(self.subnetSelector) || !has(self.vpcId) || self.vpcId == self.subnetSelector.vpcId",
    fieldPath = ".vpcId",
    message = "network.vpcId: with subnetSelector, the VPC is subnetSelector.vpcId; leave vpcId out or give the same VPC")
@ValidationRule(
    value = "!has(self.subnetGroupName) || has(self.vpcId)",
    fieldPath = ".vpcId",
    message = "network: with subnetGroupName, also give vpcId (the VPC of that subnet group), so the operator can create the security group in it")
@ValidationRule(
    value = "!has(self.ipDiscovery) || self.ipDiscovery == 'ipv4' || (has(self.networkType) && self.networkType != 'ipv4')",
    fieldPath = ".ipDiscovery",
    message = "network.ipDiscovery: ipv6 needs networkType ipv6 or dual_stack")
@ValidationRule(
    value = "!has(self.networkType) || self.networkType != 'ipv6' || !has(self.ipDiscovery) || self.ipDiscovery == 'ipv6'",
    fieldPath = ".ipDiscovery",
    message = "network.ipDiscovery: an ipv6-only cache has no IPv4 addresses to advertise; use ipDiscovery: ipv6 (or leave it out)")
public class NetworkSpec {

  @JsonPropertyDescription("VPC of the cache and its security group. Optional with subnetIds (taken from the subnets); required with subnetGroupName.")
  @Pattern("^vpc-[0-9a-f]{8,17}$")
  private String vpcId;

  @JsonPropertyDescription("Subnets for a cache subnet group the operator creates and owns. Give subnets in at least two Availability Zones for Multi-AZ.")
  @Size(max = 20)
  private List<@Pattern("^subnet-[0-9a-f]{8,17}$") String> subnetIds;

  @JsonPropertyDescription("Subnets picked by tag instead of subnetIds: every subnet of subnetSelector.vpcId carrying all of subnetSelector.tags. The operator asks EC2 once and shows the subnets in status.network.subnetIds; it asks again only when the selector changes (a subnet tagged later is not picked up until then).")
  private SubnetSelectorSpec subnetSelector;

  @JsonPropertyDescription("An existing cache subnet group to use instead of subnetIds. The operator never modifies or deletes it. Immutable.")
  @Pattern("^[a-zA-Z0-9-]{1,255}$")
  private String subnetGroupName;

  @JsonPropertyDescription("Security groups (of your apps) allowed to connect on the cache port.")
  @Size(max = 50)
  private List<@Pattern("^sg-[0-9a-f]{8,17}$") String> allowedSecurityGroupIds;

  @JsonPropertyDescription("CIDR blocks allowed to connect on the cache port: IPv4 (10.0.0.0/16) or IPv6 (2001:db8:1234::/56, for networkType ipv6 or dual_stack).")
  @Size(max = 50)
  private List<@Pattern("^(([0-9]{1,3}\\.){3}[0-9]{1,3}/([0-9]|[12][0-9]|3[0-2])|[0-9a-fA-F:]*:[0-9a-fA-F:]*/([0-9]|[1-9][0-9]|1[01][0-9]|12[0-8]))$") String> allowedCidrBlocks;

  @JsonPropertyDescription("Existing security groups attached to the cache as they are. The operator never changes or deletes them.")
  @Size(max = 4)
  private List<@Pattern("^sg-[0-9a-f]{8,17}$") String> additionalSecurityGroupIds;

  @JsonPropertyDescription("IP versions the cache accepts connections on: ipv4 (default), ipv6 or dual_stack. ipv6 needs IPv6-only subnets, dual_stack subnets with IPv4 and IPv6 CIDR blocks; both need valkey 7.2+ or redis 6.2+ on a Nitro node type. Immutable.")
  @Pattern("^(ipv4|ipv6|dual_stack)$")
  private String networkType;

  @JsonPropertyDescription("Which addresses cluster discovery (CLUSTER SLOTS/SHARDS, endpoints) hands to clients: ipv4 (default) or ipv6 (default for networkType ipv6). ipv6 needs networkType ipv6 or dual_stack. Can change on a running dual_stack cache.")
  @Pattern("^(ipv4|ipv6)$")
  private String ipDiscovery;

  public String getNetworkType() { return networkType; }
  public void setNetworkType(String networkType) { this.networkType = networkType; }
  public String getIpDiscovery() { return ipDiscovery; }
  public void setIpDiscovery(String ipDiscovery) { this.ipDiscovery = ipDiscovery; }
  public String getVpcId() { return vpcId; }
  public void setVpcId(String vpcId) { this.vpcId = vpcId; }
  public List<String> getSubnetIds() { return subnetIds; }
  public void setSubnetIds(List<String> subnetIds) { this.subnetIds = subnetIds; }
  public SubnetSelectorSpec getSubnetSelector() { return subnetSelector; }
  public void setSubnetSelector(SubnetSelectorSpec subnetSelector) { this.subnetSelector = subnetSelector; }
  public String getSubnetGroupName() { return subnetGroupName; }
  public void setSubnetGroupName(String subnetGroupName) { this.subnetGroupName = subnetGroupName; }
  public List<String> getAllowedSecurityGroupIds() { return allowedSecurityGroupIds; }
  public void setAllowedSecurityGroupIds(List<String> allowedSecurityGroupIds) { this.allowedSecurityGroupIds = allowedSecurityGroupIds; }
  public List<String> getAllowedCidrBlocks() { return allowedCidrBlocks; }
  public void setAllowedCidrBlocks(List<String> allowedCidrBlocks) { this.allowedCidrBlocks = allowedCidrBlocks; }
  public List<String> getAdditionalSecurityGroupIds() { return additionalSecurityGroupIds; }
  public void setAdditionalSecurityGroupIds(List<String> additionalSecurityGroupIds) { this.additionalSecurityGroupIds = additionalSecurityGroupIds; }
}
