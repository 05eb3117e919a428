package dev.operators.elasticache.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Objects;

/** The subnets spec.network.subnetSelector resolved to, and which selector they were resolved for. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NetworkStatus {
  @JsonPropertyDescription("Subnets the selector picked (EC2 DescribeSubnets), which the cache subnet group holds.")
  private List<String> subnetIds;
  @JsonPropertyDescription("Availability Zones of those subnets.")
  private List<String> availabilityZones;
  @JsonPropertyDescription("Hash of the spec.network.subnetSelector these subnets were resolved for: while the selector is unchanged, EC2 is not asked again.")
  private String subnetSelectorHash;

  public NetworkStatus() {}

  public NetworkStatus(List<String> subnetIds, List<String> availabilityZones, String subnetSelectorHash) {
    this.subnetIds = subnetIds;
    this.availabilityZones = availabilityZones;
    this.subnetSelectorHash = subnetSelectorHash;
  }

  public List<String> getSubnetIds() { return subnetIds; }
  public void setSubnetIds(List<String> subnetIds) { this.subnetIds = subnetIds; }
  public List<String> getAvailabilityZones() { return availabilityZones; }
  public void setAvailabilityZones(List<String> availabilityZones) { this.availabilityZones = availabilityZones; }
  public String getSubnetSelectorHash() { return subnetSelectorHash; }
  public void setSubnetSelectorHash(String subnetSelectorHash) { this.subnetSelectorHash = subnetSelectorHash; }

  @Override
  public boolean equals(Object o) {
    return o instanceof NetworkStatus n && Objects.equals(subnetIds, n.subnetIds) && Objects.equals(availabilityZones, n.availabilityZones)
        && Objects.equals(subnetSelectorHash, n.subnetSelectorHash);
  }

  @Override
  public int hashCode() { return Objects.hash(subnetIds, availabilityZones, subnetSelectorHash); }
}
