package dev.operators.elasticache.aws;

import java.util.List;

/** A cache subnet group. */
public record SubnetGroupInfo(String name, String vpcId, List<String> subnetIds, String arn) {}
