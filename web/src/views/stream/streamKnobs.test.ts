// The byte ruler's knobs agree with the stream demo's run schema: defaults are the schema's, every limit is the
// field's own edge (accepted there, refused one step past), and every preset is a run the server accepts.
import { describe, expect, it } from 'vitest';
import { StreamRunArgs } from '@core/protocol/demos/stream';
import { PRESETS, RUN_DEFAULTS, RUN_LIMITS } from './streamKnobs';

describe('byte ruler knobs', () => {
  it("start from the schema's defaults (Go's: TCP_NODELAY on, one write per message)", () => {
    expect(RUN_DEFAULTS).toEqual(StreamRunArgs.parse({}));
    expect(RUN_DEFAULTS.noDelay).toBe(true);
  });

  it("have the schema's limits, field by field", () => {
    for (const [key, limits] of Object.entries(RUN_LIMITS)) {
      const field = StreamRunArgs.shape[key as keyof typeof RUN_LIMITS];
      expect(field.safeParse(limits.min).success, `${key} min`).toBe(true);
      expect(field.safeParse(limits.max).success, `${key} max`).toBe(true);
      expect(field.safeParse(limits.min - 1).success, `${key} below min`).toBe(false);
      expect(field.safeParse(limits.max + 1).success, `${key} above max`).toBe(false);
    }
  });

  it('offer only presets the server accepts', () => {
    for (const p of PRESETS) expect(StreamRunArgs.safeParse(p.args).success, p.id).toBe(true);
  });
});
