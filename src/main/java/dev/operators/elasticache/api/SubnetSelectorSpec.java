package dev.operators.elasticache.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Map;

/**
 * Subnets chosen by tag instead of by id: every subnet of the VPC that carries all the tags (EC2
 * DescribeSubnets with the filters vpc-id and tag:KEY=VALUE). Resolved once and recorded in
 * status.network; asked again only when this selector changes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SubnetSelectorSpec {
  @JsonPropertyDescription("VPC whose subnets are selected; also the VPC of the cache's security group.")
  @Required
  @Pattern("^vpc-[0-9a-f]{8,17}$")
  private String vpcId;

  @JsonPropertyDescription("Tags a subnet must carry, every one of them with this value (for example tier: internal). Subnets of the VPC that carry them all become the cache subnet group's; with multiAZ they must be in at least two Availability Zones.")
  @Required
  @Size(min = 1, max = 10)
  private Map<String, String> tags;

  public String getVpcId() { return vpcId; }
  public void setVpcId(String vpcId) { this.vpcId = vpcId; }
  public Map<String, String> getTags() { return tags; }
  public void setTags(Map<String, String> tags) { this.tags = tags; }
}
