package dev.operators.elasticache.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.elasticache.testsupport.Proc;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Argo CD health check (deploy/argocd) on its test cases, run by test/tools/health: gopher-lua
 * v1.1.2 as Argo CD runs it, with the restricted libraries of a script from argocd-cm (no string
 * library) and with all of them; kstatus (cli-utils v0.37.2) must agree on every case; the argocd-cm
 * snippet must hold health.lua exactly. GitOpsHealthIT runs the same on live objects.
 */
class ArgoCdHealthCheckTest {
  static final String CHECK = "deploy/argocd/resource_customizations/elasticache.operators.dev/RedisCache";

  @Test
  void everyCaseHasTheExpectedHealthWithBothLibrarySetsAndKstatusAgrees() {
    Proc.Result r = run("test", CHECK, "deploy/argocd/argocd-cm.yaml");
    assertThat(r.exit()).as("%s%s", r.out(), r.err()).isZero();
    System.out.print(r.out());
    assertThat(r.out()).contains("testdata/just-created.yaml", "testdata/deleting.yaml", "testdata/stalled.yaml")
        .contains("8 cases");
  }

  static Proc.Result run(String... args) {
    List<String> command = new java.util.ArrayList<>(List.of("bash", "test/tools/health/run.sh"));
    command.addAll(List.of(args));
    return Proc.run(Path.of(System.getProperty("user.dir")), Map.of(), null, 600, command);
  }
}
