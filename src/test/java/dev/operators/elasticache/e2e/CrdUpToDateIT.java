package dev.operators.elasticache.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CRDs users install (crds/) are the ones generated from the Java API classes by this build. */
class CrdUpToDateIT {
  static final String FILE = "rediscaches.elasticache.operators.dev-v1.yml";
  static final String ACCOUNT_FILE = "elasticacheaccounts.elasticache.operators.dev-v1.yml";

  @Test
  void committedCrdMatchesTheGeneratedOne() throws Exception {
    check(FILE);
  }

  @Test
  void committedAccountCrdMatchesTheGeneratedOne() throws Exception {
    check(ACCOUNT_FILE);
  }

  private static void check(String FILE) throws Exception {
    List<String> generated = withoutComments(Path.of("target/kubernetes", FILE));
    List<String> committed = withoutComments(Path.of("crds", FILE));
    assertThat(committed).as("crds/%s differs from the generated target/kubernetes/%s: run `make crds` and commit", FILE, FILE)
        .isEqualTo(generated);
  }

  static List<String> withoutComments(Path p) throws Exception {
    return Files.readAllLines(p).stream().filter(l -> !l.startsWith("#")).toList();
  }
}
