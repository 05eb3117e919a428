package dev.operators.elasticache.aws;

/** The ports of one {@link AwsTarget}: an account and region. */
public record AwsPorts(ElastiCachePort elastiCache, Ec2Port ec2, SecretsPort secrets, MonitoringPort monitoring, KmsPort kms) {}
