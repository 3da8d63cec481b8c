/**
 * Lines for stdout, gathered over one turn of the event loop and written
 * together. Why: `intake record` prints a stats line per stream per second,
 * and stdout on a pipe is a synchronous write each; with 100 streams those
 * 100 syscalls a second were 7 % of the receiver's CPU (bench/PROFILE notes
 * in bench/RESULTS.md). One write per turn keeps the order of every line.
 */
export class LineOutput {
  private lines: string[] = [];
  private scheduled = false;

  constructor(private readonly write: (text: string) => void = (text) => void process.stdout.write(text)) {}

  /** Queue one line (without its newline); it is written before the next turn of the loop. */
  line(text: string): void {
    this.lines.push(text);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Write every queued line now. */
  flush(): void {
    this.scheduled = false;
    if (this.lines.length === 0) return;
    const text = `${this.lines.join('\n')}\n`;
    this.lines = [];
    this.write(text);
  }
}
