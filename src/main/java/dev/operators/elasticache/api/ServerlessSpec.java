package dev.operators.elasticache.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * An ElastiCache Serverless cache instead of a replication group (CreateServerlessCache). The two
 * limits are CacheUsageLimits' maximums; the ranges are those of the ElastiCache user guide
 * ("Scaling ElastiCache Serverless": data storage 1 to 5,000 GB, 1,000 to 15,000,000 ECPU per second).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServerlessSpec {
  @JsonPropertyDescription("Most data the cache may hold, in GB (CacheUsageLimits.DataStorage.Maximum), 1 to 5000. Empty: no limit (AWS's own). At the limit AWS evicts keys with a TTL, then refuses writes.")
  @Min(1)
  @Max(5000)
  private Integer maxDataStorageGB;

  @JsonPropertyDescription("Most ElastiCache Processing Units per second the cache may use (CacheUsageLimits.ECPUPerSecond.Maximum), 1000 to 15000000. Empty: no limit (AWS's own). Above it AWS throttles requests.")
  @Min(1000)
  @Max(15000000)
  private Integer maxECPUPerSecond;

  public Integer getMaxDataStorageGB() { return maxDataStorageGB; }
  public void setMaxDataStorageGB(Integer maxDataStorageGB) { this.maxDataStorageGB = maxDataStorageGB; }
  public Integer getMaxECPUPerSecond() { return maxECPUPerSecond; }
  public void setMaxECPUPerSecond(Integer maxECPUPerSecond) { this.maxECPUPerSecond = maxECPUPerSecond; }
}
