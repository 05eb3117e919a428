package dev.operators.elasticache.aws;

/** A cache parameter group. */
public record ParameterGroupInfo(String name, String family, String arn) {}
