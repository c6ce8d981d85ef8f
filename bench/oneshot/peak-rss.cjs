// Preloaded (node -r) into each process bench/cli.bench.ts times: at exit, writes the process's peak RSS (KiB) and
// the CPU time it used (µs, user + system, every thread) to the file named by BENCH_RSS_FILE, the same way for the
// baseline and for tceops.
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  if (!process.env.BENCH_RSS_FILE) return;
  const usage = process.resourceUsage();
  writeFileSync(process.env.BENCH_RSS_FILE, `${usage.maxRSS} ${usage.userCPUTime + usage.systemCPUTime}`);
});
