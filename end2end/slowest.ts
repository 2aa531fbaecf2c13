// Lists the ten slowest tests after every run, and names any that took longer than
// the 15 s a browser test may take (the CI budget counts on it; see README, Tests).
import type { Reporter, TestCase, TestResult } from "@playwright/test/reporter";

const LIMIT_MS = 15_000;

class Slowest implements Reporter {
  private runs: { title: string; ms: number }[] = [];

  onTestEnd(test: TestCase, result: TestResult) {
    const project = test.parent.project()?.name ?? "";
    this.runs.push({ title: `[${project}] ${test.titlePath().slice(2).join(" › ")}`, ms: result.duration });
  }

  onEnd() {
    const slowest = [...this.runs].sort((a, b) => b.ms - a.ms).slice(0, 10);
    if (slowest.length === 0) return;
    console.log("\nThe ten slowest tests:");
    for (const run of slowest) {
      const over = run.ms > LIMIT_MS ? `  <- over ${LIMIT_MS / 1000} s` : "";
      console.log(`  ${(run.ms / 1000).toFixed(1).padStart(5)} s  ${run.title}${over}`);
    }
  }
}

export default Slowest;
