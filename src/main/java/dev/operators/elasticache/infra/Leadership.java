package dev.operators.elasticache.infra;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;

/**
 * Whether this process may act on AWS and Kubernetes. Without leader election it may from the
 * start; with it, once it holds the Lease ({@link LeaderElection}). It never gives leadership back:
 * a leader that loses the Lease exits (JOSDK's exit on stop leading), and its restart is a standby.
 */
@ApplicationScoped
public class Leadership {
  private final CompletableFuture<Void> granted = new CompletableFuture<>();

  /** Leadership from the start: a single process, or a test. */
  public static Leadership granted() {
    Leadership l = new Leadership();
    l.grant();
    return l;
  }

  public void grant() {
    granted.complete(null);
  }

  public boolean isLeading() {
    return granted.isDone();
  }

  /** Runs {@code action} once this process leads: now when it already does, else on the thread that grants it. */
  public void whenLeading(Runnable action) {
    granted.thenRun(action);
  }
}
