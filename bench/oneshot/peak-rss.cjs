// Preloaded (node -r) into each process bench/cli.bench.ts times: at exit, writes the process's peak RSS in KiB to
// the file named by BENCH_RSS_FILE, the same way for the baseline and for tceops.
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  if (process.env.BENCH_RSS_FILE) writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS));
});
