package dev.operators.elasticache.aws;

/** An EC2 subnet as DescribeSubnets reports it: its id, VPC and Availability Zone. */
public record SubnetInfo(String subnetId, String vpcId, String availabilityZone) {}
