package dev.operators.elasticache.decide;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.operators.elasticache.api.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An estimate of the monthly on-demand cost, for people, not a bill: node-based caches (node price x
 * nodes x 730 h) and serverless caches (data stored and ECPUs, with AWS's minimum metered storage).
 * The figures are in {@code /pricing/elasticache.json}, loaded once, each with where and when it was
 * taken (README, "Cost estimate"). A node type or region without a figure there gives an unknown
 * estimate that says so: nothing is derived or guessed. Reserved nodes, backup storage and data
 * transfer are not counted.
 */
public final class Pricing {
  static final String RESOURCE = "/pricing/elasticache.json";

  /** A monthly estimate: {@code usd} with two decimals, or null when unknown; {@code note} says what it is made of, or why it is unknown. */
  public record Estimate(String usd, String note) {
    public boolean known() { return usd != null; }
  }

  private Pricing() {}

  /** Monthly cost of {@code nodes} on-demand nodes of {@code nodeType} in {@code region}. */
  public static Estimate nodes(Engine engine, String region, String nodeType, int nodes) {
    Table t = Table.get();
    if (nodes <= 0) return new Estimate(null, "no nodes");
    Map<String, Price> prices = t.nodes.get(region);
    if (prices == null) return new Estimate(null, "no prices for region " + region);
    Price p = prices.get(nodeType);
    if (p == null) return new Estimate(null, "no price for " + nodeType + " in " + region);
    BigDecimal perNode = p.usd;
    String valkey = "";
    if (engine == Engine.VALKEY) {
      perNode = perNode.multiply(t.valkeyNodeFactor);
      valkey = ", Valkey " + percentBelow(t.valkeyNodeFactor) + "% lower";
    }
    BigDecimal monthly = perNode.multiply(t.hours).multiply(BigDecimal.valueOf(nodes)).setScale(2, RoundingMode.HALF_UP);
    return new Estimate(monthly.toPlainString(), nodes + " x " + nodeType + " in " + region + ": $" + p.usd.toPlainString()
        + " per node-hour on-demand for Redis OSS (" + t.cite(p.source) + ")" + valkey + ", " + t.hours + " h a month");
  }

  /**
   * Monthly cost of a serverless cache that holds {@code storageGb} on average and uses
   * {@code ecpuPerSecond} ECPUs a second on average: storage is billed at no less than AWS's minimum
   * for the engine (1 GB for Redis OSS, 100 MB for Valkey), ECPUs per million.
   */
  public static Estimate serverless(Engine engine, String region, BigDecimal storageGb, BigDecimal ecpuPerSecond) {
    if (storageGb == null || ecpuPerSecond == null || storageGb.signum() < 0 || ecpuPerSecond.signum() < 0) {
      throw new IllegalArgumentException("storage and ECPU/s must be zero or more");
    }
    Table t = Table.get();
    Map<Engine, ServerlessPrice> byEngine = t.serverless.get(region);
    ServerlessPrice redis = byEngine == null ? null : byEngine.get(Engine.REDIS);
    ServerlessPrice price = byEngine == null ? null : byEngine.get(engine);
    String how = t.cite(price == null ? null : price.source);
    if (price == null && engine == Engine.VALKEY && redis != null) {
      price = new ServerlessPrice(redis.storageGbHour.multiply(t.valkeyServerlessFactor),
          redis.ecpuMillion.multiply(t.valkeyServerlessFactor), redis.source);
      how = "Redis OSS prices (" + t.cite(redis.source) + ") " + percentBelow(t.valkeyServerlessFactor) + "% lower";
    }
    String engineName = engine == Engine.VALKEY ? "Valkey" : "Redis OSS";
    if (price == null) return new Estimate(null, "no serverless price for " + engineName + " in " + region);
    BigDecimal minimum = t.serverlessMinimumGb.get(engine);
    BigDecimal billedGb = storageGb.max(minimum);
    BigDecimal storage = billedGb.multiply(price.storageGbHour).multiply(t.hours);
    BigDecimal ecpuMillions = ecpuPerSecond.multiply(BigDecimal.valueOf(3600)).multiply(t.hours).divide(BigDecimal.valueOf(1_000_000));
    BigDecimal ecpus = ecpuMillions.multiply(price.ecpuMillion);
    BigDecimal monthly = storage.add(ecpus).setScale(2, RoundingMode.HALF_UP);
    return new Estimate(monthly.toPlainString(), "serverless " + engineName + " in " + region + ": "
        + billedGb.stripTrailingZeros().toPlainString() + " GB billed (minimum " + minimum.stripTrailingZeros().toPlainString()
        + " GB) x $" + price.storageGbHour.stripTrailingZeros().toPlainString() + " per GB-hour + "
        + ecpuPerSecond.stripTrailingZeros().toPlainString() + " ECPU/s x $" + price.ecpuMillion.stripTrailingZeros().toPlainString()
        + " per million ECPUs (" + how + "), " + t.hours + " h a month");
  }

  /**
   * The estimate of a serverless cache, whose use the operator cannot know: what it costs at least
   * (AWS's minimum metered storage, no requests) as {@code usd}, and, when both limits are set, what
   * it costs at most (always at its limits) in the note.
   */
  public static Estimate serverlessCache(Engine engine, String region, Integer maxDataStorageGB, Integer maxECPUPerSecond) {
    Estimate floor = serverless(engine, region, BigDecimal.ZERO, BigDecimal.ZERO);
    if (!floor.known()) return floor;
    String note = "at least $" + floor.usd() + " (" + floor.note() + "; no requests)";
    if (maxDataStorageGB != null && maxECPUPerSecond != null) {
      Estimate ceiling = serverless(engine, region, BigDecimal.valueOf(maxDataStorageGB), BigDecimal.valueOf(maxECPUPerSecond));
      note += "; at most $" + ceiling.usd() + " at the limits (" + maxDataStorageGB + " GB held and " + maxECPUPerSecond
          + " ECPU/s used all month)";
    } else {
      note += "; no upper bound: set spec.serverless.maxDataStorageGB and maxECPUPerSecond for one";
    }
    return new Estimate(floor.usd(), note + ". Usage is billed as it comes; the operator does not read it");
  }

  /** Regions with node prices. */
  public static Set<String> regions() { return Set.copyOf(Table.get().nodes.keySet()); }

  /** Node types with a price in {@code region}. */
  public static Set<String> nodeTypes(String region) {
    Map<String, Price> prices = Table.get().nodes.get(region);
    return prices == null ? Set.of() : new TreeSet<>(prices.keySet());
  }

  private static String percentBelow(BigDecimal factor) {
    return BigDecimal.ONE.subtract(factor).movePointRight(2).stripTrailingZeros().toPlainString();
  }

  private record Price(BigDecimal usd, String source) {}

  private record ServerlessPrice(BigDecimal storageGbHour, BigDecimal ecpuMillion, String source) {}

  /** The price file, read once. */
  private static final class Table {
    final BigDecimal hours;
    final BigDecimal valkeyNodeFactor;
    final BigDecimal valkeyServerlessFactor;
    final Map<Engine, BigDecimal> serverlessMinimumGb = new TreeMap<>();
    final Map<String, String> cites = new TreeMap<>();
    final Map<String, Map<String, Price>> nodes = new TreeMap<>();
    final Map<String, Map<Engine, ServerlessPrice>> serverless = new TreeMap<>();

    private static final class Holder { static final Table TABLE = load(); }

    static Table get() { return Holder.TABLE; }

    private static Table load() {
      try (InputStream in = Pricing.class.getResourceAsStream(RESOURCE)) {
        if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the classpath");
        return new Table(new ObjectMapper().readTree(in));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + RESOURCE, e);
      }
    }

    private Table(JsonNode root) {
      hours = new BigDecimal(root.required("hoursPerMonth").asText());
      valkeyNodeFactor = new BigDecimal(root.required("valkeyNodeFactor").required("factor").asText());
      valkeyServerlessFactor = new BigDecimal(root.required("valkeyServerlessFactor").required("factor").asText());
      JsonNode minimum = root.required("serverlessMinimumStorageGb");
      serverlessMinimumGb.put(Engine.REDIS, new BigDecimal(minimum.required("redis").asText()));
      serverlessMinimumGb.put(Engine.VALKEY, new BigDecimal(minimum.required("valkey").asText()));
      root.required("sources").fields().forEachRemaining(e -> cites.put(e.getKey(), e.getValue().required("cite").asText()));
      for (Iterator<Map.Entry<String, JsonNode>> regions = root.required("nodes").fields(); regions.hasNext(); ) {
        Map.Entry<String, JsonNode> region = regions.next();
        Map<String, Price> prices = new TreeMap<>();
        region.getValue().fields().forEachRemaining(e -> prices.put(e.getKey(),
            new Price(new BigDecimal(e.getValue().required("usd").asText()), known(e.getValue().required("source").asText()))));
        nodes.put(region.getKey(), prices);
      }
      root.required("serverless").fields().forEachRemaining(region -> {
        Map<Engine, ServerlessPrice> byEngine = new TreeMap<>();
        region.getValue().fields().forEachRemaining(e -> byEngine.put(Engine.valueOf(e.getKey().toUpperCase(java.util.Locale.ROOT)),
            new ServerlessPrice(new BigDecimal(e.getValue().required("storageGbHour").asText()),
                new BigDecimal(e.getValue().required("ecpuMillion").asText()), known(e.getValue().required("source").asText()))));
        serverless.put(region.getKey(), byEngine);
      });
    }

    private String known(String source) {
      if (!cites.containsKey(source)) throw new IllegalStateException(RESOURCE + " names an unknown source " + source);
      return source;
    }

    String cite(String source) { return source == null ? null : cites.get(source); }
  }
}
