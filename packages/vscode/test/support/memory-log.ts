/** The extension's log, kept in memory for a test to read (`lines`, which a test may replace). */
export function memoryLog() {
  return {
    lines: [] as string[],
    line(t: string) {
      this.lines.push(t);
    },
    show() {},
    recent() {
      return this.lines;
    },
    dispose() {},
  };
}
