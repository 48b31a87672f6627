package io.heartbeat.tools.scale;

/** Placeholder until the cluster mode lands. */
final class ClusterRun {

  private ClusterRun() {
  }

  static void main(ModelSettings settings, int size) {
    throw new UnsupportedOperationException("cluster mode not built yet");
  }

  static void thirdNode(String[] args) {
    throw new UnsupportedOperationException("cluster mode not built yet");
  }
}
