package dev.operators.elasticache.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real kube-apiserver + etcd (RBAC on) started by test/control-plane/start.sh, and kubectl as
 * the cluster admin. The binaries come from test/control-plane/build.sh (make test builds them).
 */
public final class ControlPlane implements AutoCloseable {
  private final Path root;
  private final Path workdir;
  private final Map<String, String> env;

  private ControlPlane(Path root, Path workdir, Map<String, String> env) {
    this.root = root;
    this.workdir = workdir;
    this.env = env;
  }

  public static ControlPlane start(String name) {
    Path root = AwsEmulator.projectRoot();
    Path workdir = root.resolve("target/control-plane-" + name + "-" + ProcessHandle.current().pid());
    Proc.run(root, Map.of(), null, 300, List.of("bash", "test/control-plane/start.sh", workdir.toString())).ok();
    try {
      Map<String, String> env = new HashMap<>();
      for (String line : Files.readAllLines(workdir.resolve("env"))) {
        int eq = line.indexOf('=');
        if (eq > 0 && !line.startsWith("#")) {
          String value = line.substring(eq + 1).trim();
          if (value.length() >= 2 && (value.startsWith("'") || value.startsWith("\""))) value = value.substring(1, value.length() - 1);
          env.put(line.substring(0, eq).replaceFirst("^export ", "").trim(), value);
        }
      }
      return new ControlPlane(root, workdir, env);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path adminKubeconfig() { return Path.of(env.get("KUBECONFIG_ADMIN")); }

  public Path operatorKubeconfig() { return Path.of(env.get("KUBECONFIG_OPERATOR")); }

  public String kubectlPath() { return env.get("KUBECTL"); }

  /** The project's CRD, as committed under crds/. */
  public static final String CRD = "crds/rediscaches.elasticache.operators.dev-v1.yml";

  /** The ElastiCacheAccount CRD (cluster-scoped: the AWS accounts and regions caches may use). */
  public static final String ACCOUNT_CRD = "crds/elasticacheaccounts.elasticache.operators.dev-v1.yml";

  /** Applies the project's CRDs and waits until the API server serves them. */
  public void installCrd() {
    kubectl("apply", "-f", CRD).ok();
    kubectl("apply", "-f", ACCOUNT_CRD).ok();
    established("rediscaches.elasticache.operators.dev", "elasticacheaccounts.elasticache.operators.dev");
  }

  /** Waits for CRDs to be Established (kubectl wait fails at once while a new CRD has no conditions yet). */
  public void established(String... crds) {
    List<String> args = new ArrayList<>(List.of("wait", "--for=condition=Established", "--timeout=30s"));
    for (String crd : crds) args.add("crd/" + crd);
    Proc.Result r = null;
    for (int attempt = 0; attempt < 30; attempt++) {
      r = kubectl(args.toArray(String[]::new));
      if (r.exit() == 0) return;
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    r.ok();
  }

  public Proc.Result kubectl(String... args) {
    return kubectlWithInput(null, args);
  }

  public Proc.Result kubectlWithInput(String stdin, String... args) {
    return kubectlWithTimeout(stdin, 300, args);
  }

  public Proc.Result kubectlWithTimeout(String stdin, long timeoutSeconds, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(kubectlPath());
    cmd.add("--kubeconfig");
    cmd.add(adminKubeconfig().toString());
    cmd.addAll(List.of(args));
    return Proc.run(root, Map.of(), stdin, timeoutSeconds, cmd);
  }

  /**
   * Stops kube-apiserver only (etcd and its data stay), waits {@code downSeconds}, and starts it
   * again on the same port with the same certificates and tokens (test/control-plane/restart-apiserver.sh).
   * Returns the seconds the API was unreachable.
   */
  public double restartApiServer(int downSeconds) {
    Proc.Result r = Proc.run(root, Map.of(), null, 200,
        List.of("bash", "test/control-plane/restart-apiserver.sh", workdir.toString(), Integer.toString(downSeconds))).ok();
    String[] lines = r.out().trim().split("\n");
    return Double.parseDouble(lines[lines.length - 1].trim());
  }

  public Path workdir() { return workdir; }

  @Override
  public void close() {
    Proc.run(root, Map.of(), null, 60, List.of("bash", "test/control-plane/stop.sh", workdir.toString()));
  }
}
