// Turns a recording into text for notes and slides: a mermaid sequence diagram of its segments, socket calls and
// polled states. Pure; tested in recordingExport.test.ts.
import { buildFlowGraph } from './flowGraphModel';
import type { Recording } from './handshakeRecording';

/** Mermaid treats a few characters as syntax inside messages; keep the text plain. */
function plain(text: string): string {
  return text.replace(/[;#]/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * @example
 * sequenceDiagram
 *   participant P0 as client 127.0.0.1:51090
 *   participant P1 as server 127.0.0.1:7405
 *   P0->>P1: SYN seq=0 len=0
 */
export function recordingToMermaid(rec: Recording, relative = true): string {
  const graph = buildFlowGraph(rec, { relative, calls: true, polledStates: true, modelledStates: false });
  const lines = ['sequenceDiagram'];
  graph.lifelines.forEach((l, i) => lines.push(`  participant P${i} as ${l.role} ${l.endpoint}`));
  for (const row of graph.rows) {
    if (row.kind === 'segment') {
      const fields = row.fields.filter((f) => !f.startsWith('win='));
      const note = row.ackNote ? ` (${row.ackNote})` : '';
      lines.push(`  P${row.fromCol}->>P${row.toCol}: ${plain(`${row.title} ${fields.join(' ')}${note}`)}`);
    } else if (row.kind === 'call') {
      lines.push(`  Note over P${row.fromCol}: ${plain(row.title)}`);
    } else {
      lines.push(`  Note over P${row.fromCol}: ${plain(`${row.title} (${row.source})`)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
