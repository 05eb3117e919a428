package dev.operators.elasticache.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.operators.elasticache.decide.Names;
import dev.operators.elasticache.testsupport.AwsEmulator;
import dev.operators.elasticache.testsupport.AwsTestClients;
import dev.operators.elasticache.testsupport.ControlPlane;
import dev.operators.elasticache.testsupport.OperatorProcess;
import dev.operators.elasticache.testsupport.Proc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.elasticache.model.SourceType;

/**
 * A benchmark, not a test (`make bench`): a fleet of N caches (default 1,000) on the project's own
 * control plane and emulator, the operator run with deploy/'s JVM options and memory limit. In
 * order: a burst of N new caches applied at once; drift made behind the operator's back; memory and
 * metrics with the whole fleet and its Secrets; an operator restart over the settled fleet, whose
 * first minutes are watched and whose steady state is then measured. It prints every figure and
 * writes them to target/fleet-benchmark.txt. Nothing here asserts a timing.
 */
class FleetBenchmark {
  static final int CACHES = Integer.getInteger("bench.caches", 1000);
  static final double RATE = Double.parseDouble(System.getProperty("bench.rate", "10"));
  static final int RESTART_WATCH_SECONDS = Integer.getInteger("bench.restartWatchSeconds", 300);
  static final int STEADY_SECONDS = Integer.getInteger("bench.steadySeconds", 1800);
  static final int SETTLE_SECONDS = Integer.getInteger("bench.settleSeconds", 150);
  static final ObjectMapper JSON = new ObjectMapper();
  static final String NS = "bench";
  /** -Dbench.nmt=true: the JVM also tracks its native memory, and the report breaks the resident set down. */
  static final boolean NMT = Boolean.getBoolean("bench.nmt");

  final StringBuilder report = new StringBuilder();

  void say(String format, Object... args) {
    String line = String.format(format, args);
    report.append(line).append('\n');
    System.out.println(line);
  }

  @Test
  void fleet() throws Exception {
    try (AwsEmulator aws = AwsEmulator.start("--creating-seconds", "5", "--modifying-seconds", "5", "--deleting-seconds", "5");
         AwsTestClients clients = AwsTestClients.of(aws);
         ControlPlane k8s = ControlPlane.start("fleet")) {
      // A team that runs 1,000 caches has raised AWS's default quotas (300 nodes and 300 clusters per region).
      aws.config(Map.of("maxReplicationGroups", CACHES + 100, "maxNodesPerCustomer", 2 * CACHES + 100));
      BenchFleet fleet = BenchFleet.prepare(clients, k8s, NS);
      Map<String, String> env = new HashMap<>(Map.of("REDISCACHE_AWS_MAX_CALLS_PER_SECOND", Double.toString(RATE),
          "REDISCACHE_SWEEP_FAST_PERIOD", "5s", "REDISCACHE_SWEEP_STEADY_PERIOD", "60s",
          // The operator's defaults, set here because OperatorProcess gives the tests' fast ones otherwise.
          "REDISCACHE_SWEEP_SECURITY_GROUP_PERIOD", "4m", "REDISCACHE_SWEEP_FULL_PERIOD", "30m",
          // The poller's looks, sweeps and signals, with milliseconds: the steps from available to Ready.
          "QUARKUS_LOG_CATEGORY__DEV_OPERATORS_ELASTICACHE_FLEET__LEVEL", "DEBUG"));
      env.putAll(DeployJvm.environment());
      List<String> jvm = new ArrayList<>(DeployJvm.options());
      if (NMT) jvm.add("-XX:NativeMemoryTracking=summary");
      say("fleet benchmark: %d caches; operator budget %.0f AWS calls/s, fast/steady sweep 5 s/60 s, security groups every 4 min, full sweep 30 min; "
          + "emulator creating/modifying time 5 s; operator JVM as deploy/ runs it: %s %s", CACHES, RATE, String.join(" ", jvm), DeployJvm.environment());
      OperatorProcess op = OperatorProcess.start(k8s.operatorKubeconfig(), aws.uri(), NS, "fleet", env, jvm);
      try {
        burst(aws, clients, k8s, fleet, op);
        OperatorProcess.sleep(SETTLE_SECONDS * 1000L);
        drift(clients);
        memory(op);
        op.kill();
        op = restartAndSteadyState(aws, k8s, env, jvm);
        memory(op);
      } finally {
        op.close();
      }
    }
    Files.writeString(Path.of("target/fleet-benchmark.txt"), report.toString());
    System.out.println("\n===== fleet benchmark =====\n" + report);
  }

  void burst(AwsEmulator aws, AwsTestClients clients, ControlPlane k8s, BenchFleet fleet, OperatorProcess op) throws Exception {
    StringBuilder yaml = new StringBuilder();
    for (int i = 0; i < CACHES; i++) yaml.append(fleet.cache(name(i), NS));
    aws.clearCalls();
    long writes0 = statusWrites(k8s);
    Instant wall0 = Instant.now();
    long t0 = System.nanoTime();
    k8s.kubectlWithTimeout(yaml.toString(), 600, "apply", "-f", "-").ok();
    Map<String, Double> readyAt = new HashMap<>();
    while (readyAt.size() < CACHES) {
      if ((System.nanoTime() - t0) / 1e9 > 7200) throw new AssertionError("not all Ready within 2 hours: " + readyAt.size() + "/" + CACHES);
      List<JsonNode> caches = caches(k8s);
      double now = (System.nanoTime() - t0) / 1e9;
      for (JsonNode c : caches) {
        String n = c.at("/metadata/name").asText();
        if (!readyAt.containsKey(n) && ready(c)) readyAt.put(n, now);
      }
      OperatorProcess.sleep(1000);
    }
    Map<String, Integer> calls = new TreeMap<>(aws.calls());
    long writes = statusWrites(k8s) - writes0;
    List<Double> byArrival = new ArrayList<>();
    for (int i = 0; i < CACHES; i++) byArrival.add(readyAt.get(name(i)));
    List<Double> sorted = byArrival.stream().sorted().toList();
    double all = sorted.get(CACHES - 1);
    int total = calls.values().stream().mapToInt(Integer::intValue).sum();
    // The poller's calls: everything it reads (the reconciles' own calls are creates, tags and the token).
    int pollerCalls = calls.getOrDefault("elasticache:DescribeEvents", 0) + calls.getOrDefault("elasticache:DescribeReplicationGroups", 0)
        + calls.getOrDefault("elasticache:DescribeCacheClusters", 0) + calls.getOrDefault("ec2:DescribeSecurityGroups", 0);
    double perCache = (double) total / CACHES;
    double floor = CACHES * perCache / RATE;
    say("");
    say("== burst: %d new caches applied at once ==", CACHES);
    say("all Ready after %.0f s; floor set by the budget %.0f s (%.2f AWS calls per cache, all included, x %d / %.0f per s): "
        + "all-Ready / floor = %.2f; for real AWS, EC2's 5 mutating calls per s alone set %.0f s (2 per cache)", all, floor, perCache, CACHES, RATE,
        all / floor, 2.0 * CACHES / 5);
    say("per-cache time to Ready: p50 %.0f s, p95 %.0f s, max %.0f s", pct(sorted, 50), pct(sorted, 95), all);
    StringBuilder deciles = new StringBuilder("Ready time by arrival decile (cache k's time):");
    for (int d = 0; d < 10; d++) deciles.append(String.format(" %d%%:%.0fs", d * 10, byArrival.get(d * CACHES / 10)));
    say("%s last:%.0fs", deciles, byArrival.get(CACHES - 1));
    say("arrival order kept (Spearman rank correlation of arrival and Ready): %.3f", spearman(byArrival));
    say("AWS calls from apply to all Ready: %d = %.2f per cache (%.2f of them the poller's reads), by operation:", total, perCache,
        (double) pollerCalls / CACHES);
    calls.forEach((k, v) -> say("  %-48s %6d  (%.2f per cache)", k, v, (double) v / CACHES));
    say("Kubernetes status writes from apply to all Ready: %d = %.2f per cache (kube-apiserver's apiserver_request_total, PATCH/APPLY rediscaches/status)",
        writes, (double) writes / CACHES);

    // AWS `available` (the emulator's "created" event, dated when the group became available) -> Ready seen by this poll.
    Map<String, Instant> available = new HashMap<>();
    clients.elastiCache().describeEventsPaginator(r -> r.sourceType(SourceType.REPLICATION_GROUP).startTime(wall0.minusSeconds(60)).maxRecords(100))
        .events().forEach(e -> {
          if (e.message().endsWith(" created")) available.putIfAbsent(e.sourceIdentifier(), e.date());
        });
    List<Double> lags = new ArrayList<>();
    for (int i = 0; i < CACHES; i++) {
      Instant at = available.get(Names.replicationGroupId(NS, NS, name(i)));
      if (at == null) continue;
      double availableAt = (at.toEpochMilli() - wall0.toEpochMilli()) / 1000.0;
      lags.add(Math.max(0, readyAt.get(name(i)) - availableAt));
    }
    List<Double> lagSorted = lags.stream().sorted().toList();
    // The operator's own moment: its Ready event, logged with milliseconds (same machine and clock as the emulator).
    Map<String, Instant> readyLogged = new HashMap<>();
    Pattern readyLine = Pattern.compile("^(\\S+ \\S+) INFO .*? " + NS + "/(c\\d+) Normal Ready: ");
    for (String line : Files.readAllLines(op.log())) {
      Matcher m = readyLine.matcher(line);
      if (!m.find()) continue;
      Instant at = java.time.LocalDateTime.parse(m.group(1).replace(' ', 'T').replace(',', '.')).atZone(java.time.ZoneId.systemDefault()).toInstant();
      if (!at.isBefore(wall0)) readyLogged.putIfAbsent(m.group(2), at); // the log file keeps earlier runs' lines
    }
    List<Double> opLags = new ArrayList<>();
    for (int i = 0; i < CACHES; i++) {
      Instant at = available.get(Names.replicationGroupId(NS, NS, name(i)));
      Instant r = readyLogged.get(name(i));
      if (at != null && r != null) opLags.add(Math.max(0, (r.toEpochMilli() - at.toEpochMilli()) / 1000.0));
    }
    List<Double> opSorted = opLags.stream().sorted().toList();
    say("AWS available (the group's 'created' event) -> the operator's Ready event (%d caches): p50 %.1f s, p95 %.1f s, max %.1f s",
        opSorted.size(), pct(opSorted, 50), pct(opSorted, 95), opSorted.get(opSorted.size() - 1));
    say("  (-> Ready as this benchmark's poll of all caches saw it, up to one poll later: p50 %.1f s, p95 %.1f s, max %.1f s)",
        pct(lagSorted, 50), pct(lagSorted, 95), lagSorted.get(lagSorted.size() - 1));
    stepsToReady(op, available, readyLogged, wall0);
  }

  /**
   * Where the time from available to Ready goes: available -> the poller's signal of the cache that
   * led to Ready (the look or sweep that read the group) -> the operator's Ready event; and what read
   * the slowest 5%.
   */
  void stepsToReady(OperatorProcess op, Map<String, Instant> available, Map<String, Instant> readyLogged, Instant wall0) throws Exception {
    Pattern signalLine = Pattern.compile("^(\\S+ \\S+) DEBUG .*? signal " + NS + "/(c\\d+) \\((.+)\\)");
    Map<String, List<Map.Entry<Instant, String>>> signals = new HashMap<>();
    for (String line : Files.readAllLines(op.log())) {
      Matcher m = signalLine.matcher(line);
      if (!m.find()) continue;
      Instant at = java.time.LocalDateTime.parse(m.group(1).replace(' ', 'T').replace(',', '.')).atZone(java.time.ZoneId.systemDefault()).toInstant();
      if (!at.isBefore(wall0)) signals.computeIfAbsent(m.group(2), k -> new ArrayList<>()).add(Map.entry(at, m.group(3)));
    }
    List<double[]> steps = new ArrayList<>(); // {available->signal, signal->Ready, total}
    List<String> by = new ArrayList<>();
    for (int i = 0; i < CACHES; i++) {
      Instant at = available.get(Names.replicationGroupId(NS, NS, name(i)));
      Instant ready = readyLogged.get(name(i));
      if (at == null || ready == null) continue;
      // The last signal before Ready: the one that told it what made it Ready (an earlier one after
      // `available` may come from a read made before it).
      var first = signals.getOrDefault(name(i), List.of()).stream().filter(e -> !e.getKey().isBefore(at) && !e.getKey().isAfter(ready))
          .reduce((x, y) -> y);
      if (first.isEmpty()) continue;
      double toSignal = (first.get().getKey().toEpochMilli() - at.toEpochMilli()) / 1000.0;
      double toReady = (ready.toEpochMilli() - first.get().getKey().toEpochMilli()) / 1000.0;
      steps.add(new double[] {toSignal, toReady, toSignal + toReady});
      by.add(first.get().getValue());
    }
    if (steps.isEmpty()) {
      say("  (no poller signals in the log: run with the fleet category at DEBUG to see the steps)");
      return;
    }
    List<Double> toSignal = steps.stream().map(x -> x[0]).sorted().toList();
    List<Double> toReady = steps.stream().map(x -> x[1]).sorted().toList();
    say("  steps (%d caches): available -> the poller's signal p50 %.1f s, p95 %.1f s; signal -> Ready p50 %.1f s, p95 %.1f s",
        steps.size(), pct(toSignal, 50), pct(toSignal, 95), pct(toReady, 50), pct(toReady, 95));
    double tail = pct(steps.stream().map(x -> x[2]).sorted().toList(), 95);
    Map<String, Integer> tailBy = new TreeMap<>();
    Map<String, Integer> allBy = new TreeMap<>();
    for (int i = 0; i < steps.size(); i++) {
      allBy.merge(by.get(i), 1, Integer::sum);
      if (steps.get(i)[2] >= tail) tailBy.merge(by.get(i), 1, Integer::sum);
    }
    say("  signalled by: %s; the slowest 5%% (>= %.1f s) by: %s", allBy, tail, tailBy);
  }

  void drift(AwsTestClients clients) {
    say("");
    say("== drift behind the operator's back, at rest (steady period 60 s, security groups listed every 4 min) ==");
    for (int i = 0; i < 2; i++) {
      String id = Names.replicationGroupId(NS, NS, name(i * 37 % CACHES));
      clients.elastiCache().modifyReplicationGroup(r -> r.replicationGroupId(id).snapshotRetentionLimit(9).applyImmediately(true));
      long d0 = System.nanoTime();
      while (true) {
        var g = clients.elastiCache().describeReplicationGroups(r -> r.replicationGroupId(id)).replicationGroups().get(0);
        if (g.snapshotRetentionLimit() == 0 && g.status().equals("available")) break;
        if ((System.nanoTime() - d0) / 1e9 > 900) throw new AssertionError("drift on " + id + " not corrected in 900 s");
        OperatorProcess.sleep(500);
      }
      say("replication group %s: snapshotRetentionLimit changed to 9, put back in %.1f s (includes the emulator's 5 s of modifying, twice)",
          id, (System.nanoTime() - d0) / 1e9);
    }
    String sgName = Names.securityGroupName(NS, NS, name(11));
    var sg = clients.ec2().describeSecurityGroups(r -> r.filters(f -> f.name("group-name").values(sgName))).securityGroups().get(0);
    IpPermission rule = IpPermission.builder().ipProtocol("tcp").fromPort(6379).toPort(6379)
        .ipRanges(IpRange.builder().cidrIp("10.0.0.0/16").build()).build();
    clients.ec2().revokeSecurityGroupIngress(r -> r.groupId(sg.groupId()).ipPermissions(rule));
    long s0 = System.nanoTime();
    while (clients.ec2().describeSecurityGroups(r -> r.groupIds(sg.groupId())).securityGroups().get(0).ipPermissions().isEmpty()) {
      if ((System.nanoTime() - s0) / 1e9 > 900) throw new AssertionError("security group rule not put back in 900 s");
      OperatorProcess.sleep(500);
    }
    say("security group %s: its ingress rule revoked, put back in %.1f s", sg.groupId(), (System.nanoTime() - s0) / 1e9);
  }

  void memory(OperatorProcess op) throws Exception {
    Proc.Result gc = Proc.run(Path.of("."), Map.of(), null, 120, List.of(OperatorProcess.jdkTool("jcmd"), Long.toString(op.pid()), "GC.run"));
    OperatorProcess.sleep(2000);
    String heap = Proc.run(Path.of("."), Map.of(), null, 120, List.of(OperatorProcess.jdkTool("jcmd"), Long.toString(op.pid()), "GC.heap_info")).out();
    Matcher used = Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(heap);
    long usedK = 0;
    long committedK = 0;
    while (used.find()) {
      committedK += Long.parseLong(used.group(1));
      usedK += Long.parseLong(used.group(2));
    }
    String status = Files.readString(Path.of("/proc/" + op.pid() + "/status"));
    Matcher rss = Pattern.compile("VmRSS:\\s+(\\d+) kB").matcher(status);
    long rssK = rss.find() ? Long.parseLong(rss.group(1)) : -1;
    Matcher threads = Pattern.compile("Threads:\\s+(\\d+)").matcher(status);
    String threadCount = threads.find() ? threads.group(1) : "?";
    String metrics = op.metrics();
    long series = metrics.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).count();
    long stateSeries = metrics.lines().filter(l -> l.startsWith("rediscache_cache_state{")).count();
    say("");
    say("== memory and metrics with %d RedisCaches and their Secrets ==", CACHES);
    say("live heap after a full GC (jcmd GC.run, GC.heap_info): %.1f MiB used of %.1f MiB committed%s", usedK / 1024.0, committedK / 1024.0,
        gc.exit() == 0 ? "" : " (GC.run failed: " + gc.err() + ")");
    say("resident set (VmRSS): %.1f MiB; %s threads", rssK / 1024.0, threadCount);
    if (NMT) {
      String nmt = Proc.run(Path.of("."), Map.of(), null, 120, List.of(OperatorProcess.jdkTool("jcmd"), Long.toString(op.pid()),
          "VM.native_memory", "summary", "scale=MB")).out();
      nmt.lines().filter(l -> l.contains("committed=") && l.startsWith("-") || l.startsWith("Total")).forEach(l -> say("  NMT %s", l.trim()));
    }
    say("/q/metrics: %d bytes, %d series (%d of them rediscache_cache_state, one per cache)", metrics.getBytes().length, series, stateSeries);
  }

  OperatorProcess restartAndSteadyState(AwsEmulator aws, ControlPlane k8s, Map<String, String> env, List<String> jvm) throws Exception {
    aws.clearCalls();
    long writes0 = statusWrites(k8s);
    long r0 = System.nanoTime();
    OperatorProcess op = OperatorProcess.start(k8s.operatorKubeconfig(), aws.uri(), NS, "fleet-restarted", env, jvm);
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
    Map<String, Integer> calls = new TreeMap<>(aws.calls());
    long writes = statusWrites(k8s) - writes0;
    say("");
    say("== operator restart over %d settled caches: first %d s ==", CACHES, RESTART_WATCH_SECONDS);
    say("%d AWS calls %s; %d status writes; %d Ready flips", calls.values().stream().mapToInt(Integer::intValue).sum(), calls, writes, flips);

    while ((System.nanoTime() - r0) / 1e9 < STEADY_SECONDS) OperatorProcess.sleep(1000);
    double window = (System.nanoTime() - r0) / 1e9;
    Map<String, Integer> steady = new TreeMap<>(aws.calls());
    long steadyWrites = statusWrites(k8s) - writes0;
    int total = steady.values().stream().mapToInt(Integer::intValue).sum();
    say("");
    say("== steady state: %.0f s from the restart (a full sweep every 30 min; the restart's own is in the window) ==", window);
    say("%d AWS calls = %.3f calls per cache-hour; %d status writes (%.1f per hour), by operation:", total,
        total / window * 3600 / CACHES, steadyWrites, steadyWrites / window * 3600);
    steady.forEach((k, v) -> say("  %-48s %6d  (%.1f per hour)", k, v, v / window * 3600));
    return op;
  }

  static double pct(List<Double> sorted, int p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  static String name(int i) {
    return String.format("c%04d", i);
  }

  static List<JsonNode> caches(ControlPlane k8s) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    JSON.readTree(k8s.kubectlWithTimeout(null, 120, "get", "rediscaches", "-n", NS, "-o", "json").ok().out()).get("items").forEach(out::add);
    return out;
  }

  static boolean ready(JsonNode c) {
    for (JsonNode cond : c.at("/status/conditions")) {
      if ("Ready".equals(cond.path("type").asText()) && "True".equals(cond.path("status").asText())) return true;
    }
    return false;
  }

  private static final Pattern REQUESTS = Pattern.compile("apiserver_request_total\\{([^}]*)\\} (\\d+(?:\\.\\d+)?(?:e[+-]?\\d+)?)");

  /** Writes of rediscaches/status (PATCH, server-side APPLY, PUT), as the API server counts them. */
  static long statusWrites(ControlPlane k8s) {
    String metrics = k8s.kubectl("get", "--raw", "/metrics").ok().out();
    long n = 0;
    Matcher m = REQUESTS.matcher(metrics);
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

  /** The JVM options deploy/operator.yaml gives the operator, for a process outside a container. */
  static final class DeployJvm {
    static List<String> options() throws Exception {
      String yaml = Files.readString(Path.of("deploy/operator.yaml"));
      Matcher opts = Pattern.compile("name: JAVA_OPTS_APPEND\\s+value: \"([^\"]*)\"").matcher(yaml);
      Matcher limit = Pattern.compile("limits:\\s+memory: (\\d+)Mi").matcher(yaml);
      if (!opts.find() || !limit.find()) throw new IllegalStateException("deploy/operator.yaml: JAVA_OPTS_APPEND or the memory limit not found");
      List<String> out = new ArrayList<>();
      // In the container the JVM sizes itself from the cgroup limit; here, MaxRAM tells it the same limit.
      out.add("-XX:MaxRAM=" + limit.group(1) + "m");
      for (String o : opts.group(1).split("\\s+")) if (!o.startsWith("-Djava.io.tmpdir")) out.add(o);
      return out;
    }

    /** The process environment deploy/operator.yaml sets for the JVM itself (MALLOC_ARENA_MAX). */
    static Map<String, String> environment() throws Exception {
      String yaml = Files.readString(Path.of("deploy/operator.yaml"));
      Matcher arenas = Pattern.compile("name: MALLOC_ARENA_MAX\\s+value: \"(\\d+)\"").matcher(yaml);
      return arenas.find() ? Map.of("MALLOC_ARENA_MAX", arenas.group(1)) : Map.of();
    }
  }
}
