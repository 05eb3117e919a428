package dev.operators.elasticache.aws;

import java.util.List;

/** A cache subnet group; {@code supportedNetworkTypes} as AWS derives them from its subnets (ipv4, ipv6, dual_stack). */
public record SubnetGroupInfo(String name, String vpcId, List<String> subnetIds, String arn, List<String> supportedNetworkTypes) {
  public SubnetGroupInfo(String name, String vpcId, List<String> subnetIds, String arn) {
    this(name, vpcId, subnetIds, arn, List.of("ipv4"));
  }
}
