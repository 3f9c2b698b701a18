// A row of checkboxes choosing some of a fixed list in its own order, one always left chosen (the reconnect storm's
// policies, the shutdown's modes): a run needs at least one.
interface ChoiceBoxesProps<T extends string> {
  /** Read by screen readers: what is being chosen. */
  legend: string;
  all: readonly T[];
  chosen: readonly T[];
  onChange(chosen: readonly T[]): void;
  label(choice: T): string;
  /** Test ids `<testId>-<choice>`. */
  testId: string;
}

/** The choice set after toggling `choice`: the last chosen one stays; the list's order is kept. */
export function toggleChoice<T>(all: readonly T[], chosen: readonly T[], choice: T): T[] {
  if (!chosen.includes(choice)) return all.filter((c) => c === choice || chosen.includes(c));
  return chosen.length > 1 ? all.filter((c) => c !== choice && chosen.includes(c)) : [...chosen];
}

export function ChoiceBoxes<T extends string>({ legend, all, chosen, onChange, label, testId }: ChoiceBoxesProps<T>) {
  return (
    <fieldset className="run-choices">
      <legend className="visually-hidden">{legend}</legend>
      {all.map((c) => (
        <label key={c}>
          <input
            type="checkbox"
            checked={chosen.includes(c)}
            onChange={() => onChange(toggleChoice(all, chosen, c))}
            data-testid={`${testId}-${c}`}
          />
          {label(c)}
        </label>
      ))}
    </fieldset>
  );
}
