package dev.operators.elasticache.aws;

import java.util.Map;
import java.util.Set;

/** A security group as EC2 reports it. Only TCP single-port ingress rules are represented; others are in {@code otherIngress}. */
public record SecurityGroupInfo(String groupId, String groupName, String vpcId, Set<IngressRule> ingress,
    int otherIngress, Map<String, String> tags) {}
