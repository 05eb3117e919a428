package dev.operators.elasticache.decide;

import dev.operators.elasticache.api.Engine;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Optional;

/**
 * An estimate of the monthly cost of the nodes. Figures: AWS ElastiCache on-demand node prices for
 * Redis OSS in US East (N. Virginia), USD per node-hour, from the AWS ElastiCache pricing page as
 * published in 2025. AWS prices Valkey nodes 20% below Redis OSS ones. A month is 730 hours. Other
 * regions, reserved nodes, backups storage and data transfer are not counted: it is an estimate for
 * people, not a bill.
 */
public final class Pricing {
  static final Map<String, String> REDIS_HOURLY_USD = Map.ofEntries(
      Map.entry("cache.t2.micro", "0.017"), Map.entry("cache.t2.small", "0.034"), Map.entry("cache.t2.medium", "0.068"),
      Map.entry("cache.t3.micro", "0.017"), Map.entry("cache.t3.small", "0.034"), Map.entry("cache.t3.medium", "0.068"),
      Map.entry("cache.t4g.micro", "0.016"), Map.entry("cache.t4g.small", "0.032"), Map.entry("cache.t4g.medium", "0.065"),
      Map.entry("cache.m5.large", "0.156"), Map.entry("cache.m5.xlarge", "0.311"), Map.entry("cache.m5.2xlarge", "0.623"),
      Map.entry("cache.m6g.large", "0.149"), Map.entry("cache.m6g.xlarge", "0.296"), Map.entry("cache.m6g.2xlarge", "0.593"),
      Map.entry("cache.m7g.large", "0.158"), Map.entry("cache.m7g.xlarge", "0.315"), Map.entry("cache.m7g.2xlarge", "0.629"),
      Map.entry("cache.r5.large", "0.216"), Map.entry("cache.r5.xlarge", "0.431"), Map.entry("cache.r5.2xlarge", "0.862"),
      Map.entry("cache.r6g.large", "0.206"), Map.entry("cache.r6g.xlarge", "0.411"), Map.entry("cache.r6g.2xlarge", "0.821"),
      Map.entry("cache.r7g.large", "0.219"), Map.entry("cache.r7g.xlarge", "0.437"), Map.entry("cache.r7g.2xlarge", "0.873"));
  static final BigDecimal HOURS_PER_MONTH = BigDecimal.valueOf(730);
  static final BigDecimal VALKEY_FACTOR = new BigDecimal("0.8");

  private Pricing() {}

  /** Monthly USD for {@code nodes} nodes, two decimals; empty for a node type not in the table. */
  public static Optional<String> monthlyUsd(Engine engine, String nodeType, int nodes) {
    String hourly = REDIS_HOURLY_USD.get(nodeType);
    if (hourly == null || nodes <= 0) return Optional.empty();
    BigDecimal perNode = new BigDecimal(hourly);
    if (engine == Engine.VALKEY) perNode = perNode.multiply(VALKEY_FACTOR);
    return Optional.of(perNode.multiply(HOURS_PER_MONTH).multiply(BigDecimal.valueOf(nodes))
        .setScale(2, RoundingMode.HALF_UP).toPlainString());
  }
}
