// A labelled number input whose bounds come from the command's schema (schemaKnobs.ts): what a student types is
// kept within what the server accepts.
import { clampToLimits, type NumberLimits } from './schemaKnobs';

interface NumberKnobProps {
  label: string;
  limits: NumberLimits;
  value: number;
  onChange: (value: number) => void;
  testId: string;
  disabled?: boolean;
  title?: string;
}

export function NumberKnob({ label, limits, value, onChange, testId, disabled, title }: NumberKnobProps) {
  return (
    <label title={title}>
      {label}
      <input
        type="number"
        min={limits.min}
        max={limits.max}
        step={limits.integer ? 1 : 'any'}
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(clampToLimits(e.target.value, limits))}
        data-testid={testId}
      />
    </label>
  );
}

interface NumberKnobsProps<K extends string> {
  knobs: readonly K[];
  limits: Readonly<Record<K, NumberLimits>>;
  values: Readonly<Record<K, number>>;
  onChange: (values: Record<K, number>) => void;
  label: (knob: K) => string;
  /** Test ids `<testId>-<knob>`. */
  testId: string;
}

/** A run's knobs, one NumberKnob each, from one record of values. */
export function NumberKnobs<K extends string>({ knobs, limits, values, onChange, label, testId }: NumberKnobsProps<K>) {
  return (
    <>
      {knobs.map((k) => (
        <NumberKnob
          key={k}
          label={label(k)}
          limits={limits[k]}
          value={values[k]}
          onChange={(v) => onChange({ ...values, [k]: v })}
          testId={`${testId}-${k}`}
        />
      ))}
    </>
  );
}
