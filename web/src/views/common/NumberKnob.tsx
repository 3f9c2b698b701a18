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
