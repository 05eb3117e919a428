package dev.operators.elasticache.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.operators.elasticache.testsupport.AwsEmulator;
import dev.operators.elasticache.testsupport.AwsTestClients;
import dev.operators.elasticache.testsupport.ControlPlane;
import dev.operators.elasticache.testsupport.OperatorProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A benchmark, not a test (`make bench-burst`): a burst of N new caches (default 200) applied at
 * once, then an operator restart over the settled fleet. It prints when each cache became Ready
 * (in arrival order), the floor the AWS call budget sets, the AWS calls per cache by operation, the
 * Kubernetes status writes per cache (from the API server's own request counter), and for the
 * restart: AWS calls, status writes and Ready flips. Nothing here asserts a timing.
 */
class BurstBenchmark {
  static final int CACHES = Integer.getInteger("bench.caches", 200);
  static final double RATE = Double.parseDouble(System.getProperty("bench.rate", "10"));
  static final int RESTART_WATCH_SECONDS = Integer.getInteger("bench.restartWatchSeconds", 120);
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void burst() throws Exception {
    StringBuilder report = new StringBuilder();
    try (AwsEmulator aws = AwsEmulator.start("--creating-seconds", "5", "--modifying-seconds", "5", "--deleting-seconds", "5");
         AwsTestClients clients = AwsTestClients.of(aws);
         ControlPlane k8s = ControlPlane.start("burst")) {
      BenchFleet fleet = BenchFleet.prepare(clients, k8s, "bench");
      Map<String, String> env = Map.of("REDISCACHE_SWEEP_FAST_PERIOD", "5s", "REDISCACHE_SWEEP_STEADY_PERIOD", "60s",
          "REDISCACHE_AWS_MAX_CALLS_PER_SECOND", Double.toString(RATE));
      OperatorProcess op = OperatorProcess.start(k8s.operatorKubeconfig(), aws.uri(), "bench", "burst", env);
      try {
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < CACHES; i++) {
          yaml.append(fleet.cache(name(i), "bench"));
        }
        aws.clearCalls();
        long patches0 = statusPatches(k8s);
        long t0 = System.nanoTime();
        k8s.kubectlWithInput(yaml.toString(), "apply", "-f", "-").ok();
        Map<String, Double> readyAt = new HashMap<>();
        while (readyAt.size() < CACHES) {
          double now = (System.nanoTime() - t0) / 1e9;
          if (now > 3600) throw new AssertionError("not all Ready within an hour: " + readyAt.size() + "/" + CACHES);
          for (JsonNode c : caches(k8s)) {
            String n = c.at("/metadata/name").asText();
            if (!readyAt.containsKey(n) && ready(c)) readyAt.put(n, now);
          }
          OperatorProcess.sleep(1000);
        }
        double all = readyAt.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        Map<String, Integer> calls = new TreeMap<>(aws.calls());
        long patches = statusPatches(k8s) - patches0;
        int sweepPages = calls.getOrDefault("elasticache:DescribeCacheClusters", 0);
        int total = calls.values().stream().mapToInt(Integer::intValue).sum();
        int ownCalls = total - 2 * sweepPages - calls.getOrDefault("ec2:DescribeSecurityGroups", 0);
        double perCache = (double) ownCalls / CACHES;
        double floor = CACHES * perCache / RATE;
        List<Double> inOrder = new ArrayList<>();
        for (int i = 0; i < CACHES; i++) inOrder.add(readyAt.get(name(i)));
        List<Double> sorted = inOrder.stream().sorted().toList();
        report.append(String.format("%d new caches applied at once; operator budget %.0f AWS calls/s; emulator creating time 5 s%n", CACHES, RATE));
        report.append(String.format("all Ready after %.0f s; median cache Ready after %.0f s; floor set by the budget %.0f s (%.1f calls per cache x %d / %.0f per s): all-Ready / floor = %.2f%n",
            all, sorted.get(CACHES / 2), floor, perCache, CACHES, RATE, all / floor));
        report.append("Ready time by arrival decile (cache k's time):");
        for (int d = 0; d < 10; d++) report.append(String.format(" %d%%:%.0fs", d * 10, inOrder.get(d * CACHES / 10)));
        report.append(String.format(" last:%.0fs%n", inOrder.get(CACHES - 1)));
        report.append(String.format("arrival order kept (Spearman rank correlation of arrival and Ready): %.3f%n", spearman(inOrder)));
        report.append(String.format("AWS calls from apply to all Ready: %d in all, %d of them the shared sweep's describes; %.1f per cache besides the sweep%n",
            total, total - ownCalls, perCache));
        calls.forEach((k, v) -> report.append(String.format("  %-48s %6d  (%.2f per cache)%n", k, v, (double) v / CACHES)));
        report.append(String.format("Kubernetes status writes from apply to all Ready: %d = %.2f per cache (kube-apiserver's apiserver_request_total, PATCH rediscaches/status)%n",
            patches, (double) patches / CACHES));

        // Restart over the settled fleet.
        OperatorProcess.sleep(20_000);
        op.kill();
        aws.clearCalls();
        long rp0 = statusPatches(k8s);
        long r0 = System.nanoTime();
        op = OperatorProcess.start(k8s.operatorKubeconfig(), aws.uri(), "bench", "burst-restarted", env);
        int flips = 0;
        Map<String, Boolean> last = new HashMap<>();
        while ((System.nanoTime() - r0) / 1e9 < RESTART_WATCH_SECONDS) {
          for (JsonNode c : caches(k8s)) {
            String n = c.at("/metadata/name").asText();
            boolean r = ready(c);
            if (Boolean.TRUE.equals(last.get(n)) && !r) flips++;
            last.put(n, r);
          }
          OperatorProcess.sleep(1000);
        }
        Map<String, Integer> rcalls = new TreeMap<>(aws.calls());
        report.append(String.format("restart over %d settled caches, watched %d s: %d AWS calls %s, %d status writes, %d Ready flips%n",
            CACHES, RESTART_WATCH_SECONDS, rcalls.values().stream().mapToInt(Integer::intValue).sum(), rcalls, statusPatches(k8s) - rp0, flips));
      } finally {
        op.close();
      }
    }
    System.out.println("\n===== burst benchmark =====\n" + report);
    Files.writeString(Path.of("target/burst-benchmark.txt"), report.toString());
  }

  static String name(int i) {
    return String.format("c%04d", i);
  }

  static List<JsonNode> caches(ControlPlane k8s) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    JSON.readTree(k8s.kubectl("get", "rediscaches", "-n", "bench", "-o", "json").ok().out()).get("items").forEach(out::add);
    return out;
  }

  static boolean ready(JsonNode c) {
    for (JsonNode cond : c.at("/status/conditions")) {
      if ("Ready".equals(cond.path("type").asText()) && "True".equals(cond.path("status").asText())) return true;
    }
    return false;
  }

  private static final Pattern PATCHES = Pattern.compile(
      "apiserver_request_total\\{([^}]*)\\} (\\d+(?:\\.\\d+)?(?:e[+-]?\\d+)?)");

  /** PATCH (and PUT) requests on rediscaches/status, as the API server counts them. */
  static long statusPatches(ControlPlane k8s) {
    String metrics = k8s.kubectl("get", "--raw", "/metrics").ok().out();
    long n = 0;
    Matcher m = PATCHES.matcher(metrics);
    while (m.find()) {
      String labels = m.group(1);
      if (labels.contains("resource=\"rediscaches\"") && labels.contains("subresource=\"status\"")
          && (labels.contains("verb=\"PATCH\"") || labels.contains("verb=\"APPLY\"") || labels.contains("verb=\"PUT\""))) {
        n += (long) Double.parseDouble(m.group(2));
      }
    }
    return n;
  }

  /** Spearman's rank correlation between arrival index and Ready time (1 = strictly in arrival order). */
  static double spearman(List<Double> readyByArrival) {
    int n = readyByArrival.size();
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < n; i++) idx.add(i);
    idx.sort((x, y) -> Double.compare(readyByArrival.get(x), readyByArrival.get(y)));
    double[] rank = new double[n];
    for (int r = 0; r < n; r++) rank[idx.get(r)] = r;
    double d2 = 0;
    for (int i = 0; i < n; i++) d2 += (rank[i] - i) * (rank[i] - i);
    return 1 - 6 * d2 / ((double) n * ((double) n * n - 1));
  }
}
