// The Go tab's console: a Go program's stdout and stderr chunks joined into lines per stream, kept within a bound
// (the oldest lines go first, and how many went is counted), so a program that prints without end cannot fill the
// page. Pure; one buffer per run.

export interface OutputLine {
  /** Increases by one per line of the run; React's key. */
  id: number;
  stream: 'stdout' | 'stderr';
  text: string;
  /** False while the program has not yet ended the line (its next chunk may continue it). */
  complete: boolean;
}

export interface OutputBufferLimits {
  /** Lines kept; older ones are dropped. */
  maxLines: number;
  /** A line longer than this is cut (the rest of it counted as dropped characters). */
  maxLineChars: number;
}

export const DEFAULT_OUTPUT_LIMITS: OutputBufferLimits = { maxLines: 2000, maxLineChars: 4000 };

export class GoOutputBuffer {
  private readonly kept: OutputLine[] = [];
  private nextId = 1;
  /** The line each stream is still writing (its last chunk did not end with a newline). */
  private readonly open: Record<'stdout' | 'stderr', OutputLine | null> = { stdout: null, stderr: null };
  /** Whole lines dropped from the front to stay within maxLines. */
  droppedLines = 0;
  /** Characters cut from lines longer than maxLineChars. */
  cutChars = 0;
  /** Bumped on every change, for views that compare snapshots. */
  version = 0;

  constructor(private readonly limits: OutputBufferLimits = DEFAULT_OUTPUT_LIMITS) {}

  get lines(): readonly OutputLine[] {
    return this.kept;
  }

  /** Adds a chunk as the program wrote it (any size, not necessarily whole lines). */
  append(stream: 'stdout' | 'stderr', text: string): void {
    if (text === '') return;
    this.version++;
    const parts = text.replace(/\r\n/g, '\n').split('\n');
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      // The text after the final newline is empty: the chunk ended its line exactly.
      if (last && part === '') return;
      const line = this.open[stream] ?? this.startLine(stream);
      this.addText(line, part);
      if (last) return;
      line.complete = true;
      this.open[stream] = null;
    });
  }

  /** The run ended: lines still open are complete as they are. */
  finish(): void {
    for (const s of ['stdout', 'stderr'] as const) {
      const line = this.open[s];
      if (line) line.complete = true;
      this.open[s] = null;
    }
    this.version++;
  }

  /** All of it as text (for the classroom's "last run"), the dropped lines left out. */
  text(): string {
    return this.kept.map((l) => l.text).join('\n');
  }

  private startLine(stream: 'stdout' | 'stderr'): OutputLine {
    const line: OutputLine = { id: this.nextId++, stream, text: '', complete: false };
    this.kept.push(line);
    this.open[stream] = line;
    if (this.kept.length > this.limits.maxLines) {
      const gone = this.kept.splice(0, this.kept.length - this.limits.maxLines);
      this.droppedLines += gone.length;
      for (const g of gone) if (this.open[g.stream] === g) this.open[g.stream] = null;
    }
    return line;
  }

  private addText(line: OutputLine, part: string): void {
    const room = this.limits.maxLineChars - line.text.length;
    if (part.length <= room) {
      line.text += part;
      return;
    }
    line.text += part.slice(0, Math.max(0, room));
    this.cutChars += part.length - Math.max(0, room);
  }
}
