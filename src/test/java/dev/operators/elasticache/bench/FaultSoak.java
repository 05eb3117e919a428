package dev.operators.elasticache.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.operators.elasticache.decide.Names;
import dev.operators.elasticache.decide.Rotation;
import dev.operators.elasticache.resources.ReplicationGroups;
import dev.operators.elasticache.testsupport.AwsEmulator;
import dev.operators.elasticache.testsupport.AwsTestClients;
import dev.operators.elasticache.testsupport.ControlPlane;
import dev.operators.elasticache.testsupport.OperatorProcess;
import dev.operators.elasticache.testsupport.Proc;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;

/**
 * A fault soak, not a timed test: `make soak` drives N caches (default 12) through create, a spec
 * change, a token rotation and delete, round after round for SOAK_MINUTES, while the emulator
 * throttles, answers 5xx, adds latency, refuses capacity, fails creates, takes backups and holds
 * changes for the maintenance window, the operator is killed (kill -9) and restarted, and
 * kube-apiserver is restarted (etcd and its data kept). It then counts duplicates, orphans, lost
 * tokens, tokens in logs/events/status, and Ready flaps, prints them, writes target/soak.txt and
 * fails when any is not zero. {@code FaultSoakIT} runs a short version inside {@code make test}.
 */
public class FaultSoak {
  static final String NS = "soak";
  static final String CLUSTER = "soak";
  static final String SMALL = "cache.t4g.small";
  static final String MICRO = "cache.t4g.micro";
  static final ObjectMapper JSON = new ObjectMapper();

  /** What to run. */
  @io.soabase.recordbuilder.core.RecordBuilder
  public record Settings(String label, int caches, double minutes, long seed, int maxKills, int killMinSeconds, int killMaxSeconds,
      int maxApiRestarts, int apiMinSeconds, int apiMaxSeconds, int maxCreateFailures, int dwellMinSeconds, int dwellMaxSeconds,
      int stepTimeoutSeconds, String reportFile) {
    static Settings full() {
      return FaultSoakSettingsBuilder.builder()
          .label("full")
          .caches(Integer.getInteger("soak.caches", 12))
          .minutes(Double.parseDouble(System.getProperty("soak.minutes", "10")))
          .seed(Long.getLong("soak.seed", System.currentTimeMillis() % 100000))
          .maxKills(Integer.MAX_VALUE).killMinSeconds(40).killMaxSeconds(110)
          .maxApiRestarts(Integer.MAX_VALUE).apiMinSeconds(80).apiMaxSeconds(160)
          .maxCreateFailures(4)
          .dwellMinSeconds(5).dwellMaxSeconds(25)
          .stepTimeoutSeconds(600)
          .reportFile("target/soak.txt")
          .build();
    }

    public static Settings quick() {
      return FaultSoakSettingsBuilder.builder()
          .label("short")
          .caches(3)
          .minutes(0)
          .seed(Long.getLong("soak.seed", System.currentTimeMillis() % 100000))
          .maxKills(1).killMinSeconds(20).killMaxSeconds(30)
          .maxApiRestarts(1).apiMinSeconds(40).apiMaxSeconds(55)
          .maxCreateFailures(1)
          .dwellMinSeconds(3).dwellMaxSeconds(6)
          .stepTimeoutSeconds(300)
          .reportFile("target/soak-short.txt")
          .build();
    }
  }

  enum Phase { CREATING, STABLE, CHANGING, ROTATING, DELETING, GONE }

  Settings s = Settings.full();
  Random random = new Random(s.seed());
  final long t0 = System.nanoTime();
  volatile boolean done;

  AwsEmulator aws;
  AwsTestClients clients;
  ControlPlane k8s;
  volatile OperatorProcess operator;
  String subnetA;
  String subnetB;

  final Map<String, Phase> phase = new ConcurrentHashMap<>();
  final Set<String> tokensSeen = ConcurrentHashMap.newKeySet();
  final List<String> duplicates = Collections.synchronizedList(new ArrayList<>());
  final List<String> orphans = Collections.synchronizedList(new ArrayList<>());
  final List<String> tokensLost = Collections.synchronizedList(new ArrayList<>());
  final Map<String, String> tokensLeaked = new ConcurrentHashMap<>();
  final List<String> flaps = Collections.synchronizedList(new ArrayList<>());
  final List<String> stuck = Collections.synchronizedList(new ArrayList<>());
  /** A person who sets the recreate annotation expects the operator to act within a sweep or two, not at its next 10-minute look. */
  static final int RECREATE_LIMIT_SECONDS = 60;
  final List<String> recreateSlow = Collections.synchronizedList(new ArrayList<>());
  final List<String> notes = Collections.synchronizedList(new ArrayList<>());
  final AtomicInteger tokenChecks = new AtomicInteger();
  final AtomicInteger duplicateChecks = new AtomicInteger();
  final AtomicInteger lifecycles = new AtomicInteger();
  final AtomicInteger readyDrops = new AtomicInteger();
  final AtomicInteger readyDropsExcused = new AtomicInteger();
  final AtomicInteger readyDropsAwsUnknown = new AtomicInteger();
  final AtomicInteger polls = new AtomicInteger();
  final AtomicInteger pollsFailed = new AtomicInteger();
  final AtomicInteger createFailedRecovered = new AtomicInteger();
  final AtomicInteger maintenanceApplied = new AtomicInteger();
  final Map<String, List<Double>> durations = new ConcurrentHashMap<>();
  final Map<String, Integer> chaos = new ConcurrentHashMap<>();
  final Map<String, Integer> excusedWhy = new ConcurrentHashMap<>();
  final Map<String, Integer> warnings = new TreeMap<>();
  int operatorErrors;

  /** Other settings than the full ones from the soak.* system properties (JUnit wants one constructor). */
  public FaultSoak with(Settings settings) {
    this.s = settings;
    this.random = new Random(settings.seed());
    return this;
  }

  @Test
  void soak() throws Exception {
    runAndReport();
  }

  /** Runs the soak, prints and writes the report; throws when a check is not zero. */
  public void runAndReport() throws Exception {
    String report;
    boolean passed;
    try {
      run();
    } finally {
      report = report();
      passed = failures() == 0;
      System.out.println("\n===== fault soak (" + s.label() + ") =====\n" + report);
      Files.createDirectories(Path.of("target"));
      Files.writeString(Path.of(s.reportFile()), report);
    }
    if (!passed) throw new AssertionError("fault soak: " + failures() + " check(s) not zero; see " + s.reportFile() + "\n" + report);
  }

  int failures() {
    return duplicates.size() + orphans.size() + tokensLost.size() + tokensLeaked.size() + flaps.size() + stuck.size() + recreateSlow.size();
  }

  // ------------------------------------------------------------------------------------------ run

  void run() throws Exception {
    Path opLog = Path.of("target/operator-soak-" + s.label() + ".log");
    Files.deleteIfExists(opLog);
    aws = AwsEmulator.start("--creating-seconds", "3", "--modifying-seconds", "3", "--deleting-seconds", "3",
        "--snapshotting-seconds", "5", "--eni-release-seconds", "4", "--secret-deletion-seconds", "6");
    try {
      clients = AwsTestClients.of(aws);
      k8s = ControlPlane.start("soak-" + s.label());
      try {
        var ec2 = clients.ec2();
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        subnetA = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone("us-east-1a")).subnet().subnetId();
        subnetB = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.2.0/24").availabilityZone("us-east-1b")).subnet().subnetId();
        k8s.installCrd();
        for (String f : List.of("deploy/namespace.yaml", "deploy/serviceaccount.yaml", "deploy/rbac.yaml")) k8s.kubectl("apply", "-f", f).ok();
        k8s.kubectl("create", "namespace", NS).ok();
        operator = startOperator();
        try {
          soakPhase();
          finalChecks(opLog);
        } finally {
          done = true;
          if (operator != null) operator.close();
        }
      } finally {
        k8s.close();
      }
    } finally {
      if (clients != null) clients.close();
      aws.close();
    }
  }

  OperatorProcess startOperator() {
    return OperatorProcess.start(k8s.operatorKubeconfig(), aws.uri(), CLUSTER, "soak-" + s.label(), Map.of(
        "REDISCACHE_SWEEP_FAST_PERIOD", "1s", "REDISCACHE_SWEEP_STEADY_PERIOD", "5s", "REDISCACHE_AWS_MAX_ATTEMPTS", "3"));
  }

  void soakPhase() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(s.caches() + 2);
    // The first create AWS accepts ends in create-failed (the operator stalls with AWS's reason; the soak asks for a recreate).
    aws.failNextCreates(1, "Insufficient capacity for " + MICRO + " in us-east-1a (injected by the fault soak)");
    count("create failures asked", 1);
    Future<?> monitor = pool.submit(this::monitorLoop);
    Future<?> chaosLoop = pool.submit(this::chaosLoop);
    List<Future<?>> slots = new ArrayList<>();
    for (int i = 0; i < s.caches(); i++) {
      int slot = i;
      slots.add(pool.submit(() -> {
        OperatorProcess.sleep(slot * 1500L); // staggered, so faults meet every step
        int round = 0;
        do {
          lifecycle(slot, round++);
        } while (elapsed() < s.minutes() * 60);
        return null;
      }));
    }
    for (Future<?> f : slots) {
      try {
        f.get();
      } catch (java.util.concurrent.ExecutionException e) {
        stuck.add("a cache driver failed: " + e.getCause());
        e.getCause().printStackTrace();
      }
    }
    done = true;
    chaosLoop.get(5, TimeUnit.MINUTES);
    monitor.get(1, TimeUnit.MINUTES);
    pool.shutdownNow();
    chaos.put("soak seconds", (int) elapsed());
  }

  double elapsed() {
    return (System.nanoTime() - t0) / 1e9;
  }

  void log(String fmt, Object... args) {
    System.out.printf("[soak %6.1f s] %s%n", elapsed(), String.format(fmt, args));
  }

  // ---------------------------------------------------------------------------- one cache's life

  void lifecycle(int slot, int round) {
    String name = "s" + slot;
    String rgId = Names.replicationGroupId(CLUSTER, NS, name);
    boolean nodeTypeChange = slot % 2 == 0;
    boolean deferred = slot % 4 == 0;
    String createType = nodeTypeChange ? MICRO : SMALL;
    phase.put(name, Phase.CREATING);
    long t = System.nanoTime();
    kubectlIn(cacheYaml(name, createType, 1, deferred), "apply", "-f", "-");
    boolean ok = awaitConverged(name, rgId, "create", g -> true);
    record("create → Ready", t);
    log("%s round %d: created%s", name, round, ok ? "" : " NOT (stuck)");
    if (ok) {
      checkDuplicates(name, rgId);
      checkToken(name, rgId, "after create");
      dwell(name);

      phase.put(name, Phase.CHANGING);
      t = System.nanoTime();
      if (nodeTypeChange) {
        kubectl("patch", "rediscache", name, "-n", NS, "--type=merge", "-p", "{\"spec\":{\"nodeType\":\"" + SMALL + "\"}}");
        if (deferred) ok = applyInMaintenanceWindow(name, rgId);
        ok = ok && awaitConverged(name, rgId, deferred ? "deferred node type change" : "node type change", g -> SMALL.equals(g.cacheNodeType()));
      } else {
        kubectl("patch", "rediscache", name, "-n", NS, "--type=merge", "-p", "{\"spec\":{\"backups\":{\"retentionDays\":3}}}");
        ok = awaitConverged(name, rgId, "backup retention change", g -> Integer.valueOf(3).equals(g.snapshotRetentionLimit()));
      }
      record(nodeTypeChange ? (deferred ? "node type change (maintenance window) → Ready" : "node type change → Ready")
          : "backup retention change → Ready", t);
      log("%s round %d: changed%s", name, round, ok ? "" : " NOT (stuck)");
    }
    if (ok) {
      checkToken(name, rgId, "after change");
      dwell(name);

      phase.put(name, Phase.ROTATING);
      t = System.nanoTime();
      String before = secret(name).getOrDefault("password", "");
      String request = "soak-" + round + "-" + System.currentTimeMillis();
      kubectl("annotate", "--overwrite", "rediscache", name, "-n", NS, Rotation.REQUEST_ANNOTATION + "=" + request);
      ok = awaitUntil(s.stepTimeoutSeconds(), () -> {
        JsonNode sec = secretJson(name);
        if (sec == null) return false;
        JsonNode ann = sec.path("metadata").path("annotations");
        return request.equals(ann.path(Rotation.HANDLED_ANNOTATION).asText()) && ann.path(Rotation.PHASE_ANNOTATION).isMissingNode();
      });
      ok = ok && awaitConverged(name, rgId, "rotation", g -> true);
      String after = secret(name).getOrDefault("password", "");
      if (ok && after.equals(before)) notes.add(name + " round " + round + ": the rotation ended with the same token in the Secret");
      record("token rotation → done", t);
      if (!ok) stuck.add(name + " round " + round + ": rotation " + request + " not finished within " + s.stepTimeoutSeconds() + " s; "
          + describe(name));
      log("%s round %d: rotated%s", name, round, ok ? "" : " NOT (stuck)");
      if (ok) {
        checkToken(name, rgId, "after rotation, before delete");
        checkDuplicates(name, rgId);
        dwell(name);
      }
    }

    phase.put(name, Phase.DELETING);
    t = System.nanoTime();
    kubectl("delete", "rediscache", name, "-n", NS, "--wait=false", "--ignore-not-found");
    boolean gone = awaitUntil(s.stepTimeoutSeconds(), () -> {
      Proc.Result r = k8s.kubectl("get", "rediscache", name, "-n", NS, "--ignore-not-found", "-o", "name");
      return r.exit() == 0 && r.out().isBlank();
    });
    record("delete → gone", t);
    if (!gone) stuck.add(name + " round " + round + ": not deleted within " + s.stepTimeoutSeconds() + " s; " + describe(name));
    log("%s round %d: deleted%s", name, round, gone ? "" : " NOT (stuck)");
    phase.put(name, Phase.GONE);
    lifecycles.incrementAndGet();
    OperatorProcess.sleep(1000L + random(0, 5000));
  }

  String cacheYaml(String name, String nodeType, int retention, boolean deferred) {
    return "apiVersion: elasticache.operators.dev/v1alpha1\nkind: RedisCache\nmetadata:\n  name: " + name + "\n  namespace: " + NS + "\nspec:\n"
        + "  nodeType: " + nodeType + "\n" + (deferred ? "  applyChanges: NextMaintenanceWindow\n" : "")
        + "  backups: {retentionDays: " + retention + "}\n"
        + "  auth: {enabled: true, rotation: {gracePeriod: 10s}}\n"
        + "  network:\n    subnetIds: [" + subnetA + ", " + subnetB + "]\n    allowedCidrBlocks: [10.0.0.0/16]\n";
  }

  void dwell(String name) {
    phase.put(name, Phase.STABLE);
    OperatorProcess.sleep(1000L * random(s.dwellMinSeconds(), s.dwellMaxSeconds()));
  }

  void record(String what, long startNanos) {
    durations.computeIfAbsent(what, k -> Collections.synchronizedList(new ArrayList<>())).add((System.nanoTime() - startNanos) / 1e9);
  }

  /** The node type change waits in AWS for the window; the soak makes the window come (emulator control call). */
  boolean applyInMaintenanceWindow(String name, String rgId) {
    boolean held = awaitUntil(s.stepTimeoutSeconds(), () -> {
      ReplicationGroup g = group(rgId);
      return g != null && g.pendingModifiedValues() != null && g.memberClusters() != null
          && (pendingNodeType(rgId) || SMALL.equals(g.cacheNodeType()));
    });
    if (!held) {
      stuck.add(name + ": the deferred node type change never showed in AWS's pending changes; " + describe(name));
      return false;
    }
    boolean applied = awaitUntil(s.stepTimeoutSeconds(), () -> {
      ReplicationGroup g = group(rgId);
      if (g != null && SMALL.equals(g.cacheNodeType())) return true;
      List<String> fields = aws.tryMaintenanceWindow(rgId);
      if (fields != null && fields.contains("CacheNodeType")) {
        maintenanceApplied.incrementAndGet();
        log("%s: maintenance window applied %s", name, fields);
        return true;
      }
      OperatorProcess.sleep(1000);
      return false;
    });
    if (!applied) stuck.add(name + ": the maintenance window could not apply the node type change; " + describe(name));
    return applied;
  }

  boolean pendingNodeType(String rgId) {
    var clusters = retry(() -> clients.elastiCache().describeCacheClusters(r -> r.maxRecords(100)).cacheClusters());
    return clusters.stream().filter(c -> rgId.equals(c.replicationGroupId())).anyMatch(c -> c.pendingModifiedValues() != null && SMALL.equals(c.pendingModifiedValues().cacheNodeType()));
  }

  /**
   * Until the operator has seen the latest generation, Ready is True, nothing is pending or
   * rotating, and AWS's group is available (or snapshotting) and satisfies {@code aws}. A create
   * AWS failed (Stalled CreateFailed) is asked to be recreated, as a person would.
   */
  boolean awaitConverged(String name, String rgId, String step, java.util.function.Predicate<ReplicationGroup> awsCheck) {
    String[] lastFailedUid = {null};
    long[] recreateAsked = {0};
    boolean ok = awaitUntil(s.stepTimeoutSeconds(), () -> {
      JsonNode c = cacheJson(name);
      if (c == null) return false;
      JsonNode stalled = condition(c, "Stalled");
      boolean createFailed = stalled != null && "True".equals(stalled.path("status").asText()) && "CreateFailed".equals(stalled.path("reason").asText());
      if (!createFailed && recreateAsked[0] != 0) {
        double waited = (System.nanoTime() - recreateAsked[0]) / 1e9;
        durations.computeIfAbsent("recreate annotation → acted on (Stalled CreateFailed left)", k -> Collections.synchronizedList(new ArrayList<>())).add(waited);
        if (waited > RECREATE_LIMIT_SECONDS) {
          recreateSlow.add(String.format("%s: the recreate annotation set at %.0f s was acted on only %.0f s later (limit %d s)", name,
              elapsed() - waited, waited, RECREATE_LIMIT_SECONDS));
        }
        log("%s: recreate acted on after %.1f s", name, waited);
        recreateAsked[0] = 0;
      }
      if (createFailed) {
        String key = c.at("/metadata/uid").asText() + "/" + stalled.path("lastTransitionTime").asText() + "/" + stalled.path("message").asText();
        if (!key.equals(lastFailedUid[0]) || recreateAsked[0] == 0) {
          lastFailedUid[0] = key;
          createFailedRecovered.incrementAndGet();
          log("%s: Stalled CreateFailed (%s); asking for a recreate", name, stalled.path("message").asText());
          kubectl("annotate", "--overwrite", "rediscache", name, "-n", NS, ReplicationGroups.RECREATE_ANNOTATION + "=soak-" + System.nanoTime());
          recreateAsked[0] = System.nanoTime();
        }
        return false;
      }
      JsonNode ready = condition(c, "Ready");
      if (ready == null || !"True".equals(ready.path("status").asText())) return false;
      if (c.at("/status/observedGeneration").asLong() != c.at("/metadata/generation").asLong()) return false;
      if (c.at("/status").has("pendingChanges") && c.at("/status/pendingChanges").size() > 0) return false;
      if (c.at("/status").has("tokenRotation")) return false;
      ReplicationGroup g = group(rgId);
      return g != null && (g.status().equals("available") || g.status().equals("snapshotting")) && awsCheck.test(g);
    });
    if (!ok && recreateAsked[0] != 0) {
      recreateSlow.add(String.format("%s: the recreate annotation set %.0f s before the end of the %s step was never acted on", name,
          (System.nanoTime() - recreateAsked[0]) / 1e9, step));
    }
    if (!ok) stuck.add(name + ": " + step + " not converged within " + s.stepTimeoutSeconds() + " s; " + describe(name));
    return ok;
  }

  // ---------------------------------------------------------------------------------- checks

  void checkToken(String name, String rgId, String when) {
    tokenChecks.incrementAndGet();
    String password = secret(name).get("password");
    if (password != null) tokensSeen.add(password);
    List<String> accepted;
    try {
      accepted = aws.authTokens(rgId);
    } catch (RuntimeException e) {
      tokensLost.add(name + " " + when + ": no group to ask (" + e.getMessage() + ")");
      return;
    }
    if (password == null || !accepted.contains(password)) {
      tokensLost.add(name + " " + when + ": the Secret's password " + (password == null ? "is missing" : "is not accepted")
          + " by " + rgId + " (AWS accepts " + accepted.size() + " token(s))");
    }
  }

  void checkDuplicates(String name, String rgId) {
    duplicateChecks.incrementAndGet();
    Map<String, Integer> counts = new LinkedHashMap<>();
    counts.put("replication groups", (int) retry(() -> clients.elastiCache().describeReplicationGroups().replicationGroups()).stream()
        .filter(g -> g.replicationGroupId().equals(rgId)).count());
    Set<String> sgs = new java.util.HashSet<>();
    retry(() -> clients.ec2().describeSecurityGroups(r -> r.filters(Filter.builder().name("tag:" + Names.TAG_NAME).values(name).build(),
        Filter.builder().name("tag:" + Names.TAG_NAMESPACE).values(NS).build(),
        Filter.builder().name("tag:" + Names.TAG_CLUSTER).values(CLUSTER).build())).securityGroups()).forEach(g -> sgs.add(g.groupId()));
    retry(() -> clients.ec2().describeSecurityGroups(r -> r.filters(Filter.builder().name("group-name")
        .values(Names.securityGroupName(CLUSTER, NS, name)).build())).securityGroups()).forEach(g -> sgs.add(g.groupId()));
    counts.put("security groups", sgs.size());
    counts.put("subnet groups", (int) retry(() -> clients.elastiCache().describeCacheSubnetGroups().cacheSubnetGroups()).stream()
        .filter(g -> g.cacheSubnetGroupName().equals(Names.subnetGroupName(CLUSTER, NS, name))).count());
    String secretName = Names.authSecretName(CLUSTER, NS, name);
    counts.put("secrets", (int) retry(() -> clients.secrets().listSecrets(r -> r.maxResults(100)).secretList()).stream()
        .filter(x -> secretName.equals(x.name()) && x.deletedDate() == null).count());
    counts.forEach((what, n) -> {
      if (n > 1) duplicates.add(name + ": " + n + " " + what + " (expected 1)");
      if (n == 0) notes.add(name + ": no " + what + " found while Ready (expected 1)");
    });
  }

  void finalChecks(Path opLog) throws Exception {
    // Let AWS's own delays pass (ENIs 4 s, secret deletion 6 s) and faults end before counting what is left.
    OperatorProcess.sleep(15_000);
    String prefix = Names.replicationGroupId(CLUSTER, NS, "x").substring(0, ("rc-" + NS + "-").length());
    var ec = clients.elastiCache();
    retry(() -> ec.describeReplicationGroups().replicationGroups()).stream().filter(g -> g.replicationGroupId().startsWith(prefix))
        .forEach(g -> orphans.add("replication group " + g.replicationGroupId() + " (" + g.status() + ")"));
    retry(() -> ec.describeCacheSubnetGroups().cacheSubnetGroups()).stream().filter(g -> g.cacheSubnetGroupName().startsWith(prefix))
        .forEach(g -> orphans.add("cache subnet group " + g.cacheSubnetGroupName()));
    retry(() -> ec.describeCacheParameterGroups().cacheParameterGroups()).stream().filter(g -> g.cacheParameterGroupName().startsWith(prefix))
        .forEach(g -> orphans.add("cache parameter group " + g.cacheParameterGroupName()));
    retry(() -> clients.ec2Port().listSecurityGroupsTagged(Names.TAG_CLUSTER, CLUSTER))
        .forEach(g -> orphans.add("security group " + g.groupId() + " " + g.groupName()));
    retry(() -> clients.secrets().listSecrets(r -> r.includePlannedDeletion(true).maxResults(100)).secretList()).stream()
        .filter(x -> x.name().startsWith("rediscache/" + CLUSTER + "/"))
        .forEach(x -> orphans.add("secret " + x.name() + (x.deletedDate() != null ? " (scheduled for deletion " + x.deletedDate() + ")" : "")));
    var snapshots = retry(() -> ec.describeSnapshots().snapshots()).stream()
        .filter(x -> x.replicationGroupId() != null && x.replicationGroupId().startsWith(prefix)).toList();
    snapshots.stream().filter(x -> !"automated".equals(x.snapshotSource()))
        .forEach(x -> orphans.add("snapshot " + x.snapshotName() + " (" + x.snapshotSource() + ")"));
    long automated = snapshots.stream().filter(x -> "automated".equals(x.snapshotSource())).count();
    if (automated > 0) notes.add(automated + " automatic backup(s) of deleted groups still listed (AWS deletes automatic backups with the group)");
    Proc.Result left = k8s.kubectl("get", "secrets", "-n", NS, "-o", "name");
    if (!left.out().isBlank()) {
      notes.add("Kubernetes Secrets left in namespace " + NS + " (owned by deleted RedisCaches; this control plane runs no garbage collector): "
          + left.out().trim().replace('\n', ' '));
    }

    // Tokens: every one the soak saw in a Secret, searched in the operator's log, all events and every RedisCache status.
    String logText = Files.exists(opLog) ? Files.readString(opLog) : "";
    String events = kubectl("get", "events", "-A", "-o", "json").out();
    String caches = kubectl("get", "rediscaches", "-A", "-o", "json").out();
    for (String token : tokensSeen) {
      if (logText.contains(token)) tokensLeaked.putIfAbsent(token, "operator log " + opLog);
      if (events.contains(token)) tokensLeaked.putIfAbsent(token, "events");
      if (caches.contains(token)) tokensLeaked.putIfAbsent(token, "RedisCache");
    }
    Files.writeString(Path.of("target/soak-" + s.label() + "-events.json"), events);
    for (JsonNode e : JSON.readTree(events).path("items")) {
      if (!"Warning".equals(e.path("type").asText())) continue;
      String msg = e.path("message").asText();
      int colon = msg.indexOf(": ");
      String code = colon < 0 ? "" : msg.substring(colon + 2).split("[: ]")[0];
      warnings.merge(e.path("reason").asText() + " " + code, e.path("count").asInt(1), Integer::sum);
    }
    operatorErrors = (int) logText.lines().filter(l -> l.contains(" ERROR ")).count();
  }

  // ------------------------------------------------------------------------------- the monitor

  record Seen(String ready, String aws, Phase phase) {}

  /** Every second: Ready of every cache against AWS's group status; every token in a Secret; tokens in any status. */
  void monitorLoop() {
    Map<String, Seen> last = new HashMap<>();
    while (!done) {
      OperatorProcess.sleep(1000);
      Map<String, Phase> phases = new HashMap<>(phase);
      Proc.Result r = k8s.kubectlWithTimeout(null, 20, "get", "rediscaches,secrets", "-n", NS, "-o", "json");
      Map<String, String> awsStatus = new HashMap<>();
      boolean awsKnown = true;
      try {
        retry(() -> clients.elastiCache().describeReplicationGroups().replicationGroups())
            .forEach(g -> awsStatus.put(g.replicationGroupId(), g.status()));
      } catch (RuntimeException e) {
        awsKnown = false;
      }
      polls.incrementAndGet();
      if (r.exit() != 0) {
        pollsFailed.incrementAndGet();
        continue;
      }
      JsonNode items;
      try {
        items = JSON.readTree(r.out()).path("items");
      } catch (Exception e) {
        pollsFailed.incrementAndGet();
        continue;
      }
      for (JsonNode item : items) {
        if ("Secret".equals(item.path("kind").asText())) {
          for (String key : List.of("password", Rotation.PENDING_KEY)) {
            String v = item.path("data").path(key).asText(null);
            if (v != null) tokensSeen.add(new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8));
          }
        }
      }
      for (JsonNode item : items) {
        if (!"RedisCache".equals(item.path("kind").asText())) continue;
        String name = item.at("/metadata/name").asText();
        String uid = item.at("/metadata/uid").asText();
        String statusText = item.path("status").toString();
        for (String token : tokensSeen) {
          if (statusText.contains(token)) tokensLeaked.putIfAbsent(token, "status of " + name);
        }
        JsonNode ready = condition(item, "Ready");
        String readyNow = ready == null ? "none" : ready.path("status").asText();
        String rgId = Names.replicationGroupId(CLUSTER, NS, name);
        String awsNow = awsKnown ? awsStatus.getOrDefault(rgId, "absent") : null;
        // The phase before the read, unless the soak began a step while kubectl was reading (a patch
        // the read already shows): then the step's.
        Phase ph = phases.get(name) == Phase.STABLE ? phase.get(name) : phases.get(name);
        Seen before = last.get(uid);
        if (before != null && "True".equals(before.ready()) && !"True".equals(readyNow) && item.at("/metadata/deletionTimestamp").isMissingNode()) {
          readyDrops.incrementAndGet();
          boolean quietAws = healthy(before.aws()) && healthy(awsNow);
          if (awsNow == null || before.aws() == null) readyDropsAwsUnknown.incrementAndGet();
          if (before.phase() == Phase.STABLE && ph == Phase.STABLE && quietAws) {
            String msg = String.format("%s at %.0f s: Ready True → %s (%s: %s) while AWS reported %s and nothing was in flight; operator pid log %s",
                name, elapsed(), readyNow, ready == null ? "-" : ready.path("reason").asText(), ready == null ? "-" : ready.path("message").asText(),
                awsNow, operator == null ? "-" : operator.log());
            flaps.add(msg);
            log("FLAP %s", msg);
          } else {
            readyDropsExcused.incrementAndGet();
            excusedWhy.merge(String.format("%-9s AWS %-12s → Ready %s/%s", ph, awsNow, readyNow, ready == null ? "-" : ready.path("reason").asText()),
                1, Integer::sum);
          }
        }
        last.put(uid, new Seen(readyNow, awsNow, ph));
      }
    }
  }

  static boolean healthy(String awsStatus) {
    return "available".equals(awsStatus) || "snapshotting".equals(awsStatus);
  }

  // ------------------------------------------------------------------------------- the chaos

  void count(String what, int n) {
    chaos.merge(what, n, Integer::sum);
  }

  /** Faults, capacity refusals, create failures, backups, operator kills and API server restarts, at random moments. */
  void chaosLoop() {
    double nextKill = random(s.killMinSeconds(), s.killMaxSeconds());
    double nextApi = random(s.apiMinSeconds(), s.apiMaxSeconds());
    double faultsUntil = -1;
    double capacityUntil = -1;
    int kills = 0;
    int apiRestarts = 0;
    int createFailures = 1;
    Map<String, Integer> asked = new HashMap<>();
    List<String> firstOfEach = new ArrayList<>(List.of("faults", "backup", "capacity"));
    while (!done) {
      OperatorProcess.sleep(1000L * random(2, 5));
      if (done) break;
      double now = elapsed();
      try {
        if (faultsUntil > 0 && now > faultsUntil) {
          harvestFaults(asked);
          faultsUntil = -1;
        }
        if (capacityUntil > 0 && now > capacityUntil) {
          aws.config(Map.of("insufficientCapacityNodeTypes", List.of()));
          log("chaos: capacity for %s back", SMALL);
          capacityUntil = -1;
        }
        if (now >= nextKill && kills < s.maxKills()) {
          kills++;
          OperatorProcess old = operator;
          operator = null;
          old.kill();
          count("operator kills (kill -9)", 1);
          long down = 1000L * random(0, 4);
          OperatorProcess.sleep(down);
          long t = System.nanoTime();
          operator = startOperator();
          record("operator restart → ready (after kill)", t);
          log("chaos: operator killed and restarted (down %d ms)", down);
          nextKill = elapsed() + random(s.killMinSeconds(), s.killMaxSeconds());
          continue;
        }
        if (now >= nextApi && apiRestarts < s.maxApiRestarts()) {
          apiRestarts++;
          int down = random(1, 5);
          double unreachable = k8s.restartApiServer(down);
          count("kube-apiserver restarts", 1);
          durations.computeIfAbsent("kube-apiserver unreachable per restart", k -> Collections.synchronizedList(new ArrayList<>())).add(unreachable);
          log("chaos: kube-apiserver restarted (%.1f s unreachable)", unreachable);
          nextApi = elapsed() + random(s.apiMinSeconds(), s.apiMaxSeconds());
          continue;
        }
        String action = !firstOfEach.isEmpty() ? firstOfEach.get(0) : pick();
        boolean doneAction = switch (action) {
          case "faults" -> {
            if (faultsUntil > 0) yield false;
            injectFaults(asked);
            faultsUntil = elapsed() + random(10, 25);
            yield true;
          }
          case "backup" -> backupSomething();
          case "capacity" -> {
            if (capacityUntil > 0) yield false;
            aws.config(Map.of("insufficientCapacityNodeTypes", List.of(SMALL)));
            count("capacity refusal windows (" + SMALL + ")", 1);
            capacityUntil = elapsed() + random(15, 40);
            log("chaos: no capacity for %s until %.0f s", SMALL, capacityUntil);
            yield true;
          }
          case "createFailure" -> {
            if (createFailures >= s.maxCreateFailures()) yield true;
            createFailures++;
            aws.failNextCreates(1, "Insufficient capacity for " + MICRO + " in us-east-1a (injected by the fault soak)");
            count("create failures asked", 1);
            log("chaos: the next create fails");
            yield true;
          }
          default -> true;
        };
        if (doneAction && !firstOfEach.isEmpty() && firstOfEach.get(0).equals(action)) firstOfEach.remove(0);
      } catch (RuntimeException | AssertionError e) {
        notes.add(String.format("chaos step failed at %.0f s: %s", now, e));
        log("chaos step failed: %s", e);
      }
    }
    try {
      harvestFaults(asked);
      aws.config(Map.of("insufficientCapacityNodeTypes", List.of()));
      int pending = aws.pendingCreateFailures();
      count("create failures that hit a create", chaos.getOrDefault("create failures asked", 0) - pending);
      aws.clearCreateFailures();
    } catch (RuntimeException e) {
      notes.add("chaos clean-up failed: " + e);
    }
  }

  String pick() {
    int r = random(0, 99);
    if (r < 50) return "faults";
    if (r < 80) return "backup";
    if (r < 93) return "capacity";
    return "createFailure";
  }

  void injectFaults(Map<String, Integer> asked) {
    String[] services = {"elasticache", "ec2", "secretsmanager"};
    String[] ecActions = {"*", "DescribeReplicationGroups", "ModifyReplicationGroup", "CreateReplicationGroup", "DeleteReplicationGroup"};
    int throttle = random(2, 8);
    String action = ecActions[random(0, ecActions.length - 1)];
    aws.faults("elasticache", action, throttle, 0, 0);
    asked.merge("throttle", throttle, Integer::sum);
    String svc = services[random(0, 2)];
    int errors = random(1, 4);
    int status = random(0, 1) == 0 ? 500 : 503;
    aws.faults(svc, "*", 0, errors, 0, status);
    asked.merge("5xx", errors, Integer::sum);
    String slow = services[random(0, 2)];
    int latency = random(200, 1500);
    aws.faults(slow, "*", 0, 0, latency);
    count("latency windows", 1);
    log("chaos: %d throttles on elasticache:%s, %d HTTP %d on %s, %d ms latency on %s", throttle, action, errors, status, svc, latency, slow);
  }

  void harvestFaults(Map<String, Integer> asked) {
    int throttleLeft = 0;
    int errorsLeft = 0;
    for (Map<String, Object> rule : aws.faultRules()) {
      throttleLeft += ((Number) rule.getOrDefault("throttle", 0)).intValue();
      errorsLeft += ((Number) rule.getOrDefault("serverError", 0)).intValue();
    }
    aws.clearFaults();
    count("throttling answers (fired)", asked.getOrDefault("throttle", 0) - throttleLeft);
    count("5xx answers (fired)", asked.getOrDefault("5xx", 0) - errorsLeft);
    asked.clear();
  }

  boolean backupSomething() {
    List<String> candidates = new ArrayList<>();
    retry(() -> clients.elastiCache().describeReplicationGroups().replicationGroups()).stream()
        .filter(g -> g.status().equals("available") && g.snapshotRetentionLimit() != null && g.snapshotRetentionLimit() > 0)
        .forEach(g -> candidates.add(g.replicationGroupId()));
    if (candidates.isEmpty()) return false;
    String id = candidates.get(random(0, candidates.size() - 1));
    if (aws.tryBackup(id)) {
      count("automatic backups started", 1);
      log("chaos: backup window for %s", id);
      return true;
    }
    return false;
  }

  // ----------------------------------------------------------------------------------- helpers

  synchronized int random(int min, int max) {
    return min + random.nextInt(max - min + 1);
  }

  static JsonNode condition(JsonNode cache, String type) {
    for (JsonNode c : cache.at("/status/conditions")) {
      if (type.equals(c.path("type").asText())) return c;
    }
    return null;
  }

  ReplicationGroup group(String rgId) {
    return retry(() -> clients.elastiCache().describeReplicationGroups().replicationGroups()).stream()
        .filter(g -> g.replicationGroupId().equals(rgId)).findFirst().orElse(null);
  }

  /** The soak's own AWS calls meet the injected faults too: retried (they are observations, not the operator's). */
  static <T> T retry(Supplier<T> call) {
    SdkException last = null;
    for (int i = 0; i < 30; i++) {
      try {
        return call.get();
      } catch (SdkException e) {
        last = e;
        OperatorProcess.sleep(300L + 100L * i);
      }
    }
    throw last;
  }

  /** kubectl, retried while the API server is away (restarts are part of the soak). */
  Proc.Result kubectl(String... args) {
    return kubectlIn(null, args);
  }

  Proc.Result kubectlIn(String stdin, String... args) {
    Proc.Result r = null;
    for (int i = 0; i < 60; i++) {
      r = k8s.kubectlWithTimeout(stdin, 60, args);
      if (r.exit() == 0) return r;
      OperatorProcess.sleep(1000);
    }
    throw new AssertionError("kubectl " + String.join(" ", args) + " failed 60 times: " + r.err());
  }

  JsonNode cacheJson(String name) {
    Proc.Result r = k8s.kubectlWithTimeout(null, 30, "get", "rediscache", name, "-n", NS, "-o", "json");
    if (r.exit() != 0) return null;
    try {
      return JSON.readTree(r.out());
    } catch (Exception e) {
      return null;
    }
  }

  JsonNode secretJson(String name) {
    Proc.Result r = k8s.kubectlWithTimeout(null, 30, "get", "secret", name + "-redis", "-n", NS, "-o", "json");
    if (r.exit() != 0) return null;
    try {
      return JSON.readTree(r.out());
    } catch (Exception e) {
      return null;
    }
  }

  Map<String, String> secret(String name) {
    JsonNode s = null;
    for (int i = 0; i < 30 && s == null; i++) {
      s = secretJson(name);
      if (s == null) OperatorProcess.sleep(1000);
    }
    Map<String, String> out = new TreeMap<>();
    if (s == null) return out;
    s.path("data").fields().forEachRemaining(e -> out.put(e.getKey(), new String(Base64.getDecoder().decode(e.getValue().asText()), StandardCharsets.UTF_8)));
    if (out.get("password") != null) tokensSeen.add(out.get("password"));
    return out;
  }

  String describe(String name) {
    JsonNode c = cacheJson(name);
    return c == null ? "(not readable)" : "status " + c.path("status");
  }

  boolean awaitUntil(int seconds, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      try {
        if (condition.getAsBoolean()) return true;
      } catch (RuntimeException e) {
        // the API server or AWS away for a moment: look again
      }
      OperatorProcess.sleep(1000);
    }
    return false;
  }

  // ------------------------------------------------------------------------------------ report

  String report() {
    StringBuilder b = new StringBuilder();
    b.append(String.format("fault soak (%s): %d caches, %s, seed %d; %d lifecycles (create, change, rotate, delete) completed in %.0f s%n",
        s.label(), s.caches(), s.minutes() > 0 ? "rounds for " + s.minutes() + " min" : "one round each", s.seed(), lifecycles.get(), elapsed()));
    b.append("checks (each expected 0):\n");
    b.append(String.format("  %-58s %d  (%d checks)%n", "duplicates (AWS resources per cache beyond one)", duplicates.size(), duplicateChecks.get()));
    b.append(String.format("  %-58s %d%n", "orphans after delete (left in the emulator)", orphans.size()));
    b.append(String.format("  %-58s %d  (%d checks: after create, after change, after rotation)%n", "tokens lost (Secret's password refused by its group)",
        tokensLost.size(), tokenChecks.get()));
    b.append(String.format("  %-58s %d  (%d tokens seen in Secrets)%n", "tokens in operator log / events / RedisCache status", tokensLeaked.size(),
        tokensSeen.size()));
    b.append(String.format("  %-58s %d  (Ready True→not True seen %d times; %d during a create/change/rotation/delete or with AWS not available; "
        + "%d polls, %d failed while the API server was away)%n", "Ready flaps (group available, nothing in flight)", flaps.size(),
        readyDrops.get(), readyDropsExcused.get(), polls.get(), pollsFailed.get()));
    b.append(String.format("  %-58s %d%n", "lifecycles stuck (a step not done within " + s.stepTimeoutSeconds() + " s)", stuck.size()));
    b.append(String.format("  %-58s %d  (%d create-failed caches asked to recreate)%n", "recreate annotations not acted on within " + RECREATE_LIMIT_SECONDS + " s",
        recreateSlow.size(), createFailedRecovered.get()));
    b.append("chaos:\n");
    new TreeMap<>(chaos).forEach((k, v) -> b.append(String.format("  %-58s %d%n", k, v)));
    b.append(String.format("  %-58s %d%n", "deferred changes applied in the maintenance window", maintenanceApplied.get()));
    b.append("Ready True→not True during a step (or with AWS not available), by phase, AWS status and new Ready:\n");
    new TreeMap<>(excusedWhy).forEach((k, v) -> b.append(String.format("  %-58s %d%n", k, v)));
    b.append("operator Warning events (what the operator met), by reason and AWS code:\n");
    warnings.forEach((k, v) -> b.append(String.format("  %-58s %d%n", k, v)));
    b.append(String.format("  %-58s %d%n", "ERROR lines in the operator log", operatorErrors));
    b.append("durations (s): n / median / max\n");
    new TreeMap<>(durations).forEach((k, v) -> {
      List<Double> d;
      synchronized (v) {
        d = new ArrayList<>(v);
      }
      Collections.sort(d);
      if (!d.isEmpty()) b.append(String.format("  %-58s %3d / %6.1f / %6.1f%n", k, d.size(), d.get(d.size() / 2), d.get(d.size() - 1)));
    });
    section(b, "DUPLICATES", duplicates);
    section(b, "ORPHANS", orphans);
    section(b, "TOKENS LOST", tokensLost);
    section(b, "TOKENS FOUND IN", tokensLeaked.values().stream().map(v -> "a token in " + v).toList());
    section(b, "READY FLAPS", flaps);
    section(b, "STUCK", stuck);
    section(b, "RECREATE SLOW", recreateSlow);
    section(b, "notes", notes);
    b.append(failures() == 0 ? "RESULT: all checks 0\n" : "RESULT: " + failures() + " non-zero finding(s)\n");
    return b.toString();
  }

  static void section(StringBuilder b, String title, List<String> items) {
    if (items.isEmpty()) return;
    b.append(title).append(":\n");
    synchronized (items) {
      for (String i : items) b.append("  - ").append(i).append('\n');
    }
  }
}
